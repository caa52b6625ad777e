// The corporation's pages in the werkplek, logged in through the real OpenID Provider: its own
// meldingen with status and deadline, a melding by hand with the API's schema and errors (field by
// field), the detail with what the corporation may see of the feedback, withdrawal and updates; and a
// logboek record for every reading of personal data, with the person's pseudonymous id.
import t from 'tap';
import { dagenVoorBasis, voorbeeldMelding } from '../helpers/build.js';
import { nlDatum, plusDagen, testKlok } from '../helpers/klok.js';
import { amsterdamDatum } from '../../src/domain/werkdagen.js';
import type { Melding } from '../../src/domain/melding.js';
import { bouwWerkplek } from '../helpers/werkplek.js';

const ELAN = '00000099000000000001';
const GEMEENTE = '00000099000000000010';

/** The form a person fills in for the example melding (the four steps ticked). */
function formulierVan(referentie: string, over: Record<string, string> = {}): Record<string, string> {
  return {
    referentie, soort: 'huurachterstand',
    'huurder.relatienummer': 'R-5521', 'huurder.voorletters': 'A.', 'huurder.achternaam': 'Handmatigsma', 'huurder.geboortedatum': '14-03-1958',
    'adres.straatnaam': 'Grote Markt', 'adres.huisnummer': '2', 'adres.postcode': '2011 RD', 'adres.woonplaats': 'Haarlem',
    'huishouden.aantalBewoners': '2', 'huishouden.kinderenOnder18': 'ja',
    'achterstand.bedragInCenten': '1.234,56', 'achterstand.ontstaanOp': dagenVoorBasis(90), 'achterstand.aantalMaanden': '2,5',
    'stappen.persoonlijkContactGezocht': 'ja', 'stappen.gewezenOpSchuldhulp': 'ja', 'stappen.herinneringVerstuurd': 'ja',
    'stappen.herinneringVerstuurdOp': nlDatum(dagenVoorBasis(60)), 'stappen.geenBezwaarHuurder': 'ja',
    ...over,
  };
}

t.test('a corporation submits a melding by hand: the same melding as through the API, then its detail is a logboek record', async (t) => {
  const klok = testKlok();
  const w = await bouwWerkplek(t, { klok: klok.klok });
  const sb = w.app.draaiend.sb;
  const s = await w.login('corporatie');
  t.ok(s.ingelogd);

  const leeg = await s.vraag('GET', '/meldingen/nieuw');
  t.equal(leeg.status, 200);
  t.match(leeg.tekst, /<input class="utrecht-checkbox[^>]*name="stappen.persoonlijkContactGezocht"[^>]*required/, 'the steps are required checkboxes');
  t.match(leeg.tekst, '<label class="utrecht-form-label" for="huurder-achternaam">Achternaam');

  const a = await s.vraag('POST', '/meldingen', formulierVan('HAND-0001'));
  t.equal(a.status, 303, a.tekst.slice(0, 2000));
  const id = /\/meldingen\/([0-9a-f-]{36})\?bericht=ontvangen$/.exec(String(a.headers.location))?.[1];
  t.ok(id, 'to the new melding');
  const r = await sb.diensten.lezen.melding(id!);
  t.equal(r?.oin, ELAN, 'sent by the user\'s own organisation');
  t.equal(r?.wijkteam, 'noord', 'routed by postcode');
  t.same(r?.gegevens.achterstand, { bedragInCenten: 123456, ontstaanOp: dagenVoorBasis(90), aantalMaanden: 2.5 }, 'euro and months as typed');
  t.same(r?.gegevens.stappen, { persoonlijkContactGezocht: true, gewezenOpSchuldhulp: true, herinneringVerstuurdOp: dagenVoorBasis(60), geenBezwaarHuurder: true });
  t.equal(r?.gegevens.adres.postcode, '2011RD');
  t.equal((r?.gegevens as Melding | undefined)?.huishouden.kinderenOnder18, true);

  const lezenVoor = (await sb.redis.xlen(sb.namen.logboek()));
  const d = await s.vraag('GET', String(a.headers.location));
  t.equal(d.status, 200);
  t.match(d.tekst, 'De melding is ontvangen');
  t.match(d.tekst, 'HAND-0001');
  t.match(d.tekst, 'A. Handmatigsma');
  t.match(d.tekst, nlDatum(r!.terugkoppelingUiterlijk), 'deadline as dd-mm-jjjj');
  t.match(d.tekst, 'Sociaal Wijkteam Noord');
  const records = await sb.redis.xrange(sb.namen.logboek(), '-', '+');
  t.equal(records.length, lezenVoor + 1, 'one logboek record for the reading');
  const laatste = Object.fromEntries(chunk(records.at(-1)![1]));
  t.match(JSON.stringify(laatste), 'melding-gelezen');
  t.match(JSON.stringify(laatste), 'werkplek');
  t.notMatch(JSON.stringify(laatste), 'Fatima', 'the logboek holds the pseudonymous id, not the name');

  // The same form again: the same melding (idempotent by referentie), nothing new.
  const nogmaals = await s.vraag('POST', '/meldingen', formulierVan('HAND-0001'));
  t.equal(nogmaals.status, 303);
  t.equal(nogmaals.headers.location, `/meldingen/${id}?bericht=bestond`);
  // Another body under the same referentie: the API's 409, on the referentie field.
  const anders = await s.vraag('POST', '/meldingen', formulierVan('HAND-0001', { 'huurder.achternaam': 'Anders' }));
  t.equal(anders.status, 409);
  t.match(anders.tekst, /id="referentie-fout"[^>]*>Fout: U hebt onder deze referentie al een andere melding gedaan/);

  // The list: its meldingen with status and deadline.
  const lijst = await s.vraag('GET', '/meldingen');
  t.equal(lijst.status, 200);
  t.match(lijst.tekst, `href="/meldingen/${id}"`);
  t.match(lijst.tekst, nlDatum(r!.terugkoppelingUiterlijk));
  t.match(lijst.tekst, '<th scope="col" class="utrecht-table__header-cell">Status</th>');
  t.notMatch(lijst.tekst, 'Handmatigsma', 'the list holds no personal data');
});

t.test('every error of the API at once, each next to its field and linked from the summary', async (t) => {
  const w = await bouwWerkplek(t);
  const sb = w.app.draaiend.sb;
  const s = await w.login('corporatie');
  const a = await s.vraag('POST', '/meldingen', formulierVan('HAND-FOUT', {
    'huurder.voorletters': 'jan', 'huurder.geboortedatum': '31-02-1958', 'adres.postcode': '9999ZZ', 'achterstand.bedragInCenten': 'veel',
    'stappen.gewezenOpSchuldhulp': '', 'stappen.herinneringVerstuurd': '',
  }));
  t.equal(a.status, 400);
  // The API's own words for the schema's errors.
  const api = await sb.diensten.intake.ontvang(ELAN, voorbeeldMelding({ huurder: { ...voorbeeldMelding().huurder, voorletters: 'jan' } })).catch((e) => e);
  const reden = api.invalidParams.find((p: { name: string }) => p.name === 'huurder.voorletters').reason;
  t.ok(a.tekst.includes(`id="huurder-voorletters-fout">Fout: ${html(reden)}`), 'the API\'s message next to the field');
  t.match(a.tekst, /id="huurder-voorletters"[^>]*aria-describedby="huurder-voorletters-hint huurder-voorletters-fout"[^>]*aria-invalid="true"/);
  t.match(a.tekst, 'id="huurder-geboortedatum-fout"');
  t.match(a.tekst, 'id="stappen-gewezenOpSchuldhulp-fout">Fout: moet true zijn');
  t.match(a.tekst, 'id="stappen-herinneringVerstuurd-fout">Fout: moet true zijn');
  t.match(a.tekst, 'id="achterstand-bedragInCenten-fout">Fout: Vul een bedrag in euro in');
  t.match(a.tekst, 'href="#huurder-voorletters"', 'the summary links to the field');
  t.match(a.tekst, 'value="Grote Markt"', 'the answers stay on the form');
  t.equal((await sb.redis.keys(sb.namen.corporatieStroom(ELAN))).length, 0, 'nothing stored');

  // The form is fine, but no wijkteam works in the postcode: the API's 400 on the postcode.
  const buiten = await s.vraag('POST', '/meldingen', formulierVan('HAND-BUITEN', { 'adres.postcode': '9999ZZ' }));
  t.equal(buiten.status, 400);
  t.match(buiten.tekst, 'id="adres-postcode-fout">Fout: valt buiten het werkgebied van alle wijkteams');
  // Without CSRF token: refused, nothing stored.
  const zonder = await s.vraag('POST', '/meldingen', formulierVan('HAND-CSRF'), { zonderCsrf: true });
  t.equal(zonder.status, 403);
  t.equal((await sb.redis.keys(sb.namen.corporatieStroom(ELAN))).length, 0);
});

t.test('feedback as the corporation may see it; withdrawal with a reason; updates', async (t) => {
  const klok = testKlok();
  const w = await bouwWerkplek(t, { klok: klok.klok });
  const sb = w.app.draaiend.sb;
  const s = await w.login('corporatie');
  const { record } = await sb.diensten.intake.ontvang(ELAN, voorbeeldMelding());
  const { record: tweede } = await sb.diensten.intake.ontvang(ELAN, voorbeeldMelding({ huurder: { ...voorbeeldMelding().huurder, relatienummer: '11' } }));
  // The gemeente did not pick it up for "another reason": the corporation sees only "Niet opgepakt".
  await sb.diensten.terugkoppeling.geef(record.id, {
    contactGelegd: false, inBehandeling: false, incassoHervatten: true, hervattingBetalingOp: null, contactpogingen: [], nietOpgepakt: null,
    ddas: { opgepakt: false, redenNietOpgepakt: 'Niet opgepakt: andere reden', contactpogingen: [] },
  }, { oin: GEMEENTE, kanaal: 'api' });
  const d = await s.vraag('GET', `/meldingen/${record.id}`);
  t.equal(d.status, 200);
  t.match(d.tekst, 'Terugkoppeling van het wijkteam');
  t.match(d.tekst, '>Niet opgepakt<');
  t.notMatch(d.tekst, 'Niet opgepakt: andere reden', 'the reason stays with the gemeente (DDAS)');
  t.match(d.tekst, 'Incasso hervatten</dt><dd class="utrecht-data-list__item-value">Ja');

  // An update: an eviction date, typed as dd-mm-jjjj.
  const datum = plusDagen(amsterdamDatum(klok.nu()), 40);
  const u = await s.vraag('POST', `/meldingen/${tweede.id}/aanvulling`, { soort: 'ontruimingsdatum', ontruimingsdatum: nlDatum(datum) });
  t.equal(u.status, 303, u.tekst.slice(0, 500));
  const gebeurtenissen = await sb.diensten.lezen.gebeurtenissen(tweede.id);
  t.ok(gebeurtenissen.some((g) => g.soort === 'aanvulling' && g.aanvulling === 'ontruimingsdatum'));
  const na = await s.vraag('GET', String(u.headers.location));
  t.match(na.tekst, `Ontruimingsdatum ${nlDatum(datum)}`);
  // A date in the past: the service's own error, next to the date field.
  const oud = await s.vraag('POST', `/meldingen/${tweede.id}/aanvulling`, { soort: 'ontruimingsdatum', ontruimingsdatum: dagenVoorBasis(30) });
  t.equal(oud.status, 400);
  t.match(oud.tekst, 'id="aanvulling-ontruimingsdatum-fout">Fout: de ontruimingsdatum ligt vandaag');
  const geen = await s.vraag('POST', `/meldingen/${tweede.id}/aanvulling`, {});
  t.equal(geen.status, 400);
  t.match(geen.tekst, 'Kies wat u wilt doorgeven.');
  const regeling = await s.vraag('POST', `/meldingen/${tweede.id}/aanvulling`, { soort: 'betalingsregeling-verbroken' });
  t.equal(regeling.status, 303);

  // Withdrawal: a reason from the list.
  const zonder = await s.vraag('POST', `/meldingen/${tweede.id}/intrekking`, { reden: 'weet niet' });
  t.equal(zonder.status, 400);
  const i = await s.vraag('POST', `/meldingen/${tweede.id}/intrekking`, { reden: 'achterstand-betaald' });
  t.equal(i.status, 303);
  t.equal(i.headers.location, `/meldingen/${tweede.id}?bericht=ingetrokken`);
  t.equal((await sb.diensten.casussen.meta(tweede.id))?.status, 'ingetrokken');
  const ingetrokken = (await sb.diensten.lezen.gebeurtenissen(tweede.id)).find((g) => g.soort === 'ingetrokken');
  t.equal(ingetrokken?.reden, 'achterstand-betaald');
  const pagina = await s.vraag('GET', `/meldingen/${tweede.id}`);
  t.match(pagina.tekst, 'Ingetrokken');
  t.notMatch(pagina.tekst, 'Melding intrekken</button>', 'no withdrawal form on a withdrawn melding');
  const nogmaals = await s.vraag('POST', `/meldingen/${tweede.id}/intrekking`, { reden: 'achterstand-betaald' });
  t.equal(nogmaals.headers.location, `/meldingen/${tweede.id}?bericht=al-ingetrokken`);
});

t.test('other roles get no corporation pages; no session goes to the login', async (t) => {
  const w = await bouwWerkplek(t);
  const geen = await w.vraag('GET', '/meldingen');
  t.equal(geen.status, 303);
  t.match(String(geen.headers.location), /^\/inloggen/);
  for (const gebruiker of ['wijkteam-noord', 'coordinator', 'troubleshooter']) {
    const s = await w.login(gebruiker);
    t.equal((await s.vraag('GET', '/meldingen')).status, 403, `${gebruiker}: /meldingen`);
    t.equal((await s.vraag('GET', '/meldingen/nieuw')).status, 403, `${gebruiker}: /meldingen/nieuw`);
    t.equal((await s.vraag('POST', '/meldingen', formulierVan(`X-${gebruiker}`))).status, 403, `${gebruiker}: POST /meldingen`);
  }
});

const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;').replace(/=/g, '&#x3D;');

function chunk(velden: string[]): [string, string][] {
  const uit: [string, string][] = [];
  for (let i = 0; i < velden.length; i += 2) uit.push([velden[i]!, velden[i + 1]!]);
  return uit;
}
