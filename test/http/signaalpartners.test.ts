// A signal partner that is not a corporation, end to end over real mTLS: an energy company posts a
// signal with its own data set, which is routed by postcode, delivered encrypted from its own template
// (opened with openssl as the wijkteam would), tracked on the convenant's term (reminder, escalation on
// the test clock) and fed back, like a corporation's melding. A housing field in a signal is refused by
// name, and a corporation keeps its own data set and errors.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { build, voorbeeldMelding, voorbeeldSignaal, wachtOp, type Gebouwd } from '../helpers/build.js';
import { BASIS, termijnVan, testKlok } from '../helpers/klok.js';
import { kop, openSmime, platteTekst } from '../helpers/mail.js';
import { bouwPortaal } from '../helpers/portaal.js';
import { meldAan } from '../helpers/portaal-stappen.js';
import { amsterdamDatum } from '../../src/domain/werkdagen.js';
import { plusDagen } from '../helpers/klok.js';

const ENERGIE = 'energie-noord-holland';
const ENERGIE_OIN = '00000099000000000030';
const ELAN = 'elan-wonen';
const GEMEENTE = 'wijkteam-haarlem';
const TERMIJN = termijnVan(BASIS);

/** The test config with the dev PKI's energy company as a signal partner. */
function metEnergie(doc: Record<string, any>) {
  doc.organisaties.push({ oin: ENERGIE_OIN, naam: 'Energie Noord-Holland', rol: 'signaalpartner', signaalpartner: 'Energie' });
}

const haal = async (app: Gebouwd, id: string) => (await app.vraag(ENERGIE, 'GET', `/v1/meldingen/${id}`)).body;
const mailsAan = (app: Gebouwd, adres: string) => app.sink!.bestanden().filter((f) => kop(readFileSync(f, 'utf8'), 'To')?.includes(adres));
const open = (app: Gebouwd, bestand: string, wie: string) => platteTekst(openSmime(bestand, app.pki, wie).inhoud);

t.test('an energy company\'s signal: stored, routed, delivered from its own template, reminded, escalated and fed back', async (t) => {
  const c = testKlok(BASIS);
  const app = await build(t, { rollen: ['api', 'worker'], klok: c.klok, configAanpassen: metEnergie });
  const s = voorbeeldSignaal();
  const res = await app.vraag(ENERGIE, 'POST', '/v1/meldingen', s);
  t.equal(res.status, 201, res.tekst);
  t.match(res.body, { status: 'ontvangen', wijkteam: 'Sociaal Wijkteam Noord', terugkoppelingUiterlijk: TERMIJN.uiterlijk }, 'routed by postcode, 5 werkdagen');
  const id = res.body.id as string;

  // Idempotent on (partner, referentie): the same signal again is the same case; other content is a conflict.
  const nog = await app.vraag(ENERGIE, 'POST', '/v1/meldingen', s);
  t.equal(nog.status, 200);
  t.equal(nog.body.id, id);
  const anders = await app.vraag(ENERGIE, 'POST', '/v1/meldingen', { ...s, achterstand: { ...s.achterstand, bedragInCenten: 99 } });
  t.equal(anders.status, 409);

  await wachtOp(async () => ((await haal(app, id)).status === 'verzonden' ? true : undefined));
  const [eerste, ...meer] = mailsAan(app, 'wijkteam-noord');
  t.equal(meer.length, 0, 'one mail to the wijkteam');
  const raw = readFileSync(eerste!, 'utf8');
  t.notOk(raw.includes('Bakker') || raw.includes('K-4471'), 'no personal data outside the encryption');
  const mail = open(app, eerste!, 'wijkteam-noord');
  t.match(mail, new RegExp(`Subject: Signaal vroegsignalering ${s.referentie}: Betalingsachterstand\\s+op\\s+de\\s+energierekening`), 'the subject inside the encryption');
  t.match(mail, 'Energie Noord-Holland (energieleverancier) geeft een signaal van een betalingsachterstand door');
  t.match(mail, /Klantnummer: +K-4471/);
  t.match(mail, 'Regeling afsluitbeleid');
  t.match(mail, /Terugkoppeling geven: https:\/\//, 'with the wijkteam\'s feedback link');
  t.notMatch(mail, /huurder|huishouden/i, 'no housing words');

  // The same deadline machinery: the last werkdag's reminder, then the escalation to the troubleshooter.
  c.zet(TERMIJN.op('08:30'));
  await wachtOp(async () => mailsAan(app, 'wijkteam-noord').length === 2);
  const herinnering = open(app, mailsAan(app, 'wijkteam-noord')[1]!, 'wijkteam-noord');
  t.match(herinnering, 'vandaag is de laatste werkdag van de termijn');
  t.match(herinnering, 'klant A. Bakker');
  t.notMatch(herinnering, /huurder/i);
  c.zet(new Date(TERMIJN.verstreken.getTime() + 1000));
  await wachtOp(async () => ((await haal(app, id)).status === 'geescaleerd' ? true : undefined));
  await wachtOp(async () => mailsAan(app, 'troubleshooter').length === 1);
  const escalatie = open(app, mailsAan(app, 'troubleshooter')[0]!, 'troubleshooter');
  t.match(escalatie, /Klant: +A\. Bakker/);
  t.match(escalatie, /345,50 \(sinds /, 'the amount and since when, not months');
  t.notMatch(escalatie, /huurder/i);

  // Feedback from the gemeente reaches the energy company: on the case and in its feed.
  const k = await app.vraag(GEMEENTE, 'POST', `/v1/meldingen/${id}/terugkoppeling`,
    { contactGelegd: true, inBehandeling: true, incassoHervatten: false, hervattingBetalingOp: null });
  t.equal(k.status, 201, k.tekst);
  t.match((await haal(app, id)).terugkoppeling, { contactGelegd: true, inBehandeling: true, incassoHervatten: false });
  const feed = (await app.vraag(ENERGIE, 'GET', '/v1/terugkoppelingen?sinds=0')).body;
  t.same(feed.terugkoppelingen.map((x: any) => x.melding), [id], 'the feed holds its own case');
  t.same((await app.vraag(ELAN, 'GET', '/v1/terugkoppelingen?sinds=0')).body.terugkoppelingen, [], 'not a corporation\'s');
  t.equal((await app.vraag(ELAN, 'GET', `/v1/meldingen/${id}`)).status, 404, 'to a corporation it does not exist');
});

t.test('a housing field in a signal is refused by name; a corporation keeps its own data set', async (t) => {
  const app = await build(t, { configAanpassen: metEnergie });
  const m = voorbeeldMelding();
  const r = await app.vraag(ENERGIE, 'POST', '/v1/meldingen', voorbeeldSignaal({
    soort: 'huurachterstand', huurder: m.huurder, huishouden: m.huishouden, ontruimingsdatum: m.achterstand.ontstaanOp,
  }));
  t.equal(r.status, 400);
  t.match(r.headers['content-type'], /application\/problem\+json/);
  const reden = 'niet toegestaan voor signaalpartner Energie: een gegeven van de melding van een woningcorporatie';
  t.same(Object.fromEntries(r.body.invalidParams.map((p: any) => [p.name, p.reason])),
    { soort: `huurachterstand: ${reden}`, huurder: reden, huishouden: reden, ontruimingsdatum: reden });
  t.match(r.body.detail, 'signaalpartner Energie');

  const melding = await app.vraag(ENERGIE, 'POST', '/v1/meldingen', m);
  t.equal(melding.status, 400, 'a corporation\'s melding is not an energy company\'s data set');
  t.ok(melding.body.invalidParams.some((p: any) => p.name === 'huurder' && p.reason === reden));
  t.ok(melding.body.invalidParams.some((p: any) => p.name === 'klant' && p.reason === 'verplicht veld ontbreekt'));

  const corporatie = await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldMelding({ klant: voorbeeldSignaal().klant,
    stappen: { ...m.stappen, contactpogingen: voorbeeldSignaal().stappen.contactpogingen } }));
  t.equal(corporatie.status, 400);
  t.same([...corporatie.body.invalidParams].sort((a: any, b: any) => a.name.localeCompare(b.name)), [
    { name: 'klant', reason: 'onbekend veld: niet toegestaan' },
    { name: 'stappen.contactpogingen', reason: 'onbekend veld: niet toegestaan' },
  ], 'the corporation\'s errors are as before');
  t.equal((await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldSignaal())).status, 400, 'nor may a corporation send a signal');
  t.equal((await app.vraag(GEMEENTE, 'POST', '/v1/meldingen', voorbeeldSignaal())).status, 403, 'a gemeente sends nothing');

  // Withdrawal, as a corporation withdraws its melding.
  const id = (await app.vraag(ENERGIE, 'POST', '/v1/meldingen', voorbeeldSignaal())).body.id;
  const w = await app.vraag(ENERGIE, 'POST', `/v1/meldingen/${id}/intrekking`, {});
  t.equal(w.status, 201, w.tekst);
  t.equal((await haal(app, id)).status, 'ingetrokken');
});

t.test('the OpenAPI document shows each partner\'s data set', async (t) => {
  const app = await build(t, { configAanpassen: metEnergie });
  const doc = (await app.vraag(ENERGIE, 'GET', '/v1/openapi.json')).body;
  t.same(doc.paths['/meldingen'].post.requestBody.content['application/json'].schema.oneOf.map((s: any) => s.$ref.split('/').pop()),
    ['Melding', 'SignaalEnergie', 'SignaalWater', 'SignaalZorg']);
  const energie = doc.components.schemas.SignaalEnergie;
  t.same(Object.keys(energie.properties), ['referentie', 'soort', 'klant', 'adres', 'achterstand', 'stappen']);
  t.same(energie.properties.soort.enum, ['betalingsachterstand-energie']);
  t.ok(doc.components.schemas.MeldingStatus.properties.soort.enum.includes('premieachterstand-zorgverzekering'));
});

t.test('figures per soort and the DDAS export know the partner type', async (t) => {
  const app = await build(t, { configAanpassen: metEnergie });
  const id = (await app.vraag(ENERGIE, 'POST', '/v1/meldingen', voorbeeldSignaal())).body.id;
  await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldMelding());
  const van = plusDagen(amsterdamDatum(BASIS), -1), tot = plusDagen(amsterdamDatum(BASIS), 1);
  const rapport = (await app.vraag(GEMEENTE, 'GET', `/v1/rapportages/evaluatie?van=${van}&tot=${tot}`)).body;
  t.same(rapport.perSoort.map((g: any) => g.sleutel), [
    'huurachterstand', 'meer-dan-huurachterstand', 'complexe-problematiek', 'betalingsregeling-niet-nagekomen', 'ontruimingsdatum-bekend',
    'betalingsachterstand-energie',
  ], 'the soorten of the partner types in the config: no water or health insurance here');
  t.ok(rapport.perCorporatie.some((g: any) => g.sleutel === ENERGIE_OIN), 'the partner has its own row');
  const eigen = await app.vraag(ENERGIE, 'GET', `/v1/rapportages/evaluatie?van=${van}&tot=${tot}`);
  t.equal(eigen.status, 200, 'a signal partner reads its own figures, as a corporation does');
  t.same(eigen.body.perCorporatie.map((g: any) => g.sleutel), [ENERGIE_OIN]);
  const ddas = (await app.vraag(GEMEENTE, 'GET', `/v1/rapportages/ddas?van=${van}&tot=${tot}&gemeentecode=0392`)).body;
  const signaal = ddas.leveringen[0].vroegsignalen.find((v: any) => v.ID === id);
  t.same(signaal.signaalpartner, { type: 'Energie' });
  t.match(signaal.client, { Achternaam: 'Bakker', Postcode: '2015AB' });
  t.ok(ddas.leveringen[0].vroegsignalen.some((v: any) => v.signaalpartner.type === 'Huur'), 'the corporation\'s melding stays Huur');
});

t.test('the wijkteam reads a signal in the portal: its own template, the klant, no housing words', async (t) => {
  const p = await bouwPortaal(t, { configAanpassen: metEnergie });
  const { record } = await p.sb.diensten.intake.ontvang(ENERGIE_OIN, voorbeeldSignaal({ adres: { ...voorbeeldSignaal().adres, postcode: '2035XK' } }));
  t.equal(record.wijkteam, 'zuid');
  const token = await p.link(record.id);
  const cookie = await meldAan(p, token);
  const { rechten, lezen } = p.sb.diensten;
  const pagina = await p.vraag('GET', `/b/${token}/bericht`, { cookie });
  t.equal(pagina.status, 200);
  t.match(pagina.tekst, 'Bericht van Energie Noord-Holland');
  t.match(pagina.tekst, 'Klantnummer');
  t.match(pagina.tekst, 'Contactpogingen met de klant');
  t.notMatch(pagina.tekst, /huurder/i, 'no huurder on the page');
  const eml = await p.vraag('GET', `/b/${token}/bericht.eml`, { cookie });
  t.equal(eml.status, 200);
  t.match(platteTekst(eml.tekst), 'geeft een signaal van een betalingsachterstand door', 'the download is the signal\'s own message');

  // The feedback form speaks of the klant too, in its errors and in what was sent.
  const csrf = /name="_csrf" value="([^"]+)"/.exec(pagina.tekst)![1]!;
  const vandaag = amsterdamDatum(p.klok.nu);
  const form = { opgepakt: 'ja', datumOpgepakt: vandaag, 'poging-0-soort': 'Telefoon', 'poging-0-datum': vandaag, incassoHervatten: 'nee', _csrf: csrf };
  const fout = await p.vraag('POST', `/b/${token}/terugkoppeling`, { cookie, form });
  t.equal(fout.status, 400);
  t.match(fout.tekst, 'Kies of u de klant bereikte.');
  const gegeven = await p.vraag('POST', `/b/${token}/terugkoppeling`, { cookie, form: { ...form, 'poging-0-bereikt': 'ja' } });
  t.equal(gegeven.status, 200, gegeven.tekst.slice(0, 300));
  t.notMatch(gegeven.tekst, /huurder|huurbetaling/i, 'what was sent names no huurder');
  t.equal((await lezen.terugkoppeling(record.id))?.contactGelegd, true, 'given as the API would');

  // The customer's rights, by the partner's OIN and klantnummer, as a tenant's by relatienummer.
  const inzage = await rechten.inzage(ENERGIE_OIN, 'K-4471');
  t.same(inzage.meldingen.map((m) => m.id), [record.id]);
  t.match(inzage.meldingen[0], { soort: 'betalingsachterstand-energie', gegevens: { klant: { klantnummer: 'K-4471', achternaam: 'Bakker' } } });
  t.match(inzage.meldingen[0]!.doel, /^vroegsignalering van schulden/);
  const weg = await rechten.verwijder(ENERGIE_OIN, 'K-4471');
  t.equal(weg.meldingen.length, 1);
  t.equal((await lezen.melding(record.id))?.gegevens, undefined, 'the personal data is gone');
  t.same((await rechten.inzage(ENERGIE_OIN, 'K-4471')).meldingen.filter((m) => m.gegevens), [], 'nothing left to show');
});
