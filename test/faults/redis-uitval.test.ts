// Faults: Redis SIGKILLed and restarted during a burst. Every melding that got 201 is stored and
// delivered exactly once; requests during the outage get a 503 problem, never a false 201.
import t, { type Test } from 'tap';
import { build, voorbeeldMelding, wachtOpVoortgang } from '../helpers/build.js';
import { verwachteMessageId } from '../helpers/mail.js';
import { burst, messageIds, mtlsAgent, post } from './last.js';
import { geschaald } from './schaal.js';

const N = geschaald(5000, 100);
/** The same scenario through Redis Sentinel (primary + replica, WAIT 1), smaller so CI time grows little. */
const N_SENTINEL = geschaald(150, 50);

t.test(`Redis killed during a burst of ${N} meldingen`, (t) => redisUitval(t, N, false));

// The clients find the primary through the sentinels, and a 201 waits for the replica. The outage is
// shorter than the sentinels' down-after time, so the same primary comes back (failover: sentinel-failover.test.ts).
t.test(`through Sentinel with WAIT 1: the primary killed during a burst of ${N_SENTINEL} meldingen`, (t) => redisUitval(t, N_SENTINEL, true));

async function redisUitval(t: Test, N: number, sentinel: boolean) {
  // Before build(t), so it is restored last: what the process prints itself, bypassing the logger.
  const stderr = t.capture(process.stderr, 'write', process.stderr.write);
  const app = await build(t, {
    rollen: ['api', 'worker'],
    ...(sentinel ? { sentinel: { downAfterMs: 60_000 } } : {}),
    configAanpassen: (d) => {
      d.bezorging = { ...d.bezorging, pogingen: 20, eersteWachttijdSeconden: 0.2, gelijktijdig: 16 };
      if (sentinel) d.redis.replicaBevestiging = { replicas: 1, timeoutMs: 500 };
    },
  });
  const agent = mtlsAgent(app.pki);
  t.teardown(() => agent.destroy());
  const begin = Date.now();
  const lichamen = Array.from({ length: N }, (_, i) => JSON.stringify(voorbeeldMelding({ referentie: `FAULT-${i}`,
    adres: { ...voorbeeldMelding().adres, postcode: i % 2 ? '2011AB' : '2020AB' } })));
  const uitslagen = await burst(N, 20, (i) => post(agent, app.apiPort, '/v1/meldingen', lichamen[i]!), {
    na: Math.floor(N / 3),
    doe: async () => {
      await app.redis.kill();
      await new Promise((r) => setTimeout(r, 1500));
      await app.redis.start();
    },
  });
  const telling = (s: number) => uitslagen.filter((u) => u.status === s).length;
  const geaccepteerd = telling(201);
  const onbeschikbaar = uitslagen.filter((u) => u.status === 503);
  const overig = uitslagen.filter((u) => ![201, 503].includes(u.status));
  t.ok(onbeschikbaar.length > 0, 'the outage was seen by clients');
  t.ok(onbeschikbaar.every((u) => u.body?.status === 503 && typeof u.body?.detail === 'string'), '503s are problem+json');
  t.same(overig.map((u) => u.status).filter((s) => s !== 0), [], 'no other status than 201 and 503 (and dropped connections)');

  // A real client retries what was not accepted; the API is idempotent on referentie.
  const herhaal = uitslagen.map((u, i) => (u.status === 201 ? -1 : i)).filter((i) => i >= 0);
  for (let ronde = 0; ronde < 20 && herhaal.length; ronde++) {
    const nog = [...herhaal];
    herhaal.length = 0;
    for (const i of nog) {
      const u = await post(agent, app.apiPort, '/v1/meldingen', lichamen[i]!);
      if (u.status === 201 || u.status === 200) uitslagen[i] = u;
      else herhaal.push(i);
    }
    if (herhaal.length) await new Promise((r) => setTimeout(r, 500));
  }
  t.equal(herhaal.length, 0, 'every melding accepted after retrying');
  const ids = new Set(uitslagen.map((u) => u.body?.id as string));
  t.equal(ids.size, N, 'one id per referentie: retries did not create duplicates');

  const aangenomen = Date.now();
  await wachtOpVoortgang(() => app.sink!.bestanden().length, N, { wat: 'bezorgd' });
  const bezorgd = Date.now();
  await new Promise((r) => setTimeout(r, 1000));
  const mailbox = messageIds(app.sink!.bestanden());
  const dubbel = app.sink!.duplicaten();
  t.equal(mailbox.size, N, 'every melding delivered');
  t.ok([...mailbox.values()].every((n) => n === 1), 'each stored once');
  for (const id of [...ids].slice(0, 50)) t.ok(mailbox.has(verwachteMessageId(app.config, id, 'melding-aan-wijkteam', 'wijkteam')), `delivered: ${id}`);

  // The outage is in the log once per connection (lost, then back), not once per reconnect attempt.
  const regels = app.logs().split('\n').filter(Boolean).map((r) => JSON.parse(r) as { level: number; msg: string; verbinding?: string; alarm?: string });
  const verloren = regels.filter((r) => r.msg.startsWith('redis-verbinding verloren'));
  const hersteld = regels.filter((r) => r.msg === 'redis-verbinding hersteld');
  const verbindingen = new Set(verloren.map((r) => r.verbinding));
  t.ok(verloren.length > 0 && verloren.length <= 2 * verbindingen.size, `the outage logged once per connection: ${verloren.length} lines for ${verbindingen.size} connections`);
  t.same(new Set(hersteld.map((r) => r.verbinding)), verbindingen, 'and each connection logged as back');
  const relayAlarmen = regels.filter((r) => r.alarm === 'outbox-relay').length;
  t.ok(relayAlarmen <= 2, `outbox-relay alarm raised once per standstill, not every second (${relayAlarmen})`);
  t.equal(stderr.calls.map((c) => String(c.args[0])).join(''), '', 'nothing printed to stderr: BullMQ and ioredis errors go to the logger');

  const s = (van: number, tot: number) => ((tot - van) / 1000).toFixed(1);
  t.comment(`counts: sent ${N}, accepted at once ${geaccepteerd}, 503 during outage ${onbeschikbaar.length}, dropped ${telling(0)}, ` +
    `stored ${ids.size}, delivered ${mailbox.size}, duplicates in mailbox 0, re-sends recognised by Message-ID ${dubbel}`);
  t.comment(`timings: accepted in ${s(begin, aangenomen)} s, all delivered ${s(aangenomen, bezorgd)} s later`);
  const waarschuwingen = new Map<string, number>();
  for (const r of regels.filter((r) => r.level >= 40)) waarschuwingen.set(r.msg, (waarschuwingen.get(r.msg) ?? 0) + 1);
  t.comment(`log lines at warn or above: ${JSON.stringify(Object.fromEntries(waarschuwingen))}`);
}
