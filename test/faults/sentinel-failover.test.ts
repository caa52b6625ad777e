// Faults: Redis Sentinel. The primary is SIGKILLed during a burst while delivery and timers run; the
// sentinels promote the replica, clients retry what was not acknowledged, the old primary comes back
// as a replica. Every 201 was WAITed for on a replica, so nothing acknowledged is lost (RPO 0), and
// retries with the same referentie create nothing twice. And: with the replica away (no failover)
// intake answers 503, never a 201 it cannot keep, and the retry afterwards is the idempotent replay.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { Redis } from 'ioredis';
import { build, voorbeeldMelding, wachtOpVoortgang } from '../helpers/build.js';
import { termijnVan, testKlok } from '../helpers/klok.js';
import { kop, verwachteMessageId } from '../helpers/mail.js';
import type { TestRedis } from '../helpers/redis.js';
import { burst, get, mtlsAgent, post, teller, type Uitslag } from './last.js';
import { geschaald } from './schaal.js';

// The 5000-melding burst is SB_FOUTTEST_SCHAAL=2.5 (about 5 minutes on a loaded 2-core
// machine, too long for every CI run); the default 2000 keeps this file near two minutes.
const N = geschaald(2000, 100);
/** Meldingen received a week before the burst: their escalation is due after the failover. */
const VROEG = geschaald(100, 10);
const WAIT = { replicas: 1, timeoutMs: 500 };

/** The case hashes in a Redis (one per stored melding; a duplicate would be a second one). */
async function casussen(server: TestRedis, prefix: string): Promise<Set<string>> {
  const r = new Redis(server.url);
  const ids = new Set<string>();
  try {
    let cursor = '0';
    do {
      const [volgende, keys] = await r.scan(cursor, 'MATCH', `${prefix}:melding:*`, 'COUNT', 1000);
      cursor = volgende;
      for (const k of keys) {
        const m = /:melding:([0-9a-f-]{36})$/.exec(k);
        if (m) ids.add(m[1]!);
      }
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
  return ids;
}

t.test(`Sentinel failover during a burst of ${N} meldingen with WAIT ${WAIT.replicas}`, async (t) => {
  const stderr = t.capture(process.stderr, 'write', process.stderr.write);
  const c = testKlok();
  const app = await build(t, {
    rollen: ['api', 'worker'], sentinel: true, klok: c.klok,
    configAanpassen: (d) => {
      d.redis.replicaBevestiging = WAIT;
      d.bezorging = { ...d.bezorging, pogingen: 20, eersteWachttijdSeconden: 0.2, gelijktijdig: 16 };
    },
  });
  const sentinel = app.sentinel!;
  const prefix = app.draaiend.sb.namen.prefix;
  const agent = mtlsAgent(app.pki);
  t.teardown(() => agent.destroy());
  const melding = (ref: string, i: number) => JSON.stringify(voorbeeldMelding({ referentie: ref,
    adres: { ...voorbeeldMelding().adres, postcode: i % 2 ? '2011AB' : '2020AB' } }));

  // A real client: the same body again on a 503 or a dropped connection, until it is acknowledged.
  let gedood = 0;
  const tellers = { eerst201: 0, s503: 0, verbroken: 0, herhaald: 0 };
  const tijden201: number[] = [];
  const stuur = async (lichaam: string): Promise<Uitslag> => {
    for (let poging = 0; ; poging++) {
      const verstuurd = Date.now();
      const u = await post(agent, app.apiPort, '/v1/meldingen', lichaam);
      if (u.status === 201 || u.status === 200) {
        // Acknowledged again: the first request sent after the kill that got its 201 marks the recovery.
        if (gedood && verstuurd > gedood) tijden201.push(Date.now());
        if (poging === 0 && u.status === 201) tellers.eerst201++;
        if (poging > 0) tellers.herhaald++;
        return u;
      }
      if (u.status === 503) tellers.s503++;
      else if (u.status === 0) tellers.verbroken++;
      else return u; // anything else is a failure the assertions below show
      if (poging >= 200) return u;
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  // Timers that must survive the failover: these fall due once the clock passes their deadline.
  const vroeg = await burst(VROEG, 10, (i) => stuur(melding(`VROEG-${i}`, i)));
  t.ok(vroeg.every((u) => u.status === 201), 'the early meldingen acknowledged');
  Object.assign(tellers, { eerst201: 0, s503: 0, verbroken: 0, herhaald: 0 });
  const termijn = termijnVan(c.nu());
  // The burst arrives an hour before the early meldingen's deadline passes (their reminders fire meanwhile).
  c.zet(termijn.verstreken.getTime() - 3_600_000);

  const begin = Date.now();
  const oud = sentinel.primary;
  let gepromoveerd = 0;
  let nieuw: TestRedis | undefined;
  let terug = 0;
  const lichamen = Array.from({ length: N }, (_, i) => melding(`FAILOVER-${i}`, i));
  const uitslagen = await burst(N, 20, (i) => stuur(lichamen[i]!), {
    na: Math.floor(N / 3),
    doe: async () => {
      await oud.kill();
      gedood = Date.now();
      nieuw = await sentinel.wachtOpNieuwePrimary(oud);
      gepromoveerd = Date.now();
      // The old primary comes back on its own data; the sentinels make it a replica of the new one.
      // Until it has synced, WAIT 1 has no replica to count: intake answers 503 (honestly) till then.
      await oud.start();
      await sentinel.wachtOpReplica(oud);
      terug = Date.now();
    },
  });
  const aangenomen = Date.now();
  t.ok(nieuw && nieuw !== oud, 'the sentinels promoted the replica');
  await sentinel.wachtOpReplica(oud);
  t.equal(await sentinel.rol(oud), 'slave', 'the old primary rejoined as a replica (ROLE)');
  t.equal(await sentinel.rol(nieuw!), 'master', 'and the promoted one is the primary');
  t.equal((await sentinel.huidigePrimary()).port, nieuw!.port, 'as the sentinels say');

  const overig = uitslagen.filter((u) => ![200, 201].includes(u.status));
  t.same(overig.map((u) => u.status), [], 'every melding acknowledged in the end');
  const ids = new Set(uitslagen.map((u) => u.body?.id as string));
  t.equal(ids.size, N, 'one id per referentie: retries created no duplicates');
  const eersteNaUitval = Math.min(...tijden201);
  t.ok(tellers.s503 + tellers.verbroken > 0, `the failover was seen by clients (${tellers.s503} × 503, ${tellers.verbroken} dropped)`);

  // RPO 0: every acknowledged melding is on the new primary (and on the old one, now its replica).
  const opgeslagen = await casussen(nieuw!, prefix);
  const verloren = [...ids].filter((id) => !opgeslagen.has(id));
  t.same(verloren, [], 'lost: none of the acknowledged meldingen');
  for (const u of vroeg) t.ok(opgeslagen.has(u.body.id), 'early melding kept');
  t.equal(opgeslagen.size, N + VROEG, 'duplicates: none (one case per referentie)');

  const id = (u: Uitslag) => u.body.id as string;
  const wijkteamIds = new Set([...uitslagen, ...vroeg].map((u) => verwachteMessageId(app.config, id(u), 'melding-aan-wijkteam', 'wijkteam')));
  const escalatieIds = new Set(vroeg.map((u) => verwachteMessageId(app.config, id(u), 'escalatie', 'troubleshooter')));
  const messageId = (f: string) => kop(readFileSync(f, 'utf8'), 'Message-ID') ?? '';
  const bezorgdTeller = teller(app.sink!, (f) => wijkteamIds.has(messageId(f)));
  await wachtOpVoortgang(bezorgdTeller, N + VROEG, { wat: 'bezorgd' });
  const bezorgd = Date.now();

  // After the failover the clock passes the early meldingen's deadline: their timers fire from the new primary.
  c.zet(termijn.verstreken.getTime() + 1000);
  const escalatieTeller = teller(app.sink!, (f) => escalatieIds.has(messageId(f)));
  await wachtOpVoortgang(escalatieTeller, VROEG, { wat: 'escalaties' });
  const geescaleerd = Date.now();
  await new Promise((r) => setTimeout(r, 1000));
  const perId = new Map<string, number>();
  for (const f of app.sink!.bestanden()) perId.set(messageId(f), (perId.get(messageId(f)) ?? 0) + 1);
  t.equal(bezorgdTeller(), N + VROEG, 'delivered: every melding to its wijkteam');
  t.equal(escalatieTeller(), VROEG, 'escalated: every early melding, once');
  t.ok([...perId.values()].every((n) => n === 1), 'nothing twice in the mailbox');
  const burstEscalaties = uitslagen.filter((u) => perId.has(verwachteMessageId(app.config, id(u), 'escalatie', 'troubleshooter'))).length;
  t.equal(burstEscalaties, 0, 'and no melding of the burst escalated early');
  const r = await get(agent, app.apiPort, `/v1/meldingen/${id(vroeg[0]!)}`);
  t.equal(r.body.status, 'geescaleerd', 'the escalation is in the case');

  t.equal(stderr.calls.map((x) => String(x.args[0])).join(''), '', 'nothing printed to stderr');
  const s = (van: number, tot: number) => ((tot - van) / 1000).toFixed(1);
  t.comment(`counts: sent ${N} (+${VROEG} early), 201 at once ${tellers.eerst201}, 503 ${tellers.s503} and dropped ${tellers.verbroken} (all retried; ` +
    `${tellers.herhaald} acknowledged on a retry), stored ${opgeslagen.size - VROEG}, delivered ${bezorgdTeller() - VROEG}, escalated ${escalatieTeller()}, ` +
    `duplicates ${opgeslagen.size - N - VROEG}, lost ${verloren.length}`);
  t.comment(`failover: primary killed after ${s(begin, gedood)} s; sentinels promoted the replica ${s(gedood, gepromoveerd)} s later; ` +
    `the old primary rejoined as replica ${s(gedood, terug)} s after the kill; ` +
    `first 201 for a request sent after the kill ${s(gedood, eersteNaUitval)} s after it (RTO as clients see it, with one replica)`);
  t.comment(`timings: burst acknowledged in ${s(begin, aangenomen)} s, all delivered ${s(aangenomen, bezorgd)} s later, escalations ${s(bezorgd, geescaleerd)} s after the clock passed the deadline`);
});

t.test('the replica away (no failover): intake answers 503, never 201, and the retry is the replay', async (t) => {
  const stderr = t.capture(process.stderr, 'write', process.stderr.write);
  const app = await build(t, { rollen: ['api'], sentinel: true, configAanpassen: (d) => (d.redis.replicaBevestiging = WAIT) });
  const sentinel = app.sentinel!;
  const ops = async () => {
    const res = await fetch(`http://127.0.0.1:${app.opsPort}/health/ready`);
    return { status: res.status, body: (await res.json()) as { status: string; checks: Record<string, unknown>; reden?: string } };
  };
  t.match(await ops(), { status: 200, body: { status: 'ok', checks: { redis: true, replicas: true } } }, 'ready with its replica in sync');

  await sentinel.replica.kill();
  const M = geschaald(20, 5);
  const lichamen = Array.from({ length: M }, (_, i) => voorbeeldMelding({ referentie: `ZONDER-REPLICA-${i}` }));
  const duur: number[] = [];
  const eerst = [];
  for (const l of lichamen) {
    const begin = Date.now();
    eerst.push(await app.vraag('elan-wonen', 'POST', '/v1/meldingen', l));
    duur.push(Date.now() - begin);
  }
  t.same(eerst.map((a) => a.status), lichamen.map(() => 503), 'every melding: 503, never a 201 without a replica');
  t.match(eerst[0], { headers: { 'content-type': /application\/problem\+json/, 'retry-after': /^\d+$/ },
    body: { status: 503, title: 'Tijdelijk niet beschikbaar', detail: /nog niet door een tweede Redis bevestigd/ } }, 'a problem with Retry-After');
  const gereed = await ops();
  t.match(gereed, { status: 503, body: { status: 'niet-gereed', checks: { redis: true, replicas: false }, reden: /0 van de 1 vereiste replica/ } },
    '/health/ready: not ready, with the reason');
  // Stored on the primary all the same (not acknowledged): the retry finds it.
  const opgeslagen = await casussen(app.redis, app.draaiend.sb.namen.prefix);
  t.equal(opgeslagen.size, M, 'the unacknowledged meldingen are on the primary');

  await sentinel.replica.start();
  await sentinel.wachtOpReplica(sentinel.replica);
  const daarna = [];
  for (const l of lichamen) daarna.push(await app.vraag('elan-wonen', 'POST', '/v1/meldingen', l));
  t.same(daarna.map((a) => a.status), lichamen.map(() => 200), 'the retry after the replica is back: the idempotent replay (200)');
  t.same(new Set(daarna.map((a) => a.body.id)), opgeslagen, 'with the ids of the stored meldingen');
  t.equal((await casussen(app.redis, app.draaiend.sb.namen.prefix)).size, M, 'nothing stored twice');
  const nieuw = await app.vraag('elan-wonen', 'POST', '/v1/meldingen', voorbeeldMelding({ referentie: 'MET-REPLICA' }));
  t.equal(nieuw.status, 201, 'a new melding is acknowledged again');
  t.match(await ops(), { status: 200, body: { checks: { replicas: true } } }, 'and the service is ready again');

  // Feedback on a melding is acknowledged the same way.
  await sentinel.replica.kill();
  const intrekking = await app.vraag('elan-wonen', 'POST', `/v1/meldingen/${nieuw.body.id}/intrekking`, {});
  t.equal(intrekking.status, 503, 'a withdrawal without a replica: 503');
  await sentinel.replica.start();
  await sentinel.wachtOpReplica(sentinel.replica);
  const opnieuw = await app.vraag('elan-wonen', 'POST', `/v1/meldingen/${nieuw.body.id}/intrekking`, {});
  t.match(opnieuw, { status: 200, body: { status: 'ingetrokken' } }, 'its retry: already done (200), now on the replica too');

  t.equal(stderr.calls.map((x) => String(x.args[0])).join(''), '', 'nothing printed to stderr');
  t.comment(`without a replica: ${M} meldingen answered 503 in ${Math.min(...duur)}–${Math.max(...duur)} ms each (WAIT timeout ${WAIT.timeoutMs} ms)`);
});
