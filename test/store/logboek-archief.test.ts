// The logboek's archive on a real Redis: records moved from the stream into compressed blocks read
// back exactly as before (every filter), two archivers or a retry never lose or repeat a record, a
// record written meanwhile stays, a reader in the middle of it all sees every record once,
// retention cuts across block boundaries, and a block is much smaller than the stream it replaces.
import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import t from 'tap';
import { nieuwSpanId, nieuwSpoor, verwerking, type Actie, type Verwerking } from '../../src/domain/verwerking.js';
import { leesBlok } from '../../src/store/logboek-blok.js';
import { LogboekStore, type Logboekfilter } from '../../src/store/logboek.js';
import { RedisNamen } from '../../src/store/redis-namen.js';
import { BASIS } from '../helpers/klok.js';
import { startRedis } from '../helpers/redis.js';

const MIN = 60_000;
const DAG = 86_400_000;

async function logboek(t: Parameters<typeof startRedis>[0]) {
  const r = await startRedis(t);
  const redis = new Redis(r.url);
  t.teardown(() => redis.disconnect());
  const namen = new RedisNamen('sb');
  return { redis, namen, url: r.url, lb: new LogboekStore(redis, namen) };
}

/** A second connection to the same Redis (another worker). */
function nogEen(t: Parameters<typeof startRedis>[0], url: string) {
  const redis = new Redis(url);
  t.teardown(() => redis.disconnect());
  return { redis, lb: new LogboekStore(redis, new RedisNamen('sb')) };
}

const record = (actie: Actie, op: Date, meldingId?: string, betrokkene = 'p1', extra?: Record<string, string>) =>
  verwerking({ actie, spoor: nieuwSpoor(), register: 'urn:test', betrokkene, oin: '00000099000000000001', meldingId, start: op, extra });

const alles = async (lb: LogboekStore, f: Logboekfilter = {}) => {
  const uit: Verwerking[] = [];
  for await (const v of lb.lees(f)) uit.push(v);
  return uit;
};
const meldingen = (vs: Verwerking[]) => vs.map((v) => v.attributes['dpl.signaalbrug.melding_id']);

/** The blocks in Redis, decoded: index entries and every record they hold. */
async function blokken(redis: Redis, namen: RedisNamen) {
  const leden = await redis.zrange(namen.logboekArchief(), '0', '-1');
  const records: string[] = [];
  for (const lid of leden) {
    const blok = await redis.getBuffer(namen.logboekBlok(lid.split(' ')[0]!));
    for (const [id] of await leesBlok(blok!)) records.push(id);
  }
  return { leden, records };
}

/** 40 records over 40 minutes before BASIS, of four meldingen, two subjects, several actions; plus odd ones. */
async function vul(lb: LogboekStore, redis: Redis, namen: RedisNamen) {
  const begin = BASIS.getTime() - 60 * MIN;
  const acties: Actie[] = ['melding-ontvangen', 'melding-bezorgd', 'melding-gelezen', 'gegevens-verwijderd'];
  for (let i = 0; i < 40; i++) await lb.schrijf(record(acties[i % 4]!, new Date(begin + i * MIN), `m${i % 5}`, i % 3 ? 'p1' : 'p2'));
  // A foreign activity id and subject type, an error span with a parent, and a record in the full form of before.
  const vreemd = { ...record('melding-gelezen', new Date(begin + 40 * MIN), 'm9'), attributes: {} as Record<string, string> };
  vreemd.attributes = { 'dpl.core.processing_activity_id': 'urn:elders#iets', 'dpl.core.data_subject_id': 'p3', 'dpl.core.data_subject_id_type': 'bsn-pseudoniem', 'eigen.veld': 'x' };
  await lb.schrijf(vreemd);
  await lb.schrijf(verwerking({ actie: 'inzage-verstrekt', spoor: { traceId: 'a'.repeat(32), parentSpanId: 'b'.repeat(16), extern: true }, register: 'urn:test',
    betrokkene: 'p2', oin: '00000099000000000002', start: new Date(begin + 41 * MIN), eind: new Date(begin + 41 * MIN + 1250), fout: true, extra: { kanaal: 'cli' } }));
  const oud = record('melding-ontvangen', new Date(begin + 42 * MIN), 'm4');
  await redis.xadd(namen.logboek(), `${Date.parse(oud.endTime)}-*`, 'naam', oud.name, 'melding', 'm4', 'betrokkene', 'p1', 'span', JSON.stringify(oud));
  // A record in another shape (not written by us, but kept as it was).
  await redis.xadd(namen.logboek(), `${begin + 43 * MIN}-*`, 'naam', 'melding-gelezen', 'span', JSON.stringify(record('melding-gelezen', new Date(begin + 43 * MIN), 'm8')));
  return begin;
}

/** Every filter the readers use, over the window of `vul`. */
const filters = (begin: number): Logboekfilter[] => [
  {}, { melding: 'm1' }, { melding: 'm4' }, { betrokkene: 'p2' }, { activiteit: 'melding-bezorgd' }, { activiteit: 'bewaartermijn' },
  { activiteit: 'iets' }, { sinds: new Date(begin + 7 * MIN) }, { tot: new Date(begin + 23 * MIN) },
  { sinds: new Date(begin + 11 * MIN), tot: new Date(begin + 29 * MIN) }, { sinds: new Date(begin + 11 * MIN + 1), tot: new Date(begin + 11 * MIN + 2) },
  { sinds: new Date(begin + 3 * MIN), tot: new Date(begin + 38 * MIN), melding: 'm3', betrokkene: 'p1' },
];

t.test('archived records read back exactly as before, with every filter, from blocks and stream together', async (t) => {
  const { redis, namen, lb } = await logboek(t);
  const begin = await vul(lb, redis, namen);
  const voor = await Promise.all(filters(begin).map((f) => alles(lb, f)));
  t.equal(voor[0]!.length, 44);
  const stroom = await redis.xrange(namen.logboek(), '-', '+');

  // Blocks of 6 for the records before minute 30; the rest stays in the stream.
  let r;
  do r = await lb.archiveer({ voor: new Date(begin + 30 * MIN), max: 6 });
  while (r !== 'geweigerd' && r.aantal);
  const { leden, records } = await blokken(redis, namen);
  t.equal(leden.length, 5, 'five blocks of six');
  t.same(records, stroom.slice(0, 30).map(([id]) => id), 'the 30 oldest records, in order, each once');
  t.same((await redis.xrange(namen.logboek(), '-', '+')).map(([id]) => id), stroom.slice(30).map(([id]) => id), 'the stream keeps exactly the rest');
  t.equal(await redis.exists(namen.logboekBlok(stroom[0]![0])), 1, 'a block is named by its first entry id');

  const na = await Promise.all(filters(begin).map((f) => alles(lb, f)));
  filters(begin).forEach((f, i) => t.same(na[i], voor[i], `the same records in the same order: ${JSON.stringify(f)}`));

  // Everything archived: still the same.
  await lb.archiveer({ voor: new Date(BASIS.getTime() + DAG), max: 100 });
  t.equal(await redis.xlen(namen.logboek()), 0);
  const helemaal = await Promise.all(filters(begin).map((f) => alles(lb, f)));
  filters(begin).forEach((f, i) => t.same(helemaal[i], voor[i], `all archived: ${JSON.stringify(f)}`));
  // And what is written after it lands behind the archive.
  await lb.schrijf(record('melding-gelezen', new Date(begin), 'na'));
  t.same(meldingen(await alles(lb)).at(-1), 'na', 'a lagging clock still appends after the newest record ever given');
});

t.test('only whole old records, and not fewer than asked', async (t) => {
  const { redis, namen, lb } = await logboek(t);
  const begin = BASIS.getTime() - 10 * MIN;
  for (let i = 0; i < 5; i++) await lb.schrijf(record('melding-ontvangen', new Date(begin + i * MIN), `m${i}`));
  t.same(await lb.archiveer({ voor: new Date(begin + 3 * MIN), max: 10, min: 4 }), { aantal: 0, bytes: 0 }, 'three are old enough: fewer than four, nothing moves');
  const r = await lb.archiveer({ voor: new Date(begin + 3 * MIN), max: 10, min: 3 });
  t.match(r, { aantal: 3 }, 'strictly before the moment');
  t.equal(await redis.xlen(namen.logboek()), 2);
  t.same(await lb.archiveer({ voor: new Date(begin + 3 * MIN), max: 10 }), { aantal: 0, bytes: 0 }, 'nothing left that old');
});

t.test('two archivers at once: the compare-and-set refuses the stale block, nothing is lost or repeated', async (t) => {
  const { redis, namen, lb, url } = await logboek(t);
  const begin = await vul(lb, redis, namen);
  const voor = await alles(lb);
  const b = nogEen(t, url);
  const a = nogEen(t, url);
  const tot = new Date(begin + 30 * MIN);
  // A reads the head of the stream; before it writes, B archives the same head (same first id: the block exists).
  const echt = a.redis.xrange.bind(a.redis) as (...x: unknown[]) => Promise<unknown>;
  let tussendoor: (() => Promise<unknown>) | undefined = () => b.lb.archiveer({ voor: tot, max: 5 });
  (a.redis as any).xrange = async (...x: unknown[]) => {
    const gelezen = await echt(...x);
    const f = tussendoor;
    tussendoor = undefined;
    if (f) await f();
    return gelezen;
  };
  t.equal(await a.lb.archiveer({ voor: tot, max: 5 }), 'geweigerd', 'the block of that first record exists');
  // B archives fewer than A read: A's first record is no longer the head of the stream.
  tussendoor = () => b.lb.archiveer({ voor: tot, max: 3 });
  t.equal(await a.lb.archiveer({ voor: tot, max: 5 }), 'geweigerd', 'the stream no longer starts where A read');
  // The retention takes the head meanwhile: refused as well.
  tussendoor = () => b.lb.trim(new Date(begin + 9 * MIN));
  t.equal(await a.lb.archiveer({ voor: tot, max: 5 }), 'geweigerd', 'the head was trimmed');
  t.match(await a.lb.archiveer({ voor: tot, max: 5 }), { aantal: 5 }, 'read again, it goes');

  const { records } = await blokken(redis, namen);
  const stroom = (await redis.xrange(namen.logboek(), '-', '+')).map(([id]) => id);
  t.equal(new Set([...records, ...stroom]).size, records.length + stroom.length, 'no record both in a block and in the stream, or in two blocks');
  t.same(await alles(lb), voor.slice(9), 'every record once, in order (the nine trimmed ones gone)');

  // Both at full speed, many times over: still every record exactly once.
  await Promise.all([a, b].map(async (x) => {
    for (let i = 0; i < 20; i++) await x.lb.archiveer({ voor: new Date(BASIS.getTime() + DAG), max: 2 });
  }));
  t.equal(await redis.xlen(namen.logboek()), 0);
  t.same(await alles(lb), voor.slice(9));
});

t.test('a record written while a block is made stays in the stream; a reader in the middle sees every record once', async (t) => {
  const { redis, namen, lb, url } = await logboek(t);
  const begin = BASIS.getTime() - 2 * DAG;
  for (let i = 0; i < 1203; i++) await lb.schrijf(record('melding-gelezen', new Date(begin + i * 1000), `m${i}`));
  const a = nogEen(t, url);
  const echt = a.redis.xrange.bind(a.redis) as (...x: unknown[]) => Promise<unknown>;
  let laat: Verwerking | undefined = record('melding-gelezen', new Date(begin), 'tussendoor'); // a writer whose clock lags: appended after the newest
  (a.redis as any).xrange = async (...x: unknown[]) => {
    const gelezen = await echt(...x);
    if (laat) await lb.schrijf(laat);
    laat = undefined;
    return gelezen;
  };
  const r = await a.lb.archiveer({ voor: new Date(BASIS.getTime() + DAG), max: 2000 });
  t.match(r, { aantal: 1203 }, 'exactly what was read');
  t.same((await redis.xrange(namen.logboek(), '-', '+')).map(([, v]) => v[3]), ['tussendoor'], 'the new record is still in the stream');
  const gelezen = meldingen(await alles(lb));
  t.equal(gelezen.length, 1204);
  t.same(gelezen.at(-1), 'tussendoor');
  t.equal(new Set(gelezen).size, 1204, 'none twice');

  // A reader halfway through the stream's first page while records move into blocks under it.
  await lb.trim(new Date(BASIS.getTime() + DAG));
  for (let i = 0; i < 1203; i++) await lb.schrijf(record('melding-gelezen', new Date(begin + DAG + i * 1000), `n${i}`));
  const lezer = lb.lees();
  const uit: string[] = [];
  for (let i = 0; i < 100; i++) uit.push((await lezer.next()).value!.attributes['dpl.signaalbrug.melding_id']!);
  await lb.archiveer({ voor: new Date(BASIS.getTime() + DAG), max: 1000 });
  for await (const v of lezer) uit.push(v.attributes['dpl.signaalbrug.melding_id']!);
  t.same(uit, Array.from({ length: 1203 }, (_, i) => `n${i}`), 'every record once, in order');

  // A reader whose block the retention replaces between the index and the block.
  const grens = new Date(begin + DAG + 500 * 1000);
  await lb.archiveer({ voor: new Date(BASIS.getTime() + DAG), max: 1000 });
  const echtGet = redis.getBuffer.bind(redis);
  let eenmaal = true;
  (redis as any).getBuffer = async (k: string) => {
    if (eenmaal) {
      eenmaal = false;
      await a.lb.trim(grens);
    }
    return echtGet(k);
  };
  t.same(meldingen(await alles(lb)), Array.from({ length: 1203 }, (_, i) => `n${i}`).slice(500), 'the reader asks the index again: what is left, once');
});

t.test('retention across block boundaries: whole blocks go, the straddling block keeps what is younger, nothing trimmed comes back', async (t) => {
  const { redis, namen, lb } = await logboek(t);
  const begin = BASIS.getTime() - 5 * DAG;
  // 30 records a minute apart, the first 25 in blocks of 5, the last 5 in the stream.
  for (let i = 0; i < 30; i++) await lb.schrijf(record('melding-ontvangen', new Date(begin + i * MIN), `m${i}`));
  for (let i = 0; i < 5; i++) await lb.archiveer({ voor: new Date(begin + 25 * MIN), max: 5 });
  const ids = (await blokken(redis, namen)).records;
  t.equal(ids.length, 25);

  t.equal(await lb.trim(new Date(begin + 12 * MIN)), 12, 'two whole blocks and two records of the third');
  let b = await blokken(redis, namen);
  t.equal(b.leden.length, 3);
  t.same(b.records, ids.slice(12), 'the straddling block now starts at the limit; the records before it are gone from Redis');
  t.equal(await redis.exists(namen.logboekBlok(ids[10]!)), 0, 'the old block is gone');
  t.equal(await redis.exists(namen.logboekBlok(ids[12]!)), 1, 'its rest under its new first id');
  t.same(meldingen(await alles(lb)), Array.from({ length: 18 }, (_, i) => `m${i + 12}`));
  t.same(meldingen(await alles(lb, { sinds: new Date(begin), tot: new Date(begin + 13 * MIN) })), ['m12', 'm13'], 'a trimmed record never comes back');

  t.equal(await lb.trim(new Date(begin + 15 * MIN)), 3, 'a limit on a block boundary drops the block whole');
  b = await blokken(redis, namen);
  t.same(b.records, ids.slice(15));
  t.equal(await lb.trim(new Date(begin + 15 * MIN)), 0, 'again: nothing');

  t.equal(await lb.trim(new Date(begin + 27 * MIN)), 12, 'every block and two records of the stream');
  t.same(await blokken(redis, namen), { leden: [], records: [] });
  t.same(meldingen(await alles(lb)), ['m27', 'm28', 'm29']);
});

t.test('a block is much smaller than the stream it replaces', async (t) => {
  const { redis, namen, lb } = await logboek(t);
  // Two records per case as a delivered case has them (intake, delivery), all intakes first, then all deliveries.
  const n = 2000;
  const begin = BASIS.getTime() - DAG;
  const casussen = Array.from({ length: n / 2 }, () => ({ id: randomUUID(), betrokkene: randomBytes(32).toString('base64url'), spoor: nieuwSpoor(), span: nieuwSpanId() }));
  for (const [i, c] of casussen.entries())
    await lb.schrijf(verwerking({ actie: 'melding-ontvangen', spoor: c.spoor, register: 'urn:signaalbrug:verwerkingsregister', betrokkene: c.betrokkene,
      oin: '00000099000000000001', meldingId: c.id, start: new Date(begin + i * 20), extra: { soort: 'huurachterstand', wijkteam: 'noord' } }));
  for (const [i, c] of casussen.entries())
    await lb.schrijf(verwerking({ actie: 'melding-bezorgd', spoor: { traceId: c.spoor.traceId, parentSpanId: c.span }, register: 'urn:signaalbrug:verwerkingsregister',
      betrokkene: c.betrokkene, oin: '00000099000000000001', meldingId: c.id, start: new Date(begin + 60 * MIN + i * 20),
      extra: { kanaal: 'werker', bericht: 'melding-aan-wijkteam', ontvanger: 'wijkteam', bezorging: 'smime' } }));
  const stroom = Number(await redis.call('MEMORY', 'USAGE', namen.logboek(), 'SAMPLES', '0'));
  const voor = await alles(lb);
  const r = await lb.archiveer({ voor: new Date(BASIS.getTime()), max: n });
  t.match(r, { aantal: n });
  let archief = Number(await redis.call('MEMORY', 'USAGE', namen.logboekArchief()));
  for (const lid of await redis.zrange(namen.logboekArchief(), '0', '-1'))
    archief += Number(await redis.call('MEMORY', 'USAGE', namen.logboekBlok(lid.split(' ')[0]!)));
  const perStroom = stroom / n;
  const perArchief = archief / n;
  t.comment(`logboek: ${perStroom.toFixed(0)} B per record in the stream, ${perArchief.toFixed(0)} B archived (block ${r === 'geweigerd' ? '?' : r.bytes} B for ${n} records), ${(perStroom / perArchief).toFixed(1)}× smaller`);
  t.ok(perArchief < perStroom / 3, `archived ${perArchief.toFixed(0)} B per record, in the stream ${perStroom.toFixed(0)} B`);
  t.same(await alles(lb), voor, 'and reads the same');
});
