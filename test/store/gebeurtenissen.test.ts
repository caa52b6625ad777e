// A case's events in their compact list form, and its delivered-markers as fields of the case: read
// back exactly as the domain built them, also when written in the earlier forms, and smaller.
import { Redis } from 'ioredis';
import t from 'tap';
import type { Gebeurtenis } from '../../src/domain/overgangen.js';
import { BERICHTSOORTEN } from '../../src/domain/berichten.js';
import { GEBEURTENISSEN as SOORTEN } from '../../src/domain/status.js';
import { KANAALNAMEN } from '../../src/kanalen/soorten.js';
import { gebeurtenisTekst, uitGebeurtenisTekst } from '../../src/store/gebeurtenis-velden.js';
import { MeldingenStore } from '../../src/store/meldingen.js';
import { RedisNamen } from '../../src/store/redis-namen.js';
import { jobId } from '../../src/store/wachtrijen.js';
import { BASIS } from '../helpers/klok.js';
import { startRedis } from '../helpers/redis.js';

const op = (ms: number) => new Date(BASIS.getTime() + ms).toISOString();
const id = '0b0e8f6c-5d7a-4c1e-9f3b-2a6d8e4c1f00';

/** One of every kind the domain writes, with the details it gives them. */
const GEBEURTENISSEN: Gebeurtenis[] = [
  { soort: 'ontvangen', op: op(0) },
  { soort: 'ontvangen', op: op(0), herhalingVan: 'a1b2' },
  { soort: 'verzonden', op: op(1500), bericht: 'melding-aan-wijkteam', kanaal: 'smime', ontvanger: 'wijkteam-noord@haarlem.example', poging: 1,
    smtpAntwoord: '250 2.0.0 Ok: queued as 4F1', tls: 'STARTTLS (TLS 1.2+ vereist, certificaat gecontroleerd)', messageId: `<${id}@signaalbrug.example>` },
  { soort: 'verzonden', op: op(1600), bericht: 'melding-aan-wijkteam', kanaal: 'pgp', ontvanger: 'x@y.example', poging: 2, smtpAntwoord: '250 OK',
    tls: 'een andere verklaring', messageId: '<m@x>' },
  { soort: 'bezorgpoging-mislukt', op: op(2000), bericht: 'escalatie', poging: 1, smtpCode: null, fout: 'verbinding geweigerd', tijdelijk: true },
  { soort: 'gelezen', op: op(3000), kanaal: 'werkplek', door: { oin: '00000099000000000010', gebruiker: 'u-1', spoor: { traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8) } } },
  { soort: 'teruggekoppeld', op: op(4000), door: { oin: '00000099000000000010' }, kanaal: 'api', versleuteld: 'v1:k:aaa:bbb:ccc', wilHulp: null },
  { soort: 'herinnering', op: op(5000), actie: 'herinnering' },
  { soort: 'tweede-escalatie', op: op(6000), geescaleerdOp: null },
  { soort: 'afgesloten', op: op(7000), door: { oin: '00000099000000000001' }, kanaal: 'cli', reden: 'hulp-gestart', eindresultaat: 'v1:k:x:y:z' },
] as Gebeurtenis[];

t.test('every kind of event, message and channel the domain has is kept as a number, and reads back', async (t) => {
  for (const soort of SOORTEN) {
    for (const [extra, waarde] of [['bericht', BERICHTSOORTEN], ['kanaal', [...KANAALNAMEN, 'portaal', 'werkplek', 'api', 'cli']]] as const) {
      for (const w of waarde) {
        const g = { soort, op: op(0), [extra]: w } as unknown as Gebeurtenis;
        const tekst = gebeurtenisTekst(g);
        t.same(uitGebeurtenisTekst(tekst), g);
        t.notOk(tekst.includes(`"${soort}"`) || tekst.includes(`"${w}"`), `${soort} ${w}: numbers, not names (${tekst})`);
      }
    }
  }
  // An event written in the compact form before the numbers: names as text.
  const eerder = `~{"s":"verzonden","o":${BASIS.getTime()},"b":"melding-aan-wijkteam","k":"smime","r":"x@y.example","p":1}`;
  t.same(uitGebeurtenisTekst(eerder), { soort: 'verzonden', op: BASIS.toISOString(), bericht: 'melding-aan-wijkteam', kanaal: 'smime', ontvanger: 'x@y.example', poging: 1 });
  // A name the lists do not know stays text.
  const onbekend = { soort: 'verzonden', op: op(0), bericht: 'nog-niet-bestaand', kanaal: 'fax' } as unknown as Gebeurtenis;
  t.same(uitGebeurtenisTekst(gebeurtenisTekst(onbekend)), onbekend);
});

t.test('every kind of event reads back exactly, in its own key order, and takes less room', async (t) => {
  let voor = 0;
  let na = 0;
  for (const g of GEBEURTENISSEN) {
    const tekst = gebeurtenisTekst(g);
    const terug = uitGebeurtenisTekst(tekst);
    t.same(terug, g, `${g.soort}: the same event`);
    t.equal(JSON.stringify(terug), JSON.stringify(g), `${g.soort}: the same key order`);
    t.ok(tekst.length < JSON.stringify(g).length, `${g.soort}: ${tekst.length} < ${JSON.stringify(g).length} characters`);
    voor += JSON.stringify(g).length;
    na += tekst.length;
  }
  t.comment(`events of a case: ${voor} characters as plain JSON, ${na} compact`);
  const verzonden = gebeurtenisTekst(GEBEURTENISSEN[2]!);
  t.notMatch(verzonden, /STARTTLS/, 'the usual TLS statement is kept as a code');
  t.match(gebeurtenisTekst(GEBEURTENISSEN[3]!), /een andere verklaring/, 'another statement is kept as it is');
});

t.test('a moment that is not a canonical ISO string, and a one-letter key of its own, are kept as they are', async (t) => {
  for (const g of [{ soort: 'ontvangen', op: '2026-03-01T10:00:00+01:00' }, { soort: 'ontvangen', op: 'onbekend' }, { soort: 'waarschuwing', op: op(1), x: 1 }] as Gebeurtenis[])
    t.same(uitGebeurtenisTekst(gebeurtenisTekst(g)), g, JSON.stringify(g));
  t.equal(gebeurtenisTekst({ soort: 'waarschuwing', op: op(1), x: 1 } as Gebeurtenis), JSON.stringify({ soort: 'waarschuwing', op: op(1), x: 1 }), 'plain JSON then');
});

t.test('events written as plain JSON before the compact form (and by the erasure script) still read', async (t) => {
  const g = { soort: 'gegevens-verwijderd', op: op(0), reden: 'bewaartermijn' } as Gebeurtenis;
  t.same(uitGebeurtenisTekst(JSON.stringify(g)), g);
});

t.test('delivered-markers: a field of the case, and the keys of the earlier form are still honoured', async (t) => {
  const r = await startRedis(t);
  const redis = new Redis(r.url);
  t.teardown(() => redis.disconnect());
  const namen = new RedisNamen('sb');
  const store = new MeldingenStore(redis, namen);
  const melding = jobId({ meldingId: id, bericht: 'melding-aan-wijkteam', ontvanger: 'wijkteam' });
  const escalatie = jobId({ meldingId: id, bericht: 'escalatie', ontvanger: 'troubleshooter' });
  const aanvulling = jobId({ meldingId: id, bericht: 'aanvulling', ontvanger: 'wijkteam', versie: '2' });
  t.same(namen.bezorgdVeld(aanvulling), { melding: namen.melding(id), veld: 'bezorgd:aanvulling.wijkteam.2' });
  t.notOk(await store.isBezorgd(melding), 'nothing delivered yet');
  await redis.hset(namen.melding(id), namen.bezorgdVeld(melding).veld, op(0));
  await redis.set(namen.bezorgd(escalatie), op(0));
  t.ok(await store.isBezorgd(melding), 'the field on the case');
  t.ok(await store.isBezorgd(escalatie), 'a marker key written before the field');
  t.notOk(await store.isBezorgd(aanvulling), 'another message of the same case is not');
});
