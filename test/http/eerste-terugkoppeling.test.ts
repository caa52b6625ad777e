// The eerste terugkoppeling on DDAS's terms (opgepakt or not with DDAS's reason, datum_opgepakt,
// contactpogingen), beside the convenant's own shape: both accepted in v1, the convenant's fields
// derived so every reader keeps working, and the corporation never told the reason "andere reden".
import t from 'tap';
import { REDENEN_NIET_OPGEPAKT } from '../../src/domain/ddas.js';
import { amsterdamDatum } from '../../src/domain/werkdagen.js';
import { build, voorbeeldMelding } from '../helpers/build.js';
import { BASIS, plusDagen } from '../helpers/klok.js';

const ELAN = 'elan-wonen';
const GEMEENTE = 'wijkteam-haarlem';
const vandaag = amsterdamDatum(BASIS);
const gisteren = plusDagen(vandaag, -1);

t.test('opgepakt, with DDAS contactpogingen: stored with the convenant fields derived', async (t) => {
  const app = await build(t);
  const id = (await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldMelding({ referentie: 'DDAS-OPGEPAKT' }))).body.id;
  const body = {
    opgepakt: true, datumOpgepakt: gisteren, incassoHervatten: false, hervattingBetalingOp: null,
    contactpogingen: [
      { soort: 'Telefoon', bereikt: false, datum: gisteren, dagdeel: 'Ochtend' },
      { soort: 'Huisbezoek', bereikt: true, datum: vandaag, dagdeel: 'Middag' },
    ],
  };
  const r = await app.vraag(GEMEENTE, 'POST', `/v1/meldingen/${id}/terugkoppeling`, body);
  t.equal(r.status, 201, r.tekst);
  for (const wie of [ELAN, GEMEENTE]) {
    const k = (await app.vraag(wie, 'GET', `/v1/meldingen/${id}`)).body.terugkoppeling;
    t.match(k, {
      contactGelegd: true, inBehandeling: true, incassoHervatten: false, contactpogingen: [gisteren, vandaag], nietOpgepakt: null,
      ddas: { opgepakt: true, datumOpgepakt: gisteren, contactpogingen: body.contactpogingen },
    }, `${wie} reads both the convenant's fields and DDAS's`);
  }
});

t.test('every DDAS reason not to pick up: what the gemeente and the corporation see', async (t) => {
  const app = await build(t);
  for (const [i, reden] of REDENEN_NIET_OPGEPAKT.entries()) {
    const id = (await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldMelding({ referentie: `DDAS-NIET-${i}` }))).body.id;
    const r = await app.vraag(GEMEENTE, 'POST', `/v1/meldingen/${id}/terugkoppeling`, { opgepakt: false, redenNietOpgepakt: reden, incassoHervatten: true });
    t.equal(r.status, 201, r.tekst);
    const voorGemeente = (await app.vraag(GEMEENTE, 'GET', `/v1/meldingen/${id}`)).body.terugkoppeling;
    t.equal(voorGemeente.ddas.redenNietOpgepakt, reden, `${reden}: the gemeente keeps its reason`);
    const voorCorporatie = (await app.vraag(ELAN, 'GET', `/v1/meldingen/${id}`)).body.terugkoppeling;
    const verwacht = reden === 'Niet opgepakt: andere reden' ? 'Niet opgepakt' : reden;
    t.equal(voorCorporatie.ddas.redenNietOpgepakt, verwacht, `${reden}: the corporation sees "${verwacht}"`);
    t.equal(voorCorporatie.inBehandeling, false);
    t.equal(voorCorporatie.nietOpgepakt, { 'Inwoner is overleden': 'overleden', 'Persoon is geen inwoner (meer) in de gemeente': 'verhuisd' }[reden as string] ?? null);
  }
  const feed = (await app.vraag(ELAN, 'GET', '/v1/terugkoppelingen?sinds=0')).body.terugkoppelingen;
  t.equal(feed.length, REDENEN_NIET_OPGEPAKT.length);
  t.notOk(JSON.stringify(feed).includes('andere reden'), 'the feed never names "andere reden"');
  t.ok(feed.some((x: any) => x.terugkoppeling.ddas.redenNietOpgepakt === 'Niet opgepakt'));
});

t.test('the DDAS shape is checked as strictly as the other', async (t) => {
  const app = await build(t);
  const id = (await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldMelding({ referentie: 'DDAS-FOUT' }))).body.id;
  const fout = async (body: unknown, namen: string[]) => {
    const r = await app.vraag(GEMEENTE, 'POST', `/v1/meldingen/${id}/terugkoppeling`, body);
    t.equal(r.status, 400, JSON.stringify(body));
    t.same(r.body.invalidParams.map((p: any) => p.name).sort(), [...namen].sort(), `every error named: ${namen.join(', ')}`);
  };
  await fout({ opgepakt: true, incassoHervatten: false }, ['datumOpgepakt']);
  await fout({ opgepakt: false, incassoHervatten: false }, ['redenNietOpgepakt']);
  await fout({ opgepakt: true, datumOpgepakt: gisteren, redenNietOpgepakt: 'Inwoner is overleden', incassoHervatten: false }, ['redenNietOpgepakt']);
  await fout({ opgepakt: false, redenNietOpgepakt: 'Verhuisd', incassoHervatten: false }, ['redenNietOpgepakt']);
  await fout({ opgepakt: true, datumOpgepakt: gisteren, incassoHervatten: false, contactpogingen: [{ soort: 'Fax', bereikt: true, datum: '2026-02-30' }] },
    ['contactpogingen.0.soort', 'contactpogingen.0.datum']);
  await fout({ opgepakt: true, datumOpgepakt: gisteren, incassoHervatten: false, contactGelegd: true }, ['contactGelegd']);
  t.equal((await app.vraag(ELAN, 'GET', `/v1/meldingen/${id}`)).body.status, 'ontvangen', 'nothing was stored');
});
