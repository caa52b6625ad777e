// Issue 7: two API instances and two workers against one Redis: idempotency holds across instances,
// no message is sent twice, and every silent case is escalated exactly once.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { createLogger } from '../../src/logger.js';
import { start } from '../../src/server.js';
import { build, voorbeeldMelding, wachtOp } from '../helpers/build.js';
import { kop } from '../helpers/mail.js';
import { burst, get, messageIds, mtlsAgent, post } from './last.js';

const N = Number(process.env.FAULT_N_TWEE ?? 200);

t.test(`two APIs and two workers, ${N} meldingen`, async (t) => {
  let nu = new Date('2026-11-23T09:00:00Z');
  const klok = () => nu;
  const app = await build(t, { rollen: ['api'], sink: true, klok });
  const stil = createLogger(undefined, 'silent');
  const api2 = await start({ config: app.config, rollen: ['api'], log: stil, klok, env: {} });
  t.teardown(() => api2.stop());
  const poorten = [app.apiPort, Number(new URL(api2.adressen.api!).port)];
  for (let i = 0; i < 2; i++) {
    const w = await start({ config: app.config, rollen: ['worker'], log: stil, klok, env: {} });
    t.teardown(() => w.stop());
  }
  const agent = mtlsAgent(app.pki);
  t.teardown(() => agent.destroy());
  const lichaam = (i: number) => JSON.stringify(voorbeeldMelding({ referentie: `TWEE-${i}` }));

  // Every melding is posted to both APIs at the same moment: one wins (201), the other replays (200).
  const paren = await burst(N, 10, async (i) => {
    const [a, b] = await Promise.all(poorten.map((p) => post(agent, p, '/v1/meldingen', lichaam(i))));
    return { status: a!.status * 1000 + b!.status, body: [a!.body, b!.body] };
  });
  const goed = paren.filter((p) => [201200, 200201].includes(p.status) && p.body[0].id === p.body[1].id);
  t.equal(goed.length, N, 'per melding exactly one 201 and one 200 with the same id, across the two instances');

  await wachtOp(async () => app.sink!.bestanden().length >= N, 120_000, 250);
  nu = new Date('2026-11-30T23:00:01Z'); // past the deadline: both workers' sweeps and alarms race
  const naarTroubleshooter = () => app.sink!.bestanden().filter((f) => kop(readFileSync(f, 'utf8'), 'To')?.includes('troubleshooter')).length;
  await wachtOp(async () => naarTroubleshooter() >= N, 120_000, 250);
  await new Promise((r) => setTimeout(r, 1500));
  const mailbox = messageIds(app.sink!.bestanden());
  const soort = (s: string) => [...mailbox.keys()].filter((id) => id.includes(`.${s}.`)).length;
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
  t.comment(`counts: sent ${2 * N} (each melding twice), accepted ${N}, replayed ${N}, stored ${N}, delivered ${N}, reminders ${soort('herinnering')}, escalated ${soort('escalatie')}, duplicates 0, ` +
    `re-sends recognised ${app.sink!.duplicaten()}`);
});
