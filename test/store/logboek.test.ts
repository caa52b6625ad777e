// The logboek stream on a real Redis: entry ids follow the service clock (so MINID trims by it), stay
// monotonic when a clock lags, filters work, and trimming keeps everything younger than the limit.
import { Redis } from 'ioredis';
import t from 'tap';
import { nieuwSpoor, verwerking, type Actie } from '../../src/domain/verwerking.js';
import { LogboekStore } from '../../src/store/logboek.js';
import { RedisNamen } from '../../src/store/redis-namen.js';
import { BASIS } from '../helpers/klok.js';
import { startRedis } from '../helpers/redis.js';

async function logboek(t: Parameters<typeof startRedis>[0]) {
  const r = await startRedis(t);
  const redis = new Redis(r.url);
  t.teardown(() => redis.disconnect());
  const namen = new RedisNamen('sb');
  return { redis, namen, lb: new LogboekStore(redis, namen) };
}

const record = (actie: Actie, op: string, meldingId?: string, betrokkene = 'p1') =>
  verwerking({ actie, spoor: nieuwSpoor(), register: 'urn:test', betrokkene, oin: '00000099000000000001', meldingId, start: new Date(op) });

t.test('entry ids carry the service clock, ahead of or behind Redis; a lagging clock appends after the newest', async (t) => {
  const { redis, namen, lb } = await logboek(t);
  const uur = 3_600_000;
  // Service clocks days behind and days ahead of Redis's own: the ids follow the service, never Redis.
  for (const [naam, ms] of [['achter', Math.min(BASIS.getTime(), Date.now()) - 72 * uur], ['voor', Math.max(BASIS.getTime(), Date.now()) + 72 * uur]] as const) {
    const eigen = new RedisNamen(naam);
    const lbx = new LogboekStore(redis, eigen);
    await lbx.schrijf(record('melding-ontvangen', new Date(ms).toISOString(), 'a'));
    await lbx.schrijf(record('melding-bezorgd', new Date(ms).toISOString(), 'a'));
    await lbx.schrijf(record('melding-gelezen', new Date(ms - uur).toISOString(), 'a')); // another process with a slower clock
    await lbx.schrijf(record('melding-gelezen', new Date(ms + 1).toISOString(), 'a'));
    const ids = (await redis.xrange(eigen.logboek(), '-', '+')).map(([id]) => id);
    t.same(ids, [`${ms}-0`, `${ms}-1`, `${ms}-2`, `${ms + 1}-0`], `${naam}: never earlier than the newest entry, never Redis's clock`);
  }
  // Even after the newest entries are gone (trimmed), a lagging clock appends after the last id ever given.
  const ms = BASIS.getTime();
  await lb.schrijf(record('melding-ontvangen', new Date(ms).toISOString(), 'x'));
  await redis.xtrim(namen.logboek(), 'MAXLEN', 0);
  await lb.schrijf(record('melding-ontvangen', new Date(ms - uur).toISOString(), 'y'));
  t.same((await redis.xrange(namen.logboek(), '-', '+')).map(([id]) => id), [`${ms}-1`]);
});

t.test('filters: time window, melding, activity (span name or processing activity), subject', async (t) => {
  const { lb } = await logboek(t);
  await lb.schrijf(record('melding-ontvangen', '2026-01-01T00:00:00Z', 'a'));
  await lb.schrijf(record('melding-ontvangen', '2026-02-01T00:00:00Z', 'b', 'p2'));
  await lb.schrijf(record('gegevens-verwijderd', '2026-03-01T00:00:00Z', 'a'));
  const namen = async (f: Parameters<LogboekStore['lees']>[0]) => {
    const uit: string[] = [];
    for await (const v of lb.lees(f)) uit.push(`${v.attributes['dpl.signaalbrug.melding_id']}:${v.name}`);
    return uit;
  };
  t.same(await namen({}), ['a:melding-ontvangen', 'b:melding-ontvangen', 'a:gegevens-verwijderd']);
  t.same(await namen({ melding: 'a' }), ['a:melding-ontvangen', 'a:gegevens-verwijderd']);
  t.same(await namen({ sinds: new Date('2026-01-15T00:00:00Z'), tot: new Date('2026-02-15T00:00:00Z') }), ['b:melding-ontvangen']);
  t.same(await namen({ activiteit: 'gegevens-verwijderd' }), ['a:gegevens-verwijderd']);
  t.same(await namen({ activiteit: 'bewaartermijn' }), ['a:gegevens-verwijderd'], 'by processing activity');
  t.same(await namen({ betrokkene: 'p2' }), ['b:melding-ontvangen']);
});

t.test('more records than one page are all read', async (t) => {
  const { lb } = await logboek(t);
  for (let i = 0; i < 1203; i++) await lb.schrijf(record('melding-ontvangen', new Date(Date.UTC(2026, 0, 1) + i).toISOString(), `m${i}`));
  let n = 0;
  for await (const v of lb.lees()) if (v.attributes['dpl.signaalbrug.melding_id'] === `m${n}`) n++;
  t.equal(n, 1203);
});

t.test('trim drops exactly what is older than the limit', async (t) => {
  const { lb, redis, namen } = await logboek(t);
  await lb.schrijf(record('melding-ontvangen', '2021-11-22T23:59:59Z', 'oud'));
  await lb.schrijf(record('melding-ontvangen', '2021-11-23T00:00:00Z', 'grens'));
  await lb.schrijf(record('melding-ontvangen', '2026-11-23T00:00:00Z', 'nieuw'));
  t.equal(await lb.trim(new Date('2021-11-23T00:00:00Z')), 1);
  t.same((await redis.xrange(namen.logboek(), '-', '+')).map(([, v]) => v[3]), ['grens', 'nieuw']);
});

t.test('a record is stored compact and read back as the span the domain built', async (t) => {
  const { redis, namen, lb } = await logboek(t);
  const gewoon = record('melding-bezorgd', '2030-01-02T03:04:05.678Z', 'm1');
  const bijzonder = verwerking({
    actie: 'inzage-verstrekt', spoor: { traceId: 'a'.repeat(32), parentSpanId: 'b'.repeat(16), extern: true }, register: 'urn:test', betrokkene: 'p2',
    oin: '00000099000000000002', start: new Date('2030-01-02T03:04:05.000Z'), eind: new Date('2030-01-02T03:04:06.250Z'), fout: true,
    extra: { kanaal: 'cli', reden: 'verzoek' },
  });
  // What no writer of ours makes, but a reader must not lose: a foreign activity id and subject type.
  const vreemd = { ...record('melding-gelezen', '2030-01-02T03:04:07.000Z', 'm3'), attributes: {} as Record<string, string> };
  vreemd.attributes = { 'dpl.core.processing_activity_id': 'urn:elders#iets', 'dpl.core.data_subject_id': 'p3', 'dpl.core.data_subject_id_type': 'bsn-pseudoniem', 'eigen.veld': 'x' };
  for (const v of [gewoon, bijzonder, vreemd]) await lb.schrijf(v);
  // A record in the full form of before.
  const oud = record('melding-ontvangen', '2030-01-02T03:04:08.000Z', 'm4');
  await redis.xadd(namen.logboek(), `${Date.parse(oud.endTime)}-*`, 'naam', oud.name, 'melding', 'm4', 'betrokkene', 'p1', 'span', JSON.stringify(oud));
  const gelezen = [];
  for await (const v of lb.lees()) gelezen.push(v);
  t.same(gelezen, [gewoon, bijzonder, vreemd, oud]);
  t.same(Object.keys(gelezen[0]!.attributes), Object.keys(gewoon.attributes), 'attributes in the order the domain builds them');
  const velden = ((await redis.xrange(namen.logboek(), '-', '+', 'COUNT', 1)) as [string, string[]][])[0]![1];
  const span = velden[velden.indexOf('span') + 1]!;
  t.ok(span.length < JSON.stringify(gewoon).length / 2, `compact: ${span.length} bytes for ${JSON.stringify(gewoon).length}`);
  t.notMatch(span, /p1|m1|signaalbrug|pseudoniem/, 'what the stream fields and the constants say is not repeated (also the kind of pseudonym the domain writes)');
});
