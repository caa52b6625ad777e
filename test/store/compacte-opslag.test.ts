// The melding and the repeat link in a real Redis: stored as bytes in the compact format, fields of
// the case hash, much smaller than the text of before; values of before (v1 text in strings of their
// own) still read everywhere (the case, the repeat link, the DDAS export) and `sleutel roteer`
// rewrites them in the compact format. A case is one key; the events of a case written before, in a
// list key of its own, still read and are appended to in order.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import t, { type Test } from 'tap';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createSignaalbrug } from '../../src/signaalbrug.js';
import { Sleutelring } from '../../src/store/sleutelring.js';
import { jobId } from '../../src/store/wachtrijen.js';
import { MeldingenStore } from '../../src/store/meldingen.js';
import { RapportageStore } from '../../src/store/rapportage.js';
import { amsterdamDatum } from '../../src/domain/werkdagen.js';
import type { Melding } from '../../src/domain/melding.js';
import { testConfigDoc, testPki, voorbeeldMelding } from '../helpers/build.js';
import { lopendeKlok } from '../helpers/klok.js';
import { startRedis } from '../helpers/redis.js';

async function signaalbrug(t: Test, url: string) {
  const dir = t.testdir();
  const sleutelbestand = path.join(dir, 'sleutels.json');
  writeFileSync(sleutelbestand, Sleutelring.nieuw('k1'), { mode: 0o600 });
  const config = parseConfig(JSON.stringify(testConfigDoc(await testPki(), url, sleutelbestand)), path.join(dir, `${randomUUID()}.config.json`));
  const sb = await createSignaalbrug(config, { log: createLogger(undefined, 'silent'), klok: lopendeKlok, env: {} });
  t.teardown(() => sb.sluit());
  return sb;
}

t.test('stored as bytes, much smaller; the values of before still read, and roteer rewrites them', async (t) => {
  const r = await startRedis(t);
  const redis = new Redis(r.url);
  t.teardown(() => redis.disconnect());
  const sb = await signaalbrug(t, r.url);
  const { intake, lezen, rapportage, sleutelbeheer } = sb.diensten;
  const CORPORATIE = '00000099000000000001';
  const huurder = (achternaam: string) => ({ ...voorbeeldMelding().huurder, relatienummer: 'COMPACT-1', achternaam });
  const a = (await intake.ontvang(CORPORATIE, voorbeeldMelding({ huurder: huurder('Eerstemelding') }))).record.id;
  const b = (await intake.ontvang(CORPORATIE, voorbeeldMelding({ huurder: huurder('Tweedemelding') }))).record.id;
  const gegevensA = sb.namen.meldingBlob(a, 'gegevens');
  const herhalingB = sb.namen.meldingBlob(b, 'herhaling');
  t.same(await redis.keys(`*${a}*`), [sb.namen.melding(a)], 'a case is one key (its indexes aside)');
  t.equal(await redis.object('ENCODING', sb.namen.melding(a)), 'listpack', "in Redis's compact hash encoding");

  // As the intake stores them: bytes of the compact format, with the key id, that open to the melding.
  const opgeslagen = (await redis.hgetBuffer(sb.namen.melding(a), 'gegevens'))!;
  const herhaling = (await redis.hgetBuffer(sb.namen.melding(b), 'herhaling'))!;
  for (const [naam, w] of [['melding', opgeslagen], ['repeat link', herhaling]] as const) {
    t.equal(w[0], 0x02, `${naam}: v2 version byte`);
    t.equal(Sleutelring.formaatVan(w), 'v2');
    t.equal(Sleutelring.sleutelVan(w), 'k1');
  }
  const json = sb.sleutels.ontsleutel(opgeslagen, a);
  t.equal((JSON.parse(json) as Melding).huurder.achternaam, 'Eerstemelding', 'the stored bytes are the melding, encrypted (AAD: the case id)');
  t.notOk(opgeslagen.includes('Eerstemelding') || opgeslagen.includes('huurachterstand') || opgeslagen.includes('"referentie"'), 'no plaintext in the bytes');
  t.match(JSON.parse(sb.sleutels.ontsleutel(herhaling, `${b}:herhaling`)), { vorigeMelding: a }, 'the repeat link, encrypted');
  await redis.set(gegevensA, opgeslagen);
  const v2 = { bytes: opgeslagen.length, geheugen: (await redis.memory('USAGE', gegevensA))! };

  // What the versions before wrote: the same melding and repeat link as v1 text, strings of their own.
  await redis.hdel(sb.namen.melding(a), 'gegevens');
  await redis.hdel(sb.namen.melding(b), 'herhaling');
  const tekst = sb.sleutels.versleutel(json, a);
  await redis.set(gegevensA, tekst);
  await redis.set(herhalingB, sb.sleutels.versleutel(sb.sleutels.ontsleutel(herhaling, `${b}:herhaling`), `${b}:herhaling`));
  const v1 = { bytes: (await redis.strlen(gegevensA)), geheugen: (await redis.memory('USAGE', gegevensA))! };
  t.comment(`the example melding (${Buffer.byteLength(json)} bytes of JSON): v1 ${v1.bytes} bytes of text (MEMORY USAGE ${v1.geheugen}), `
    + `v2 ${v2.bytes} bytes (MEMORY USAGE ${v2.geheugen}), ${Math.round((100 * v2.bytes) / v1.bytes)} %`);
  t.ok(v2.bytes < v1.bytes * 0.6, `v2 ${v2.bytes} bytes < 60 % of v1 ${v1.bytes}`);
  t.ok(v2.geheugen < v1.geheugen * 0.6, `in Redis ${v2.geheugen} < 60 % of ${v1.geheugen} bytes`);

  // Values of before read everywhere: the case, the repeat link, the DDAS export (which reads in bulk).
  t.equal(((await lezen.melding(a))?.gegevens as Melding).huurder.achternaam, 'Eerstemelding', 'an old v1 melding reads');
  t.match(await lezen.herhaling(b), { vorigeMelding: a }, 'an old v1 repeat link reads');
  t.equal(((await lezen.melding(b))?.gegevens as Melding).huurder.achternaam, 'Tweedemelding', 'a v2 melding reads');
  const vandaag = amsterdamDatum(lopendeKlok());
  const ddas = JSON.stringify(await rapportage.ddas({ van: vandaag, tot: vandaag, gemeente: '00000099000000000010', gemeentecode: '0392' }));
  t.ok(ddas.includes('Eerstemelding') && ddas.includes('Tweedemelding'), 'the DDAS export reads both formats');

  // Rotation without a new key rewrites what is still text; the old format counts as work to do.
  t.same(await sleutelbeheer.status(), { k1: 3 }, 'two meldingen and a repeat link, all of k1');
  const verslag = await sleutelbeheer.roteer({});
  t.match(verslag, { herversleuteld: 2, gelijktijdigGewijzigd: 0, perSleutel: { k1: 3 } }, 'the two v1 values, and nothing else');
  for (const k of [gegevensA, herhalingB]) t.equal((await redis.getBuffer(k))![0], 0x02, 'rewritten in the compact format');
  t.equal(await redis.strlen(gegevensA), v2.bytes, 'as small as the intake writes it');
  t.equal(((await lezen.melding(a))?.gegevens as Melding).huurder.achternaam, 'Eerstemelding', 'and still the same melding');
  t.match(await lezen.herhaling(b), { vorigeMelding: a });
  t.match(await sleutelbeheer.roteer({}), { herversleuteld: 0, rondes: 1 }, 'nothing left to do');
});

t.test('a value that is not a ciphertext is refused when read, not handed out', async (t) => {
  const r = await startRedis(t);
  const redis = new Redis(r.url);
  t.teardown(() => redis.disconnect());
  const sb = await signaalbrug(t, r.url);
  const id = (await sb.diensten.intake.ontvang('00000099000000000001', voorbeeldMelding())).record.id;
  const sleutel = sb.namen.melding(id);
  const echt = (await redis.hgetBuffer(sleutel, 'gegevens'))!;
  // The melding in plain JSON, as a store without encryption would keep it.
  await redis.hset(sleutel, 'gegevens', JSON.stringify((await sb.diensten.lezen.melding(id))!.gegevens));
  await t.rejects(sb.diensten.lezen.melding(id), /onbekend versleutelformaat/, 'plain JSON');
  const gekanteld = Buffer.from(echt);
  gekanteld[gekanteld.length - 1]! ^= 0x80;
  await redis.hset(sleutel, 'gegevens', gekanteld);
  await t.rejects(sb.diensten.lezen.melding(id), /niet te ontsleutelen/, 'a flipped bit');
  await redis.hset(sleutel, 'gegevens', echt.subarray(0, 20));
  await t.rejects(sb.diensten.lezen.melding(id), /afgekapt/, 'truncated');
  await redis.hset(sleutel, 'gegevens', echt);
  t.ok(await sb.diensten.lezen.melding(id), 'the real value reads');
});

t.test('a case written before its events moved into its hash: read, appended to in order, erased', async (t) => {
  const r = await startRedis(t);
  const redis = new Redis(r.url);
  t.teardown(() => redis.disconnect());
  const sb = await signaalbrug(t, r.url);
  const nieuw = async () => (await sb.diensten.intake.ontvang('00000099000000000001', voorbeeldMelding())).record.id;
  const [oud, hier] = [await nieuw(), await nieuw()];
  // The case `oud` as the version before kept it: its events in a list key of their own, the moment
  // of receipt as ISO text, the trace in two fields.
  const hash = sb.namen.melding(oud);
  const lijst = sb.namen.gebeurtenissen(oud);
  const store = new MeldingenStore(redis, sb.namen);
  const zoals = (await store.casus(oud))!;
  t.match(await redis.hget(hash, 'ontvangenOp'), /^\d{13}$/, 'a case of now: the moment in milliseconds');
  t.match(await redis.hget(hash, 'spoor'), /^[0-9a-f]{32}-[0-9a-f]{16}$/, 'and the trace in one field');
  t.match(zoals, { ontvangenOp: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, traceId: /^[0-9a-f]{32}$/, spanId: /^[0-9a-f]{16}$/ }, 'read as ISO text and two ids');
  const [traceId, spanId] = (await redis.hget(hash, 'spoor'))!.split('-');
  await redis.hset(hash, 'ontvangenOp', zoals.ontvangenOp, 'traceId', traceId!, 'spanId', spanId!);
  await redis.hdel(hash, 'spoor');
  t.same(await store.casus(oud), zoals, 'the fields of before read the same');
  await redis.rpush(lijst, ...(await redis.hget(hash, 'gebeurtenissen'))!.split('\n'));
  await redis.hdel(hash, 'gebeurtenissen');
  for (const id of [oud, hier]) {
    await sb.diensten.casussen.pasToe(id, {
      soort: 'verzonden', bericht: 'melding-aan-wijkteam', ontvanger: 'wijkteam', mailbox: 'wijkteam-noord@haarlem.example', bezorging: 'smime',
      poging: 1, smtpAntwoord: '250 OK', messageId: `<${id}@test.invalid>`, markering: jobId({ meldingId: id, bericht: 'melding-aan-wijkteam', ontvanger: 'wijkteam' }),
    });
  }
  for (const id of [oud, hier]) {
    t.same((await sb.diensten.lezen.gebeurtenissen(id)).map((g) => g.soort), ['ontvangen', 'verzonden'], `${id === oud ? 'before' : 'now'}: both events, in order`);
  }
  t.equal(await redis.llen(lijst), 2, 'the later event went on the list key the case has');
  t.equal(await redis.hexists(hash, 'gebeurtenissen'), 0, 'not split over two places');
  t.equal((await redis.hget(sb.namen.melding(hier), 'gebeurtenissen'))!.split('\n').length, 2, 'a case of now: two lines of its field');
  t.equal(await redis.exists(sb.namen.gebeurtenissen(hier)), 0, 'and no list key');
});

t.test('lookups by keyed hash in buckets: entries of before still count, and erasure removes exactly its own', async (t) => {
  const r = await startRedis(t);
  const redis = new Redis(r.url);
  t.teardown(() => redis.disconnect());
  const sb = await signaalbrug(t, r.url);
  const store = new MeldingenStore(redis, sb.namen);
  const referenties = [randomUUID(), randomUUID()];
  const nieuw = async (referentie: string) => (await sb.diensten.intake.ontvang('00000099000000000001', voorbeeldMelding({ referentie }))).record;
  const [oud, hier] = [(await nieuw(referenties[0]!)).id, (await nieuw(referenties[1]!)).id];
  const pseudoniem = (await redis.hget(sb.namen.melding(oud), 'betrokkene'))!;
  const idemHier = sb.namen.idemPlek((await redis.hget(sb.namen.melding(hier), 'idem'))!);
  t.match(await redis.hget(idemHier.key, idemHier.veld), new RegExp(`^${hier} `), 'an idempotency entry in its bucket');
  const plek = sb.namen.betrokkenePlek(pseudoniem);
  t.equal((await redis.hget(plek.key, plek.veld))!.split(' ').length, 2, 'one tenant, two meldingen: two items of one field');
  // `oud` as the version before kept it: in a sorted set per pseudonym, its idempotency entry a key of its own.
  const items = (await redis.hget(plek.key, plek.veld))!.split(' ');
  const [ms] = items.find((i) => i.endsWith(`:${oud}`))!.split(':');
  await redis.hset(plek.key, plek.veld, items.filter((i) => !i.endsWith(`:${oud}`)).join(' '));
  await redis.zadd(sb.namen.betrokkeneIndex(pseudoniem), Number(ms), oud);
  // (the case of before kept the whole keyed hash; its key of its own was named by it)
  const idemHash = sb.sleutels.pseudoniem('idem', '00000099000000000001', referenties[0]!);
  t.equal(await redis.hget(sb.namen.melding(oud), 'idem'), idemHash.slice(0, 24), 'a case of now keeps what names its entry');
  await redis.hset(sb.namen.melding(oud), 'idem', idemHash);
  const idem = sb.namen.idemPlek(idemHash);
  await redis.set(sb.namen.idem(idemHash), (await redis.hget(idem.key, idem.veld))!);
  await redis.hdel(idem.key, idem.veld);
  t.same(await store.meldingenVan(pseudoniem), [oud, hier].sort(), 'both forms read');
  // A repeat signal links to the latest of both forms: the bucket's (`hier`), or the sorted set's when that is later.
  t.match(await sb.diensten.lezen.herhaling(await nieuw(randomUUID()).then((r) => r.id)), { vorigeMelding: hier }, 'linked to the latest of both forms');
  const laatsteMs = Math.max(...(await redis.hget(plek.key, plek.veld))!.split(' ').map((i) => Number(i.split(':')[0])));
  await redis.zadd(sb.namen.betrokkeneIndex(pseudoniem), laatsteMs + 1, oud);
  const derde = (await nieuw(randomUUID())).id;
  t.match(await sb.diensten.lezen.herhaling(derde), { vorigeMelding: oud }, 'an entry of before counts as the latest when it is');
  await redis.zadd(sb.namen.betrokkeneIndex(pseudoniem), Number(ms), oud);

  await sb.diensten.opruimer.wis(oud, 'verzoek-betrokkene', { kanaal: 'cli' });
  t.equal(await redis.exists(sb.namen.betrokkeneIndex(pseudoniem), sb.namen.idem(idemHash)), 0, 'the keys of before are gone');
  t.equal((await store.meldingenVan(pseudoniem)).length, 3, 'the other meldingen of the tenant stay');
  t.ok((await store.meldingenVan(pseudoniem)).includes(hier));
  for (const id of await store.meldingenVan(pseudoniem)) await sb.diensten.opruimer.wis(id, 'verzoek-betrokkene', { kanaal: 'cli' });
  t.equal(await redis.hexists(plek.key, plek.veld), 0, 'the last one takes the field along');
  t.equal(await redis.hexists(idemHier.key, idemHier.veld), 0, 'and its idempotency entry');
});

t.test('the corporation index is a stream by moment of receipt, read by time range in pages; a sorted set of before still reads', async (t) => {
  const r = await startRedis(t);
  const redis = new Redis(r.url);
  t.teardown(() => redis.disconnect());
  const sb = await signaalbrug(t, r.url);
  const OIN = '00000099000000000001';
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push((await sb.diensten.intake.ontvang(OIN, voorbeeldMelding({ referentie: randomUUID() }))).record.id);
  const stroom = sb.namen.corporatieStroom(OIN);
  const entries = await redis.xrange(stroom, '-', '+');
  t.same(entries.map(([, v]) => v), ids.map((id) => ['id', id]), 'one entry per case, in order of receipt');
  const ms = entries.map(([id]) => Number(id.split('-')[0]));
  for (const [i, id] of ids.entries()) t.equal(ms[i], Date.parse((await new MeldingenStore(redis, sb.namen).casus(id))!.ontvangenOp), 'entry id: the moment of receipt');
  const store = new RapportageStore(redis, sb.namen);
  const alle = async (van: number | '-inf', tot: number | '+inf', batch = 2) => {
    const uit: string[][] = [];
    for await (const b of store.meldingIds([OIN], van, tot, batch)) uit.push(b);
    return uit;
  };
  t.same(await alle('-inf', '+inf'), [ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)], 'pages of two, oldest first');
  t.same((await alle(ms[1]!, ms[3]!, 10)).flat(), ids.filter((_, i) => ms[i]! >= ms[1]! && ms[i]! < ms[3]!), '[van, tot): from, not including, the end');
  // The first case in the sorted set the index was before: read first, then the stream.
  await redis.xdel(stroom, entries[0]![0]);
  await redis.zadd(sb.namen.corporatieIndex(OIN), ms[0]!, ids[0]!);
  t.same((await alle('-inf', '+inf', 10)).flat(), ids, 'both forms, each oldest first');
  t.same(await store.corporatieOins(), [OIN]);
  await redis.del(stroom);
  t.same(await store.corporatieOins(), [OIN], 'a corporation with only the form of before is found too');
  t.same((await alle('-inf', '+inf', 10)).flat(), [ids[0]]);
});
