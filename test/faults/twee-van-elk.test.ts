// Faults: two API instances and two workers against one Redis: idempotency holds across instances,
// no message is sent twice, and every silent case is escalated exactly once.
import { readFileSync } from 'node:fs';
import t, { type Test } from 'tap';
import { createLogger } from '../../src/logger.js';
import { start } from '../../src/server.js';
import { build, voorbeeldMelding, wachtOpVoortgang } from '../helpers/build.js';
import { termijnVan, testKlok } from '../helpers/klok.js';
import { kop, verwachteMessageId } from '../helpers/mail.js';
import { burst, get, messageIds, mtlsAgent, post, teller } from './last.js';
import { geschaald } from './schaal.js';

const N = geschaald(200, 10);

/** The same through Redis Sentinel (primary + replica, WAIT 1), smaller so CI time grows little. */
const N_SENTINEL = geschaald(50, 10);

t.test(`two APIs and two workers, ${N} meldingen`, (t) => tweeVanElk(t, N, false));
t.test(`two APIs and two workers through Sentinel with WAIT 1, ${N_SENTINEL} meldingen`, (t) => tweeVanElk(t, N_SENTINEL, true));

async function tweeVanElk(t: Test, N: number, sentinel: boolean) {
  // The service clock starts at the suite's base (the real now, or SB_TEST_DATUM) and stands still
  // until the test moves it; the test PKI is valid at both ends of the jump.
  const c = testKlok();
  // Before build(t), so it is restored last: what the process prints itself, bypassing the logger.
  const stderr = t.capture(process.stderr, 'write', process.stderr.write);
  const app = await build(t, { rollen: ['api'], sink: true, klok: c.klok, sentinel,
    // A generous WAIT timeout: this scenario has no retries, and a loaded machine may stall a replica for a moment.
    configAanpassen: (d) => { if (sentinel) d.redis.replicaBevestiging = { replicas: 1, timeoutMs: 2000 }; } });
  const stil = createLogger(undefined, 'silent');
  // Registered after build(t): tap runs teardowns last-in first-out, so these stop before their Redis.
  const api2 = await start({ config: app.config, rollen: ['api'], log: stil, klok: c.klok, env: {} });
  t.teardown(() => api2.stop());
  const poorten = [app.apiPort, Number(new URL(api2.adressen.api!).port)];
  for (let i = 0; i < 2; i++) {
    const w = await start({ config: app.config, rollen: ['worker'], log: stil, klok: c.klok, env: {} });
    t.teardown(() => w.stop());
  }
  const agent = mtlsAgent(app.pki);
  t.teardown(() => agent.destroy());
  const lichaam = (i: number) => JSON.stringify(voorbeeldMelding({ referentie: `TWEE-${i}` }));

  // Every melding is posted to both APIs at the same moment: one wins (201), the other replays (200).
  const begin = Date.now();
  const paren = await burst(N, 10, async (i) => {
    const [a, b] = await Promise.all(poorten.map((p) => post(agent, p, '/v1/meldingen', lichaam(i))));
    return { status: a!.status * 1000 + b!.status, body: [a!.body, b!.body] };
  });
  const goed = paren.filter((p) => [201200, 200201].includes(p.status) && p.body[0].id === p.body[1].id);
  t.equal(goed.length, N, 'per melding exactly one 201 and one 200 with the same id, across the two instances');

  const aangenomen = Date.now();
  await wachtOpVoortgang(() => app.sink!.bestanden().length, N, { wat: 'bezorgd' });
  const bezorgd = Date.now();
  // Every melding was received at c.nu(): a second past the end of its deadline day, both workers'
  // schedulers race for the lease (and for each timer, whose transition gate lets one win).
  const termijn = termijnVan(c.nu());
  c.zet(new Date(termijn.verstreken.getTime() + 1000));
  const naarTroubleshooter = teller(app.sink!, (f) => kop(readFileSync(f, 'utf8'), 'To')?.includes('troubleshooter') ?? false);
  await wachtOpVoortgang(naarTroubleshooter, N, { wat: 'escalaties' });
  const geescaleerd = Date.now();
  await new Promise((r) => setTimeout(r, 1500));
  const mailbox = messageIds(app.sink!.bestanden());
  // Message-IDs are opaque: the kind of each follows from the ids computed with the keyring.
  const soortVan = new Map(goed.flatMap((p) => ([['melding-aan-wijkteam', 'wijkteam'], ['herinnering', 'wijkteam'], ['escalatie', 'troubleshooter']] as const)
    .map(([b, o]) => [verwachteMessageId(app.config, p.body[0].id, b, o), b] as const)));
  const soort = (s: string) => [...mailbox.keys()].filter((id) => soortVan.get(id) === s).length;
  t.equal(soort('melding-aan-wijkteam'), N, 'one melding per case');
  t.ok(soort('herinnering') <= N, 'at most one reminder per case (the clock jumped over its moment)');
  t.equal(mailbox.size, soort('melding-aan-wijkteam') + soort('herinnering') + soort('escalatie'), 'nothing else was sent');
  t.ok([...mailbox.values()].every((n) => n === 1), 'nothing twice in the mailbox');
  t.equal(soort('escalatie'), N, 'exactly one escalation per case');
  t.equal(naarTroubleshooter(), N, 'and the troubleshooter has exactly those');
  let eenmaal = 0;
  for (const p of goed) {
    const r = await get(agent, poorten[0]!, `/v1/meldingen/${p.body[0].id}`);
    if (r.body.status === 'geescaleerd' && r.body.gebeurtenissen.filter((g: any) => g.soort === 'geescaleerd').length === 1) eenmaal++;
  }
  t.equal(eenmaal, N, 'every case geescaleerd once');
  t.equal(stderr.calls.map((c) => String(c.args[0])).join(''), '', 'nothing printed to stderr');
  t.comment(`counts: sent ${2 * N} (each melding twice), accepted ${N}, replayed ${N}, stored ${N}, delivered ${N}, reminders ${soort('herinnering')}, escalated ${soort('escalatie')}, duplicates 0, ` +
    `re-sends recognised ${app.sink!.duplicaten()}`);
  const s = (van: number, tot: number) => ((tot - van) / 1000).toFixed(1);
  t.comment(`timings: accepted in ${s(begin, aangenomen)} s, delivered ${s(aangenomen, bezorgd)} s later, escalated ${s(bezorgd, geescaleerd)} s after the clock passed ` +
    `the deadline (${termijn.uiterlijk}, received ${termijn.ontvangstDatum})`);
}
