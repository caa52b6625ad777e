// The compact ciphertext format (v2) of the melding and the repeat link: round trips of every kind of
// case data, old `v1` text still readable, and anything malformed or tampered with refused with a
// reason, never answered with garbage. Fixed vectors pin the format and its dictionary: a value
// written today must open after any later change.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import t from 'tap';
import { herhalingVan } from '../../src/domain/berichten.js';
import { meldingSchemaOp } from '../../src/domain/melding.js';
import { parseSignaal } from '../../src/domain/signaal.js';
import { amsterdamDatum } from '../../src/domain/werkdagen.js';
import { Sleutelring } from '../../src/store/sleutelring.js';
import { WOORDENBOEK_V2 } from '../../src/store/woordenboek.js';
import { voorbeeldMelding, voorbeeldSignaal } from '../helpers/build.js';
import { lopendeKlok } from '../helpers/klok.js';

const sleutel = (s: string) => createHash('sha256').update(s).digest('base64');
/** The keyring the vectors below were made with (keys derived from fixed words: test data only). */
const VECTORRING = { actief: 'k1', sleutels: { k1: sleutel('vector k1') }, pseudoniem: sleutel('vector p') };
const VECTORTEKST = '{"referentie":"VECTOR-1","soort":"huurachterstand","huurder":{"relatienummer":"V-1","voorletters":"A.B.","achternaam":"Vóórbeeld",'
  + '"geboortedatum":"1970-01-01"},"adres":{"straatnaam":"Teststraat","huisnummer":1,"postcode":"2011AA","woonplaats":"Haarlem"},"huishouden":{"aantalBewoners":1}}';
/** VECTORTEKST as versleutelCompact wrote it (context `vector-context`) when v2 was introduced. */
const VECTOR_V2 = 'AgJrMSzXotfrfLh3wTtDOsgsiWu+8VBHGoS3FNoz++AAuKM7XQ61Y4xbcP+iK7Ck4nmeHh9fJDAyDJBJ42Db1g1hTWPaiBOlDCnrwnpUweciqapeZBBEEZhg1+KN2L4+8kUXvKc4TCjv5KDfgQ==';
/** The same as the text format wrote it. */
const VECTOR_V1 = 'v1.k1.CNk7NukjNbndSRfR.Q53993-xjez3jvVzS6wN8bLlpOZ5MBrUowk2NfeqCo9uGWQ_QxNrGwhLlfAoBRiIXAlsJF4xEFrMvRoaa1MXNVNrik6r2lCzsbhxLYMR6JnZvt025m-q-U_se84SH'
  + 'C8dyTHRnOizI_JjDClMvUcDXzwyT3btepj6dXSazLh2G2djGyiHsZhuCTm9-WMnUC5sOHj4HWz1-ILm2tkBRuGmJHqgZN40-4XhODc02TI6WSDVYuitDHIDnuDOhv-FUZvmFbY9Ir625orFYidKiDvGubbaW6r'
  + '2-TUk6YN3_4hwy0Ako_xBHz3IlfpiGeIFn-VTgYGxQFcu11q1T_4qp44r5g2AgcNvRe5mu34wY_y0EKIeEKqggJ-HR_NG8HlmBP61szw.MQ2GhE-UdUeIoHJSBbHW4g';

/** Every refusal names what is wrong; none passes a plaintext on. */
const GEWEIGERD = /onbekend versleutelformaat|ongeldige sleutel-id|afgekapt|geen geldige base64url|ontbreekt in de sleutelring|niet te ontsleutelen|klopt niet|niet uit te pakken/;

const vandaag = amsterdamDatum(lopendeKlok());

/** The case data as the intake stores it: a corporation's melding and each partner's signal, validated. */
function casusgegevens(): [string, string][] {
  const melding = meldingSchemaOp(vandaag).parse(voorbeeldMelding());
  const signaal = (partner: 'Energie' | 'Water' | 'Zorg', soort: string) => {
    const invoer = voorbeeldSignaal({ soort });
    if (partner === 'Zorg') invoer.stappen = { ...invoer.stappen, contactpogingen: undefined, betalingsregelingAangeboden: undefined };
    const r = parseSignaal(partner, JSON.parse(JSON.stringify(invoer)), vandaag);
    if (!r.success) throw new Error(`${partner}: ${JSON.stringify(r.issues)}`);
    return JSON.stringify(r.data);
  };
  const vorige = { id: '3f2b1c9e-8a7d-4e6f-9b1a-2c3d4e5f6a7b', ontvangenOp: lopendeKlok().toISOString(), gegevens: melding };
  return [
    ['melding', JSON.stringify(melding)],
    ['melding met e-mail, toestemming en accenten', JSON.stringify(meldingSchemaOp(vandaag).parse(voorbeeldMelding({
      soort: 'complexe-problematiek', achterstand: undefined, stappen: undefined,
      huurder: { ...voorbeeldMelding().huurder, achternaam: 'Çelik-Ødegård', emailadres: 'j.celik@example.org' },
      toestemming: { gegevenOp: voorbeeldMelding().stappen.herinneringVerstuurdOp, vastgelegdDoor: 'Mevr. De Wit' },
    })))],
    ['signaal Energie', signaal('Energie', 'betalingsachterstand-energie')],
    ['signaal Water', signaal('Water', 'betalingsachterstand-water')],
    ['signaal Zorg', signaal('Zorg', 'premieachterstand-zorgverzekering')],
    ['herhaling', JSON.stringify(herhalingVan(vorige, melding))],
    ['leeg', ''],
  ];
}

t.test('round trip of every kind of case data; binary, small, bound to its context', async (t) => {
  const ring = Sleutelring.fromJson(Sleutelring.nieuw('k7'), 'test');
  for (const [naam, platte] of casusgegevens()) {
    const blob = ring.versleutelCompact(platte, 'melding-1');
    t.ok(Buffer.isBuffer(blob), `${naam}: bytes`);
    t.equal(blob[0], 0x02, `${naam}: version byte`);
    t.equal(blob.toString('latin1', 1, 4), '\u0002k7', `${naam}: key id in the header`);
    t.equal(Sleutelring.formaatVan(blob), 'v2');
    t.equal(Sleutelring.sleutelVan(blob), 'k7');
    t.equal(ring.ontsleutel(blob, 'melding-1'), platte, `${naam}: round trip`);
    t.throws(() => ring.ontsleutel(blob, 'melding-2'), /niet te ontsleutelen/, `${naam}: another record cannot borrow it`);
    const tekst = ring.versleutel(platte, 'melding-1');
    if (platte.length > 100) {
      for (const woord of platte.match(/[A-Za-zÀ-ÿ]{5,}/g) ?? []) t.notOk(blob.includes(woord), `${naam}: no "${woord}" in the bytes`);
      t.ok(blob.length < tekst.length * (platte.length > 400 ? 0.3 : 0.5), `${naam}: ${platte.length} bytes of JSON, v1 text ${tekst.length}, v2 ${blob.length}`);
    }
  }
  t.not(ring.versleutelCompact('x', 'c').toString('hex'), ring.versleutelCompact('x', 'c').toString('hex'), 'fresh IV each time');
  // Larger than the 1 KiB output chunks both ways: random text deflates to more than a chunk.
  const groot = JSON.stringify({ toelichting: randomBytes(6000).toString('base64'), herhaald: 'Teststraat '.repeat(2000) });
  t.equal(ring.ontsleutel(ring.versleutelCompact(groot, 'melding-1'), 'melding-1'), groot, `round trip of ${groot.length} bytes, many chunks`);
});

t.test('fixed vectors: the format and its dictionary are frozen', async (t) => {
  const ring = Sleutelring.fromJson(JSON.stringify(VECTORRING), 'test');
  t.equal(ring.ontsleutel(Buffer.from(VECTOR_V2, 'base64'), 'vector-context'), VECTORTEKST, 'a v2 value of then opens now');
  t.equal(ring.ontsleutel(VECTOR_V1, 'vector-context'), VECTORTEKST, 'a v1 value of before opens as text');
  t.equal(ring.ontsleutel(Buffer.from(VECTOR_V1, 'latin1'), 'vector-context'), VECTORTEKST, 'and as the bytes GETBUFFER reads');
  t.equal(Sleutelring.formaatVan(VECTOR_V1), 'v1');
  t.equal(Sleutelring.sleutelVan(Buffer.from(VECTOR_V1)), 'k1');
  t.equal(createHash('sha256').update(WOORDENBOEK_V2).digest('hex'), '50383d80e0bcc6189e9c776f6be1972cd82b783e479ccd26d7115f46b3406911',
    'the v2 dictionary is unchanged (a new dictionary needs a new version byte)');
});

t.test('tampering, wrong keys, unknown versions and truncation are refused with a reason', async (t) => {
  const ring = Sleutelring.fromJson(JSON.stringify(VECTORRING), 'test');
  const blob = ring.versleutelCompact(VECTORTEKST, 'ctx');
  const kop = 2 + 2;
  const gebied = (i: number) => (i < kop ? 'header' : i < kop + 12 ? 'IV' : i < kop + 28 ? 'tag' : 'body');
  const gezien = new Set<string>();
  for (let i = 0; i < blob.length; i++) {
    for (let bit = 0; bit < 8; bit++) {
      const b = Buffer.from(blob);
      b[i]! ^= 1 << bit;
      let fout: unknown;
      try {
        ring.ontsleutel(b, 'ctx');
      } catch (err) {
        fout = err;
      }
      if (!(fout instanceof Error) || !GEWEIGERD.test(fout.message)) t.fail(`bit ${bit} of byte ${i} (${gebied(i)}): ${String(fout)}`);
      gezien.add(`${gebied(i)}: ${(fout as Error).message.replace(/versiebyte \d+/, 'versiebyte …').replace(/sleutel \S+ ontbreekt/, 'sleutel … ontbreekt')}`);
    }
  }
  t.pass(`every one of ${blob.length * 8} flipped bits refused`);
  t.comment([...gezien].sort().join('\n'));
  for (const g of ['IV', 'tag', 'body']) t.ok(gezien.has(`${g}: versleutelde waarde niet te ontsleutelen: gewijzigd, of van een ander record of veld`), `${g}: authentication fails`);
  t.ok([...gezien].some((g) => g.startsWith('header: onbekend versleutelformaat')), 'header: the version byte');

  t.throws(() => ring.ontsleutel(blob, 'ctx2'), /niet te ontsleutelen/, 'wrong AAD');
  t.throws(() => ring.ontsleutel(blob, ''), /niet te ontsleutelen/, 'no AAD');
  const ander = Sleutelring.fromJson(JSON.stringify({ ...VECTORRING, sleutels: { k1: sleutel('een andere k1') } }), 'test');
  t.throws(() => ander.ontsleutel(blob, 'ctx'), /niet te ontsleutelen/, 'the wrong key under the same id');
  const zonder = Sleutelring.fromJson(JSON.stringify({ ...VECTORRING, actief: 'k2', sleutels: { k2: sleutel('vector k2') } }), 'test');
  t.throws(() => zonder.ontsleutel(blob, 'ctx'), /sleutel k1 ontbreekt in de sleutelring/, 'a key id the ring does not have');
  // The id of a key the ring does have: it names that key, which does not open it.
  const metK2 = Sleutelring.fromJson(JSON.stringify({ ...VECTORRING, sleutels: { ...VECTORRING.sleutels, k2: sleutel('vector k2') } }), 'test');
  const omgezet = Buffer.from(blob);
  omgezet[3] = '2'.charCodeAt(0);
  t.throws(() => metK2.ontsleutel(omgezet, 'ctx'), /niet te ontsleutelen/, 'another key id of the ring');
  const langeId = Buffer.concat([Buffer.from([2, 40]), Buffer.alloc(40, 'k'), blob.subarray(kop)]);
  t.throws(() => ring.ontsleutel(langeId, 'ctx'), /ongeldige sleutel-id/, 'a key id longer than allowed');
  const vreemdeId = Buffer.from(blob);
  vreemdeId[2] = 0x00;
  t.throws(() => ring.ontsleutel(vreemdeId, 'ctx'), /ongeldige sleutel-id/, 'a key id with a byte no id has');

  for (const versie of [0x00, 0x01, 0x03, 0x7f, 0xff]) {
    const b = Buffer.from(blob);
    b[0] = versie;
    t.throws(() => ring.ontsleutel(b, 'ctx'), new RegExp(`onbekend versleutelformaat \\(versiebyte ${versie}\\)`), `version byte ${versie}`);
  }
  for (let n = 0; n < blob.length; n++)
    t.throws(() => ring.ontsleutel(blob.subarray(0, n), 'ctx'), n === 0 ? /onbekend versleutelformaat \(leeg\)/ : n < kop + 30 ? /afgekapt/ : /niet te ontsleutelen/,
      `truncated to ${n} bytes`);
  t.throws(() => ring.ontsleutel(Buffer.concat([blob, Buffer.from([0])]), 'ctx'), /niet te ontsleutelen/, 'a byte appended');
  t.throws(() => ring.ontsleutel(blob.toString('utf8'), 'ctx'), /een v2-waarde als tekst gelezen/, 'bytes read as text (GET instead of GETBUFFER)');

  // Authentic bytes (made here with the key: no writer makes them) are still checked before they are
  // handed out: the version inside must be the header's, and the rest a deflate stream.
  const authentiek = (platte: Buffer) => {
    const iv = Buffer.alloc(12, 7);
    const c = createCipheriv('aes-256-gcm', Buffer.from(VECTORRING.sleutels.k1, 'base64'), iv);
    c.setAAD(Buffer.from('ctx'));
    const ct = Buffer.concat([c.update(platte), c.final()]);
    return Buffer.concat([blob.subarray(0, kop), iv, c.getAuthTag(), ct]);
  };
  const gepakt = deflateRawSync(VECTORTEKST, { dictionary: WOORDENBOEK_V2, windowBits: 12 });
  t.equal(ring.ontsleutel(authentiek(Buffer.concat([Buffer.of(2), gepakt])), 'ctx'), VECTORTEKST, 'the construction below is sound');
  t.throws(() => ring.ontsleutel(authentiek(Buffer.concat([Buffer.of(2), Buffer.from([0xff, 0xff, 0xff, 0xff])])), 'ctx'), /niet uit te pakken/,
    'authentic garbage is not inflated');
  // A later version's body under this header (or this one's under a later header) is refused, not
  // inflated with the wrong dictionary: raw deflate itself would not notice and hand out garbage.
  t.throws(() => ring.ontsleutel(authentiek(Buffer.concat([Buffer.of(3), gepakt])), 'ctx'), /de versie in de kop klopt niet/, 'the version inside counts');
  const zonderDictionary = deflateRawSync(VECTORTEKST, { dictionary: Buffer.from('een ander woordenboek: "referentie":"'), windowBits: 12 });
  t.throws(() => ring.ontsleutel(authentiek(Buffer.concat([Buffer.of(3), zonderDictionary])), 'ctx'), /de versie in de kop klopt niet/);
});

t.test('old v1 text: malformed values are refused without quoting them', async (t) => {
  const ring = Sleutelring.fromJson(JSON.stringify(VECTORRING), 'test');
  const [v, kid, iv, ct, tag] = VECTOR_V1.split('.') as [string, string, string, string, string];
  const gevallen: [string, string, RegExp][] = [
    ['plain text', 'Jan van Dijk, Kleine Houtstraat 12', /^onbekend versleutelformaat$/],
    ['plain JSON', VECTORTEKST, /^onbekend versleutelformaat$/],
    ['unknown text version', ['v9', kid, iv, ct, tag].join('.'), /^onbekend versleutelformaat$/],
    ['a part missing', [v, kid, iv, ct].join('.'), /^onbekend versleutelformaat$/],
    ['a part extra', [v, kid, iv, ct, tag, tag].join('.'), /^onbekend versleutelformaat$/],
    ['no key id', [v, '', iv, ct, tag].join('.'), /ongeldige sleutel-id/],
    ['not base64url', [v, kid, iv, `${ct.slice(0, -2)}+/`, tag].join('.'), /geen geldige base64url/],
    ['a short tag (GCM would take 4 bytes)', [v, kid, iv, ct, tag.slice(0, 6)].join('.'), /afgekapt/],
    ['a short IV', [v, kid, iv.slice(0, 8), ct, tag].join('.'), /afgekapt/],
    ['a changed body', [v, kid, iv, `${ct[0] === 'A' ? 'B' : 'A'}${ct.slice(1)}`, tag].join('.'), /niet te ontsleutelen/],
    ['a cut body', [v, kid, iv, ct.slice(0, -4), tag].join('.'), /niet te ontsleutelen/],
  ];
  for (const [naam, blob, fout] of gevallen) {
    let melding = '';
    t.throws(() => {
      try {
        ring.ontsleutel(blob, 'vector-context');
      } catch (err) {
        melding = (err as Error).message;
        throw err;
      }
    }, fout, naam);
    t.notMatch(melding, /Dijk|Houtstraat|VECTOR|Vóórbeeld/, `${naam}: the value is not quoted`);
    // Only a value of the right shape has a key id to count (sleutel status); the rest counts as none.
    t.equal(Sleutelring.sleutelVan(blob), /niet te ontsleutelen/.test(melding) ? 'k1' : undefined, `${naam}: key id`);
  }
  t.equal(Sleutelring.sleutelVan('Jan van Dijk'), undefined, 'no key id in what is no ciphertext');
  t.equal(Sleutelring.formaatVan(Buffer.from([0x03, 1, 2])), undefined);
});

t.test('cost per melding: deflate and encrypt once, inflate and decrypt once', async (t) => {
  const ring = Sleutelring.fromJson(Sleutelring.nieuw('k1'), 'test');
  const platte = casusgegevens()[0]![1];
  const n = 3000;
  let blob = ring.versleutelCompact(platte, 'id');
  // Warm up first: zlib's first few thousand calls in a process are several times slower.
  for (let i = 0; i < 5000; i++) ring.ontsleutel(ring.versleutelCompact(platte, 'id'), 'id');
  let begin = process.hrtime.bigint();
  for (let i = 0; i < n; i++) blob = ring.versleutelCompact(platte, 'id');
  const erin = Number(process.hrtime.bigint() - begin) / n / 1000;
  begin = process.hrtime.bigint();
  for (let i = 0; i < n; i++) ring.ontsleutel(blob, 'id');
  const eruit = Number(process.hrtime.bigint() - begin) / n / 1000;
  let tekst = ring.versleutel(platte, 'id');
  begin = process.hrtime.bigint();
  for (let i = 0; i < n; i++) tekst = ring.versleutel(platte, 'id');
  const v1 = Number(process.hrtime.bigint() - begin) / n / 1000;
  t.comment(`${platte.length} bytes of JSON: v2 ${blob.length} bytes, ${erin.toFixed(1)} µs to write, ${eruit.toFixed(1)} µs to read; v1 ${tekst.length} characters, ${v1.toFixed(1)} µs to write`);
  t.ok(erin > 0 && eruit > 0, 'measured (the figures are a comment: a loaded machine must not fail the suite)');
});
