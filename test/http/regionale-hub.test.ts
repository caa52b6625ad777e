// A regional hub: two gemeenten in one deployment, each with its own convenant. Haarlem
// (004: feedback within 5 werkdagen, a payment proposal within 14 days) and Hilversum (003: 28
// werkdagen, a home visit within 14 days, collection paused at most 28 days, the track ends after 28
// days, selection at 2 months of arrears or a stated ground). Ymere posts to both; Elan Wonen signed
// only Haarlem's. Each gemeente's systems see only their own meldingen; a corporation its own in both.
import t from 'tap';
import { amsterdamDatum, werkdagenNa } from '../../src/domain/werkdagen.js';
import { termijnLid } from '../../src/domain/termijnen.js';
import { build, voorbeeldMelding, type Gebouwd } from '../helpers/build.js';
import { HAARLEM, HILVERSUM, alsRegionaleHub } from '../helpers/hub.js';
import { BASIS, plusDagen, testKlok } from '../helpers/klok.js';
import { timersVan } from '../helpers/termijnen.js';

const YMERE = 'ymere';
const ELAN = 'elan-wonen';
const HAARLEM_CLIENT = 'wijkteam-haarlem';
const HILVERSUM_CLIENT = 'gemeente-hilversum';
const POSTCODE = { haarlem: '2011DE', hilversum: '1215AB' } as const;

const melding = (gemeente: keyof typeof POSTCODE, over: Record<string, unknown> = {}, maanden = 2) => {
  const m = voorbeeldMelding(over);
  return { ...m, adres: { ...m.adres, postcode: POSTCODE[gemeente], woonplaats: gemeente === 'haarlem' ? 'Haarlem' : 'Hilversum' },
    achterstand: { ...m.achterstand, aantalMaanden: maanden } };
};

async function post(app: Gebouwd, client: string, m: Record<string, unknown>): Promise<string> {
  const r = await app.vraag(client, 'POST', '/v1/meldingen', m);
  if (r.status !== 201) throw new Error(`${r.status} ${r.tekst}`);
  return r.body.id as string;
}

const timer = async (app: Gebouwd, id: string, actie: string) =>
  (await timersVan(app.draaiend.sb.redis, app.draaiend.sb.namen, id))[termijnLid(id, actie as never)] ?? null;

t.test('one corporation, two gemeenten: each melding gets its own gemeente, deadline and terms', async (t) => {
  const c = testKlok(BASIS);
  const app = await build(t, { klok: c.klok, configAanpassen: (d) => alsRegionaleHub(d, app_pki(d)) });
  const haarlem = await post(app, YMERE, melding('haarlem', {}, 1));
  const hilversum = await post(app, YMERE, melding('hilversum'));

  const h = (await app.vraag(YMERE, 'GET', `/v1/meldingen/${haarlem}`)).body;
  const v = (await app.vraag(YMERE, 'GET', `/v1/meldingen/${hilversum}`)).body;
  t.equal(h.terugkoppelingUiterlijk, werkdagenNa(BASIS, 5), 'Haarlem: feedback within 5 werkdagen');
  t.equal(v.terugkoppelingUiterlijk, werkdagenNa(BASIS, 28), 'Hilversum: feedback within 28 werkdagen');
  t.equal(h.wijkteam, 'Sociaal Wijkteam Noord');
  t.equal(v.wijkteam, 'Sociaal Wijkteam Hilversum');
  t.equal(h.gemeente, HAARLEM.code, 'the corporation learns which gemeente took its melding');
  t.equal(v.gemeente, HILVERSUM.code);

  const casussen = app.draaiend.sb.diensten.casussen;
  t.match(await casussen.meta(haarlem), { gemeente: HAARLEM.code, wijkteamOin: HAARLEM.oin });
  t.match(await casussen.meta(hilversum), { gemeente: HILVERSUM.code, wijkteamOin: HILVERSUM.oin });

  // The further terms are each convenant's own.
  t.ok(await timer(app, haarlem, 'extra:betalingsvoorstel'), 'Haarlem: the payment proposal term');
  t.notOk(await timer(app, haarlem, 'extra:huisbezoek'), 'Haarlem: no home visit term');
  for (const term of ['huisbezoek', 'incasso-aangehouden', 'einde-traject'])
    t.ok(await timer(app, hilversum, `extra:${term}`), `Hilversum: ${term}`);
  t.notOk(await timer(app, hilversum, 'extra:betalingsvoorstel'), 'Hilversum: no payment proposal term');
  const dag = 86_400_000;
  const huisbezoek = Number(await timer(app, hilversum, 'extra:huisbezoek'));
  const einde = Number(await timer(app, hilversum, 'extra:einde-traject'));
  t.ok(huisbezoek > BASIS.getTime() + 13 * dag && huisbezoek <= BASIS.getTime() + 16 * dag, 'the home visit about 14 calendar days on');
  t.ok(einde > BASIS.getTime() + 27 * dag && einde <= BASIS.getTime() + 30 * dag, 'the track ends about 28 calendar days on');
  // Retention: Hilversum's own term for an ended case (180 days), Haarlem the deployment's.
  t.equal(casussen.regelsVoor({ gemeente: HILVERSUM.code }).privacy.bewaartermijnDagen, 180);
  t.equal(casussen.regelsVoor({ gemeente: HAARLEM.code }).privacy.bewaartermijnDagen, 365);
});

t.test('intake refuses what a gemeente\'s convenant does not take', async (t) => {
  const app = await build(t, { configAanpassen: (d) => alsRegionaleHub(d, app_pki(d)) });

  const eenMaand = await app.vraag(YMERE, 'POST', '/v1/meldingen', melding('hilversum', {}, 1));
  t.equal(eenMaand.status, 422, 'Hilversum: 1 month of arrears and no other ground');
  t.match(eenMaand.headers['content-type'], /^application\/problem\+json/);
  t.equal(eenMaand.body.type, 'urn:signaalbrug:probleem:buiten-selectie');
  t.match(eenMaand.body.detail, /Convenant Vroeg Eropaf Hilversum van Gemeente Hilversum \(0402\) selecteert bij ten minste 2 maanden huurachterstand, of een van de selectiegronden .*betalingsregeling-verbroken.*\(protocol fase A\)/);
  t.match(eenMaand.body.invalidParams, [{ name: 'achterstand.aantalMaanden' }, { name: 'selectiegrond' }]);

  t.equal((await app.vraag(YMERE, 'POST', '/v1/meldingen', melding('hilversum', { selectiegrond: 'automatische-incasso-gestopt-na-derde-storno' }, 1))).status, 201,
    'Hilversum: 1 month with a stated ground');
  t.equal((await app.vraag(YMERE, 'POST', '/v1/meldingen', melding('hilversum', {}, 2))).status, 201, 'Hilversum: 2 months');
  t.equal((await app.vraag(YMERE, 'POST', '/v1/meldingen', melding('haarlem', {}, 1))).status, 201, 'Haarlem keeps its rules: 1 month is enough');
  t.equal((await app.vraag(YMERE, 'POST', '/v1/meldingen', melding('haarlem', { selectiegrond: 'voorgenomen-overdracht-incasso' }, 0.5))).status, 201,
    'a stated ground is no problem where the convenant has no criteria');

  const onbekendeGrond = await app.vraag(YMERE, 'POST', '/v1/meldingen', melding('hilversum', { selectiegrond: 'geen-zin' }, 2));
  t.equal(onbekendeGrond.status, 400, 'an unknown ground is invalid input');
  t.match(onbekendeGrond.body.invalidParams, [{ name: 'selectiegrond' }]);

  const elan = await app.vraag(ELAN, 'POST', '/v1/meldingen', melding('hilversum'));
  t.equal(elan.status, 422, 'a partner that has not signed Hilversum\'s convenant');
  t.equal(elan.body.type, 'urn:signaalbrug:probleem:geen-convenant');
  t.match(elan.body.detail, /Gemeente Hilversum \(0402\).*Elan Wonen heeft het convenant van Gemeente Hilversum \(0402\) niet getekend/);
  t.match(elan.body.invalidParams, [{ name: 'adres.postcode', reason: /Gemeente Hilversum/ }]);
  t.equal((await app.vraag(ELAN, 'POST', '/v1/meldingen', melding('haarlem'))).status, 201, 'Elan Wonen in Haarlem: fine');

  const m = melding('haarlem');
  const buiten = await app.vraag(YMERE, 'POST', '/v1/meldingen', { ...m, adres: { ...m.adres, postcode: '9999ZZ' } });
  t.equal(buiten.status, 400, 'a postcode outside every gemeente: as before');
  t.equal(buiten.body.type, 'urn:signaalbrug:probleem:postcode-buiten-werkgebied');
});

t.test('a soort the convenant does not accept is refused naming the gemeente', async (t) => {
  const app = await build(t, {
    configAanpassen: (d) => {
      alsRegionaleHub(d, app_pki(d));
      d.gemeenten[1].convenant.soorten = ['huurachterstand', 'betalingsregeling-niet-nagekomen'];
    },
  });
  const r = await app.vraag(YMERE, 'POST', '/v1/meldingen', melding('hilversum', { soort: 'meer-dan-huurachterstand' }));
  t.equal(r.status, 422);
  t.match(r.body.detail, /Gemeente Hilversum \(0402\) neemt geen meldingen van soort meer-dan-huurachterstand; wel: huurachterstand, betalingsregeling-niet-nagekomen/);
  t.equal((await app.vraag(YMERE, 'POST', '/v1/meldingen', melding('haarlem', { soort: 'meer-dan-huurachterstand' }))).status, 201, 'Haarlem takes every soort');
});

t.test('each gemeente\'s API client sees only its own meldingen; the corporation sees its own in both', async (t) => {
  const app = await build(t, { configAanpassen: (d) => alsRegionaleHub(d, app_pki(d)) });
  const haarlem = await post(app, YMERE, melding('haarlem'));
  const hilversum = await post(app, YMERE, melding('hilversum'));
  const elan = await post(app, ELAN, melding('haarlem'));

  t.equal((await app.vraag(HAARLEM_CLIENT, 'GET', `/v1/meldingen/${haarlem}`)).status, 200);
  t.equal((await app.vraag(HILVERSUM_CLIENT, 'GET', `/v1/meldingen/${hilversum}`)).status, 200);
  t.equal((await app.vraag(HAARLEM_CLIENT, 'GET', `/v1/meldingen/${hilversum}`)).status, 404, 'Haarlem does not see Hilversum\'s melding');
  t.equal((await app.vraag(HILVERSUM_CLIENT, 'GET', `/v1/meldingen/${haarlem}`)).status, 404, 'Hilversum does not see Haarlem\'s melding');
  t.equal((await app.vraag(HILVERSUM_CLIENT, 'GET', `/v1/meldingen/${elan}`)).status, 404);
  const fb = { opgepakt: false, redenNietOpgepakt: 'Niet opgepakt: onterecht signaal', incassoHervatten: true };
  t.equal((await app.vraag(HILVERSUM_CLIENT, 'POST', `/v1/meldingen/${haarlem}/terugkoppeling`, fb)).status, 404, 'nor gives feedback on it');
  t.equal((await app.vraag(YMERE, 'GET', `/v1/meldingen/${haarlem}`)).status, 200, 'Ymere sees its melding in Haarlem');
  t.equal((await app.vraag(YMERE, 'GET', `/v1/meldingen/${hilversum}`)).status, 200, 'and in Hilversum');
  t.equal((await app.vraag(YMERE, 'GET', `/v1/meldingen/${elan}`)).status, 404, 'not Elan Wonen\'s');

  // The figures of each gemeente count its own meldingen only.
  const van = plusDagen(amsterdamDatum(BASIS), -40);
  const tot = plusDagen(amsterdamDatum(BASIS), 40);
  const cijfers = async (client: string) => (await app.vraag(client, 'GET', `/v1/rapportages/evaluatie?van=${van}&tot=${tot}`)).body;
  const ch = await cijfers(HAARLEM_CLIENT);
  const cv = await cijfers(HILVERSUM_CLIENT);
  t.match(JSON.stringify(ch), /Gemeente Haarlem/);
  t.notMatch(JSON.stringify(ch), /Gemeente Hilversum|Sociaal Wijkteam Hilversum/, 'Haarlem\'s figures name nothing of Hilversum');
  t.notMatch(JSON.stringify(cv), /Gemeente Haarlem|Sociaal Wijkteam Noord/, 'Hilversum\'s figures name nothing of Haarlem');

  // The DDAS export: per gemeente, under its own code (the default), with its own meldingen only.
  const ddas = await app.vraag(HILVERSUM_CLIENT, 'GET', `/v1/rapportages/ddas?van=${van}&tot=${tot}`);
  t.equal(ddas.status, 200, ddas.tekst.slice(0, 300));
  t.match(ddas.tekst, hilversum);
  t.notMatch(ddas.tekst, haarlem, 'Hilversum\'s export holds nothing of Haarlem');
  t.match(ddas.tekst, '"0402"');
  const ander = await app.vraag(HILVERSUM_CLIENT, 'GET', `/v1/rapportages/ddas?van=${van}&tot=${tot}&gemeentecode=0392`);
  t.equal(ander.status, 400, 'not under another gemeente\'s code');
  t.match(ander.body.invalidParams, [{ name: 'gemeentecode', reason: 'Gemeente Hilversum heeft gemeentecode 0402' }]);
  const eigen = await app.vraag(HAARLEM_CLIENT, 'GET', `/v1/rapportages/ddas?van=${van}&tot=${tot}&gemeentecode=0392`);
  t.equal(eigen.status, 200);
  t.match(eigen.tekst, haarlem);
  t.notMatch(eigen.tekst, hilversum);
});

/** The test PKI folder, read back from a path the test config already holds. */
function app_pki(d: Record<string, any>): string {
  return String(d.tls.ca[0]).replace(/\/ca\.crt$/, '');
}
