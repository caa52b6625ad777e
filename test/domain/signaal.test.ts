// The data set of each signal partner as pure domain code: an energy, water or health insurance company
// sends its own minimal set, and a field of a corporation's melding is refused by name.
import t from 'tap';
import { parseConfig, signaalpartnerVan } from '../../src/config.js';
import { ddasFouten } from '../../src/diensten/ddas-levering.js';
import { meldingAanWijkteamModel, sjabloonVan } from '../../src/domain/berichten.js';
import { uitwisselmodel } from '../../src/domain/ddas-export.js';
import { invalidParams } from '../../src/domain/invoerfouten.js';
import { ARTIKEL, HUURSOORTEN, SOORTEN } from '../../src/domain/melding.js';
import { isSignaal, parseSignaal, partnerVanSoort, SIGNAALSCHEMAS, type Signaal } from '../../src/domain/signaal.js';
import { DDAS_SIGNAALPARTNERS, SIGNAALPARTNERS, SIGNAALSOORTEN } from '../../src/domain/signaalpartner.js';
import { Sjablonen, standaardSjablonenMap } from '../../src/sjablonen.js';
import { amsterdamDatum } from '../../src/domain/werkdagen.js';
import { BASIS, plusDagen } from '../helpers/klok.js';
import { dagenVoorBasis, voorbeeldMelding, voorbeeldSignaal } from '../helpers/build.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/root.js';

const VANDAAG = amsterdamDatum(BASIS);
const fouten = (r: ReturnType<typeof parseSignaal>) => (r.success ? [] : invalidParams(r.issues));

t.test('each partner type with a data set is a DDAS signal partner, and each soort belongs to one', async (t) => {
  for (const p of SIGNAALPARTNERS) t.ok((DDAS_SIGNAALPARTNERS as readonly string[]).includes(p), p);
  t.same(SOORTEN, [...HUURSOORTEN, ...SIGNAALSOORTEN]);
  t.same(SIGNAALSOORTEN.map(partnerVanSoort), ['Energie', 'Water', 'Zorg']);
  t.same(HUURSOORTEN.map(partnerVanSoort), HUURSOORTEN.map(() => 'Huur'));
  for (const s of SOORTEN) t.ok(ARTIKEL[s], `${s} has its rule`);
});

t.test('an energy company\'s allowed data set parses, with its partner type added', async (t) => {
  const r = parseSignaal('Energie', voorbeeldSignaal(), VANDAAG);
  t.ok(r.success, JSON.stringify(fouten(r)));
  const s = (r as { data: Signaal }).data;
  t.equal(s.signaalpartner, 'Energie');
  t.equal(s.adres.postcode, '2015AB');
  t.ok(isSignaal(s));
  t.notOk(isSignaal(voorbeeldMelding() as never), 'a corporation\'s melding is no signal');
  t.ok(SIGNAALSCHEMAS.Energie.safeParse(voorbeeldSignaal()).success, 'the schema alone (OpenAPI) accepts it too');
});

t.test('every housing field in a signal is named as not allowed for the partner type', async (t) => {
  const m = voorbeeldMelding();
  const invoer = voorbeeldSignaal({
    soort: 'huurachterstand', huurder: m.huurder, huishouden: m.huishouden, toestemming: { gegevenOp: dagenVoorBasis(3), vastgelegdDoor: 'X' },
    ontruimingsdatum: dagenVoorBasis(-10), vorigeMelding: '3b241101-e2bb-4255-8caf-4136c566a962',
    stappen: { ...voorbeeldSignaal().stappen, geenBezwaarHuurder: true },
    achterstand: { ...voorbeeldSignaal().achterstand, aantalMaanden: 2 },
    kleur: 'blauw',
  });
  for (const partner of ['Energie', 'Water', 'Zorg'] as const) {
    const soortVan = { Energie: 'betalingsachterstand-energie', Water: 'betalingsachterstand-water', Zorg: 'premieachterstand-zorgverzekering' }[partner];
    const f = fouten(parseSignaal(partner, { ...invoer, soort: 'huurachterstand', stappen: partner === 'Zorg'
      ? { ...voorbeeldSignaal().stappen, contactpogingen: undefined, betalingsregelingAangeboden: undefined, geenBezwaarHuurder: true } : invoer.stappen }, VANDAAG));
    const reden = `niet toegestaan voor signaalpartner ${partner}: een gegeven van de melding van een woningcorporatie`;
    const namen = Object.fromEntries(f.map((x) => [x.name, x.reason]));
    for (const veld of ['huurder', 'huishouden', 'toestemming', 'ontruimingsdatum', 'vorigeMelding', 'stappen.geenBezwaarHuurder', 'achterstand.aantalMaanden'])
      t.equal(namen[veld], reden, `${partner}: ${veld}`);
    t.equal(namen.soort, `huurachterstand: ${reden}`, `${partner}: a housing soort`);
    t.equal(namen.kleur, 'onbekend veld: niet toegestaan', `${partner}: any other field stays unknown`);
    t.ok(parseSignaal(partner, { ...voorbeeldSignaal({ soort: soortVan }), ...(partner === 'Zorg' ? { stappen: { ...voorbeeldSignaal().stappen, contactpogingen: undefined, betalingsregelingAangeboden: undefined } } : {}) }, VANDAAG).success
      || partner === 'Zorg', `${partner}: its own soort parses`);
  }
  const zorg = voorbeeldSignaal({ soort: 'premieachterstand-zorgverzekering' });
  const { contactpogingen: _c, betalingsregelingAangeboden: _b, ...stappenZorg } = zorg.stappen;
  t.ok(parseSignaal('Zorg', { ...zorg, stappen: stappenZorg }, VANDAAG).success, 'a health insurer\'s set has no disconnection steps');
  t.same(fouten(parseSignaal('Zorg', zorg, VANDAAG)).map((x) => x.name).sort(), ['stappen.betalingsregelingAangeboden', 'stappen.contactpogingen'],
    'and the disconnection steps are not its fields');
  t.same(fouten(parseSignaal('Water', { ...voorbeeldSignaal(), soort: 'premieachterstand-zorgverzekering' }, VANDAAG)).map((x) => x.name), ['soort'],
    'another partner\'s soort is refused');
});

t.test('the rules on steps and dates', async (t) => {
  const s = voorbeeldSignaal();
  const namen = (over: Record<string, unknown>, dag = VANDAAG) => fouten(parseSignaal('Energie', { ...s, ...over }, dag)).map((x) => `${x.name}: ${x.reason}`);
  t.match(namen({ stappen: { ...s.stappen, contactpogingen: [dagenVoorBasis(3)] } }), [/^stappen\.contactpogingen: minstens twee pogingen/]);
  t.match(namen({ stappen: { ...s.stappen, betalingsregelingAangeboden: false } }), [/^stappen\.betalingsregelingAangeboden: moet true zijn/]);
  t.match(namen({ stappen: { ...s.stappen, geenBezwaarKlant: false, gewezenOpSchuldhulp: false } }),
    [/^stappen\.gewezenOpSchuldhulp: moet true zijn/, /^stappen\.geenBezwaarKlant: moet true zijn/]);
  t.match(namen({ klant: { ...s.klant, geboortedatum: '1899-12-31' }, achterstand: { bedragInCenten: 1, ontstaanOp: '1999-01-01' } }),
    [/^klant\.geboortedatum: mag niet vóór 1900/, /^achterstand\.ontstaanOp: mag niet vóór 2000/]);
  t.match(namen({ stappen: { ...s.stappen, contactpogingen: [dagenVoorBasis(3), dagenVoorBasis(-2)] } }), [/^stappen\.contactpogingen\.1: mag niet na vandaag/]);
  t.same(namen({ achterstand: { bedragInCenten: 0, ontstaanOp: dagenVoorBasis(40) } }).length, 1, 'nothing owed is no signal');
  t.same(namen({}, plusDagen(VANDAAG, 365)), [], 'a year later the same signal parses');
  t.match(namen({}, dagenVoorBasis(21)), [/^stappen\.contactpogingen\.1: mag niet na vandaag/], 'three weeks earlier its last contact attempt lay in the future');
  t.throws(() => parseSignaal('Energie', s, '1 mei'), RangeError);
  t.match(fouten(parseSignaal('Energie', 'geen object', VANDAAG)), [{ name: '(body)' }]);
});

t.test('the config names each organisation\'s partner type; a corporation is Huur', async (t) => {
  const org = (o: Record<string, unknown>) => ({ oin: '00000099000000000001', naam: 'X', ...o });
  const c = { organisaties: [org({ rol: 'corporatie' }), org({ oin: '00000099000000000030', rol: 'signaalpartner', signaalpartner: 'Energie' }),
    org({ oin: '00000099000000000010', rol: 'gemeente' }), org({ oin: '00000099000000000004', rol: 'corporatie', signaalpartner: 'Huur' })] } as never;
  t.equal(signaalpartnerVan(c, '00000099000000000001'), 'Huur');
  t.equal(signaalpartnerVan(c, '00000099000000000004'), 'Huur');
  t.equal(signaalpartnerVan(c, '00000099000000000030'), 'Energie');
  t.equal(signaalpartnerVan(c, '00000099000000000010'), undefined, 'a gemeente sends nothing');
  t.equal(signaalpartnerVan(c, '00000099000000000099'), undefined);
  const dev = parseConfig(readFileSync(path.join(ROOT, 'config/dev.yaml'), 'utf8'), path.join(ROOT, 'config/dev.yaml'));
  t.equal(signaalpartnerVan(dev, '00000099000000000030'), 'Energie', 'the dev config has an energy company');
});

const casus = (gegevens: Record<string, unknown>, soort: string) => ({
  id: '3b241101-e2bb-4255-8caf-4136c566a962', soort: soort as never, ontvangenOp: BASIS.toISOString(), terugkoppelingUiterlijk: plusDagen(VANDAAG, 7),
  corporatie: 'Energie Noord-Holland', wijkteam: 'Sociaal Wijkteam Noord', gegevens: gegevens as never,
});

t.test('a signal goes out in its own template, and never calls the customer a huurder', async (t) => {
  const s = (parseSignaal('Energie', voorbeeldSignaal(), VANDAAG) as { data: Signaal }).data;
  const c = casus(s, s.soort);
  t.equal(sjabloonVan('melding-aan-wijkteam', s), 'signaal-aan-wijkteam');
  t.equal(sjabloonVan('herinnering', s), 'herinnering');
  t.equal(sjabloonVan('melding-aan-wijkteam', voorbeeldMelding() as never), 'melding-aan-wijkteam');
  const sj = new Sjablonen(standaardSjablonenMap()).laadAlles();
  const m = sj.render('signaal-aan-wijkteam', meldingAanWijkteamModel(c, 'https://portaal.example/l/abc'));
  t.match(m.onderwerp, /^Signaal vroegsignalering ENH-\d+: Betalingsachterstand op de energierekening/);
  for (const tekst of [m.tekst, m.html]) {
    t.match(tekst, 'Energie Noord-Holland (energieleverancier)');
    t.match(tekst, 'Klantnummer');
    t.match(tekst, 'K-4471');
    t.match(tekst, '€ 345,50');
    t.match(tekst, 'Regeling afsluitbeleid');
    t.match(tekst, 'Een betalingsregeling is aangeboden.');
    t.notMatch(tekst, /huurder|Huurder|huishouden/i, 'no housing words');
  }
  for (const bericht of ['herinnering', 'escalatie', 'terugkoppeling'] as const) {
    const { herinneringModel, escalatieModel, terugkoppelingModel } = await import('../../src/domain/berichten.js');
    const model = bericht === 'herinnering' ? herinneringModel(c) : bericht === 'escalatie' ? escalatieModel(c, 1)
      : terugkoppelingModel(c, { contactGelegd: true, inBehandeling: true, incassoHervatten: false, opTijd: true } as never);
    const r = sj.render(bericht, model);
    t.notMatch(r.tekst + r.html, /huurder/i, `${bericht}: no huurder`);
    t.match(r.tekst, /[Kk]lant/, `${bericht}: the klant`);
  }
  const { herhalingVan } = await import('../../src/domain/berichten.js');
  const herhaling = herhalingVan({ id: 'vorige-id', ontvangenOp: BASIS.toISOString(), gegevens: { ...s, achterstand: { ...s.achterstand, bedragInCenten: 10_000 } } }, s);
  const herhaald = sj.render('signaal-aan-wijkteam', meldingAanWijkteamModel(c, null, herhaling)).tekst;
  t.match(herhaald, 'Herhaald signaal: deze klant werd op');
  t.match(herhaald, 'De achterstand is sindsdien gestegen');
  const zorg = casus({ ...s, signaalpartner: 'Zorg', soort: 'premieachterstand-zorgverzekering' }, 'premieachterstand-zorgverzekering');
  t.match(sj.render('signaal-aan-wijkteam', meldingAanWijkteamModel(zorg)).tekst, /Verzekerde\n/);
});

t.test('the DDAS export names the partner type and the customer', async (t) => {
  const s = (parseSignaal('Energie', voorbeeldSignaal(), VANDAAG) as { data: Signaal }).data;
  const doc = uitwisselmodel({
    periode: { van: plusDagen(VANDAAG, -30), tot: plusDagen(VANDAAG, 1) }, nu: BASIS, codeGegevensleverancier: 'sb', gemeentecode: '0392', organisatie: { naam: 'Gemeente Haarlem' },
    casussen: [{ casus: { id: '3b241101-e2bb-4255-8caf-4136c566a962', soort: s.soort, ontvangenOp: BASIS.toISOString(), gebeurtenissen: [] } as never, melding: s }],
  });
  const v = doc.leveringen[0]!.vroegsignalen[0]!;
  t.same(v.signaalpartner, { type: 'Energie' });
  t.equal(v.crisissignaal, false);
  t.equal(v.bedrag, 346);
  t.same(v.client, { Voorletters: 'A.', Achternaam: 'Bakker', Straatnaam: 'Zijlweg', Postcode: '2015AB', Huisnummer: '7', Plaatsnaam: 'Haarlem' });
  t.same(ddasFouten(doc), [], 'valid against the official schema');
});
