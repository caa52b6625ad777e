// A known half year of cases, built through the real API over mutual TLS with an injected clock that
// starts at the real now: feedback on time and late, escalations, withdrawals with their reasons,
// outcomes, an eviction date, cases still in term and one just after the period. Every figure is
// checked exactly (raw, with the threshold at 1) and as the partners see it (suppressed below 5),
// each partner within its own scope; CSV = JSON; the corporation's own figures of art. 9.5.3; the
// DDAS export valid against the official schema; and what retention does to the figures.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import t from 'tap';
import { createLogger } from '../../src/logger.js';
import { createSignaalbrug } from '../../src/signaalbrug.js';
import { amsterdamDatum, eindeVanDag, werkdagenNa } from '../../src/domain/werkdagen.js';
import { build, voorbeeldMelding } from '../helpers/build.js';
import { amsterdam, BASIS, plusDagen, testKlok } from '../helpers/klok.js';
import { ROOT } from '../helpers/root.js';

const GEMEENTE = 'wijkteam-haarlem';
const ELAN = 'elan-wonen';
const PRE = 'pre-wonen';
const YMERE = 'ymere';
const OIN = { elan: '00000099000000000001', pre: '00000099000000000002', ymere: '00000099000000000003', haarlem: '00000099000000000010' };

type Plugin = (a: Ajv2020) => Ajv2020;
const voegFormatsToe = ((ajvFormats as unknown as { default: Plugin & { default?: Plugin } }).default.default ?? (ajvFormats as unknown as { default: Plugin }).default);

/** The CSV as rows of fields (RFC 4180 quoting). */
function leesCsv(tekst: string): string[][] {
  const rijen: string[][] = [];
  for (const regel of tekst.split('\r\n').filter(Boolean)) {
    const velden: string[] = [];
    for (let i = 0; i < regel.length;) {
      if (regel[i] === '"') {
        let v = '';
        for (i++; i < regel.length; i++) {
          if (regel[i] === '"' && regel[i + 1] === '"') { v += '"'; i++; } else if (regel[i] === '"') { i++; break; } else v += regel[i];
        }
        velden.push(v);
        i++;
      } else {
        const eind = regel.indexOf(',', i) < 0 ? regel.length : regel.indexOf(',', i);
        velden.push(regel.slice(i, eind));
        i = eind + 1;
      }
    }
    if (regel.endsWith(',')) velden.push('');
    rijen.push(velden);
  }
  return rijen;
}

/** Every leaf of the JSON report as `groep|sleutel|cijfer|waarde`, the way a reader of the JSON would list it. */
function jsonRegels(r: any): string[] {
  const uit: string[] = [`periode||van|${r.periode.van}`, `periode||tot|${r.periode.tot}`];
  const blad = (groep: string, sleutel: string, o: any, pad = '') => {
    for (const [k, v] of Object.entries(o)) {
      const p = pad ? `${pad}.${k}` : k;
      if (v !== null && typeof v === 'object') blad(groep, sleutel, v, p);
      else uit.push(`${groep}|${sleutel}|${p}|${v ?? ''}`);
    }
  };
  blad('totaal', '', r.totaal);
  for (const [groep, lijst] of [['gemeente', r.perGemeente], ['wijkteam', r.perWijkteam], ['corporatie', r.perCorporatie], ['soort', r.perSoort]] as const)
    for (const g of lijst) blad(groep, g.sleutel, g.cijfers);
  for (const { sleutel, naam: _n, perioden, ...rest } of r.corporatieCijfers) {
    blad('corporatiecijfers', sleutel, rest);
    uit.push(`corporatiecijfers|${sleutel}|perioden|${perioden.map((p: any) => `${p.van}/${p.tot}`).join(' ')}`);
  }
  return uit.sort();
}

t.test('a half year of cases: every figure exact, suppressed for the partners, CSV = JSON, DDAS valid', async (t) => {
  const klok = testKlok(BASIS);
  const app = await build(t, { klok: klok.klok, rollen: ['api'] });
  const { sb } = app.draaiend;
  const van = amsterdamDatum(BASIS);
  const tot = plusDagen(van, 181);
  const t0 = klok.zet(amsterdam(van, '10:00'));
  const vandaag = () => amsterdamDatum(klok.nu());

  // Each melding its own tenant: no repeat signals here (test/werkers/herhaling.test.ts has those).
  let huurders = 0;
  const meld = async (wie: string, over: Record<string, unknown> = {}) => {
    const huurder = { ...voorbeeldMelding().huurder, relatienummer: `R-${++huurders}` };
    const r = await app.vraag(wie, 'POST', '/v1/meldingen', voorbeeldMelding({ huurder, ...over }));
    t.equal(r.status, 201, r.tekst);
    return r.body.id as string;
  };
  const ok = async (wie: string, pad: string, body: unknown, status = 201) => {
    const r = await app.vraag(wie, 'POST', pad, body);
    t.equal(r.status, status, `${pad}: ${r.tekst}`);
  };
  const ddasTk = () => ({ opgepakt: true, datumOpgepakt: vandaag(), incassoHervatten: false,
    contactpogingen: [{ soort: 'Huisbezoek', bereikt: true, datum: vandaag(), dagdeel: 'Middag' }] });
  const convenantTk = { contactGelegd: true, inBehandeling: true, incassoHervatten: false, contactpogingen: [van] };

  // Day 0: Elan (wijkteam Noord) sends 16, Pré Wonen an eviction date (wijkteam Oost).
  const ids = (n: number) => Promise.all(Array.from({ length: n }, () => meld(ELAN)));
  const snel = await ids(6);
  const laatsteDag = await ids(2);
  const laat = await ids(3);
  const zonder = await ids(2);
  const ingetrokken = await ids(2);
  const naEscalatieIngetrokken = await meld(ELAN);
  const ontruiming = await meld(PRE, { soort: 'ontruimingsdatum-bekend', ontruimingsdatum: plusDagen(van, 30),
    adres: { straatnaam: 'Oosterstraat', huisnummer: 3, postcode: '2021AB', woonplaats: 'Haarlem' } });
  await ok(GEMEENTE, `/v1/meldingen/${ontruiming}/terugkoppeling`, ddasTk());
  await ok(ELAN, `/v1/meldingen/${ingetrokken[0]}/intrekking`, { reden: 'achterstand-betaald' });
  await ok(ELAN, `/v1/meldingen/${ingetrokken[1]}/intrekking`, { reden: 'vergissing' });

  // The 2nd werkdag: six answered (DDAS terms), five of them closed with a quick fix.
  klok.zet(amsterdam(werkdagenNa(t0, 2), '11:00'));
  for (const id of snel) await ok(GEMEENTE, `/v1/meldingen/${id}/terugkoppeling`, ddasTk());
  for (const id of snel.slice(0, 5)) await ok(GEMEENTE, `/v1/meldingen/${id}/eindresultaat`, { resultaat: '(Budget)advies en/of quick fix' });
  // The last day of the term, afternoon: two answered on the convenant's terms, still on time.
  klok.zet(amsterdam(werkdagenNa(t0, 5), '16:00'));
  for (const id of laatsteDag) await ok(GEMEENTE, `/v1/meldingen/${id}/terugkoppeling`, convenantTk);
  // The term has ended: everything still open escalates, once.
  klok.zet(new Date(eindeVanDag(werkdagenNa(t0, 5)).getTime() + 60_000));
  while (await sb.diensten.termijnen.sweep() > 0) { /* until every due timer fired */ }
  // The 6th werkdag: three answered late, one of them "overleden"; one escalated case closed without feedback; one withdrawn.
  klok.zet(amsterdam(werkdagenNa(t0, 6), '10:00'));
  for (const id of laat) await ok(GEMEENTE, `/v1/meldingen/${id}/terugkoppeling`, convenantTk);
  await ok(GEMEENTE, `/v1/meldingen/${laat[0]}/eindresultaat`, { resultaat: 'Inwoner is overleden' });
  await ok(GEMEENTE, `/v1/meldingen/${zonder[0]}/eindresultaat`, { resultaat: 'Definitief geen contact kunnen krijgen' });
  await ok(ELAN, `/v1/meldingen/${naEscalatieIngetrokken}/intrekking`, { reden: 'huurder-verhuisd' });

  // The last day of the period: Ymere (wijkteam Zuid) sends two, still in term when the report is made; the day after, one more outside it.
  const zuid = { adres: { straatnaam: 'Zuiderstraat', huisnummer: 8, postcode: '2031AA', woonplaats: 'Haarlem' }, soort: 'betalingsregeling-niet-nagekomen' };
  klok.zet(amsterdam(tot, '15:00'));
  const binnenTermijn = [await meld(YMERE, zuid), await meld(YMERE, zuid)];
  klok.zet(amsterdam(plusDagen(tot, 1), '10:00'));
  await meld(YMERE, zuid);
  t.equal(snel.length + laatsteDag.length + laat.length + zonder.length + ingetrokken.length + 1 + 1 + binnenTermijn.length, 19);

  // The raw figures, with the threshold at 1 (the same Redis and keys, another config).
  const ruw = await createSignaalbrug({ ...app.config, rapportage: { kleinAantal: 1 } }, { log: createLogger(new PassThrough(), 'error'), klok: klok.klok, env: {} });
  t.teardown(() => ruw.sluit());
  const alles = await ruw.diensten.rapportage.evaluatie(van, tot, { rol: 'beheer' });
  const nulRedenen = { 'achterstand-betaald': 1, 'betalingsregeling-getroffen': 0, 'huurder-verhuisd': 1, vergissing: 1, overig: 0 };
  const uitkomsten = (over: Record<string, number>) => ({
    'Niet opgepakt: herhaalde melding': 0, 'Niet opgepakt: onterecht signaal': 0, 'Inwoner is overleden': 0, 'Persoon is geen inwoner (meer) in de gemeente': 0,
    'Niet opgepakt: andere reden': 0, 'Inwoner al bekend bij schuldhulpverlening': 0, 'Inwoner heeft al een ander lopend traject': 0,
    'Definitief geen contact kunnen krijgen': 0, 'Geen reactie na eerder contact': 0, 'Inwoner hoeft geen hulp vanuit vroegsignalering': 0,
    'Inwoner heeft zelf al betaald/betalingsregeling getroffen': 0, '(Budget)advies en/of quick fix': 0, 'Vervolghulp en/of verwijzing financieel': 0,
    'Verwijzing zonder contact': 0, 'Vervolghulp en/of verwijzing niet financieel': 0, 'nog geen eindresultaat': 0, 'onbekend (gegevens verwijderd)': 0, ...over,
  });
  const totaal = {
    meldingen: 19,
    terugkoppeling: { opTijd: 9, teLaat: 3, ontbreekt: 3, binnenTermijn: 2, vervallen: 2 },
    // 0 (eviction date, same day), 2 ×6, 5 ×2, 6 ×3: the median of twelve is the mean of the 6th and 7th.
    werkdagenTotTerugkoppeling: { aantal: 12, mediaan: 2, p90: 6 },
    escalaties: { totaal: 6, opgepakt: 0 },
    herhaaldeMeldingen: 0,
    eindresultaten: uitkomsten({ '(Budget)advies en/of quick fix': 5, 'Inwoner is overleden': 1, 'Definitief geen contact kunnen krijgen': 1, 'nog geen eindresultaat': 12 }),
    intrekkingen: { totaal: 3, perReden: nulRedenen },
    ontruimingsdatumBekend: 1,
  };
  t.same(alles.periode, { van, tot });
  t.same(alles.totaal, totaal, 'every figure of the half year');
  const elan = alles.perCorporatie.find((g) => g.sleutel === OIN.elan)!.cijfers;
  t.same(elan.terugkoppeling, { opTijd: 8, teLaat: 3, ontbreekt: 3, binnenTermijn: 0, vervallen: 2 });
  t.same(elan.werkdagenTotTerugkoppeling, { aantal: 11, mediaan: 2, p90: 6 });
  t.same(alles.perCorporatie.map((g) => [g.sleutel, g.cijfers.meldingen]), [[OIN.elan, 16], [OIN.pre, 1], [OIN.ymere, 2]]);
  t.same(alles.perWijkteam.map((g) => [g.sleutel, g.cijfers.meldingen, g.cijfers.escalaties.totaal]), [['noord', 16, 6], ['oost', 1, 0], ['zuid', 2, 0]]);
  t.same(alles.perGemeente.map((g) => [g.sleutel, g.cijfers.meldingen]), [[OIN.haarlem, 19]]);
  t.same(Object.fromEntries(alles.perSoort.map((g) => [g.sleutel, g.cijfers.meldingen])), {
    huurachterstand: 16, 'meer-dan-huurachterstand': 0, 'complexe-problematiek': 0, 'betalingsregeling-niet-nagekomen': 2, 'ontruimingsdatum-bekend': 1,
  });
  t.equal(alles.perSoort.find((g) => g.sleutel === 'ontruimingsdatum-bekend')!.cijfers.ontruimingsdatumBekend, 1);

  // The gemeente over the API: the same figures, small ones suppressed.
  const vraag = `/v1/rapportages/evaluatie?van=${van}&tot=${tot}`;
  const g = await app.vraag(GEMEENTE, 'GET', vraag);
  t.equal(g.status, 200, g.tekst);
  t.equal(g.headers['cache-control'], 'no-store');
  t.equal(g.body.kleinAantal, 5);
  t.same(g.body.totaal, {
    ...totaal,
    terugkoppeling: { opTijd: 9, teLaat: '< 5', ontbreekt: '< 5', binnenTermijn: '< 5', vervallen: '< 5' },
    werkdagenTotTerugkoppeling: { aantal: 12, mediaan: 2, p90: 6 },
    escalaties: { totaal: 6, opgepakt: 0 },
    eindresultaten: uitkomsten({ '(Budget)advies en/of quick fix': 5, 'Inwoner is overleden': '< 5', 'Definitief geen contact kunnen krijgen': '< 5', 'nog geen eindresultaat': 12 } as never),
    intrekkingen: { totaal: '< 5', perReden: { 'achterstand-betaald': '< 5', 'betalingsregeling-getroffen': 0, 'huurder-verhuisd': '< 5', vergissing: '< 5', overig: 0 } },
    ontruimingsdatumBekend: '< 5',
  }, 'no count from 1 to 4 is shown');
  t.same(g.body.perWijkteam.map((w: any) => [w.sleutel, w.cijfers.meldingen]), [['noord', 16], ['oost', '< 5'], ['zuid', '< 5']]);
  t.same(g.body.perSoort.find((s: any) => s.sleutel === 'betalingsregeling-niet-nagekomen').cijfers.werkdagenTotTerugkoppeling, { aantal: 0, mediaan: null, p90: null });
  t.same(g.body.perCorporatie.find((s: any) => s.sleutel === OIN.pre).cijfers.werkdagenTotTerugkoppeling, { aantal: '< 5', mediaan: '< 5', p90: '< 5' },
    'no median of a single case');

  // CSV = JSON.
  const csv = await app.vraag(GEMEENTE, 'GET', vraag, undefined, { headers: { accept: 'text/csv' } });
  t.equal(csv.status, 200);
  t.match(csv.headers['content-type'], /^text\/csv; charset=utf-8/);
  t.match(csv.headers['content-disposition'], `attachment; filename="evaluatie-${van}-${tot}.csv"`);
  const rijen = leesCsv(csv.tekst);
  t.same(rijen[0], ['groep', 'sleutel', 'naam', 'cijfer', 'waarde']);
  t.ok(rijen.every((r) => r.length === 5), 'five fields in every row');
  t.same(rijen.slice(1).map(([groep, sleutel, , cijfer, waarde]) => `${groep}|${sleutel}|${cijfer}|${waarde}`).sort(), jsonRegels(g.body), 'every figure, the same in both');

  // Each corporation sees its own figures only.
  const e = await app.vraag(ELAN, 'GET', vraag);
  t.equal(e.status, 200);
  t.equal(e.body.totaal.meldingen, 16);
  t.same(e.body.perCorporatie.map((c: any) => c.sleutel), [OIN.elan]);
  t.same(e.body.corporatieCijfers.map((c: any) => c.sleutel), [OIN.elan]);
  const y = await app.vraag(YMERE, 'GET', vraag);
  t.same([y.body.totaal.meldingen, y.body.totaal.terugkoppeling.binnenTermijn], ['< 5', '< 5']);
  t.same(y.body.perWijkteam.map((w: any) => w.cijfers.meldingen), [0, 0, '< 5']);

  // Refused: no period, a broken one.
  const geen = await app.vraag(GEMEENTE, 'GET', '/v1/rapportages/evaluatie');
  t.equal(geen.status, 400);
  t.match(geen.body.invalidParams, [{ name: 'van' }, { name: 'tot' }]);
  t.match((await app.vraag(GEMEENTE, 'GET', `/v1/rapportages/evaluatie?van=${tot}&tot=${van}`)).body.invalidParams, [{ name: 'tot', reason: 'ligt vóór van' }]);

  // The corporation's own figures (art. 9.5.3): counts only, per period, a second delivery replaces the first.
  const cijfers = {
    van, tot: plusDagen(van, 90),
    huisuitzettingen: { perDoelgroep: { metKinderen: 2, vijfenzestigPlus: 0, statushouders: 0, alleenstaanden: 5, overig: 0 }, perReden: { huurschuld: 6, overlast: 1, strafbaarFeit: 0, overig: 0 } },
    sleutelsVrijwilligIngeleverd: 9, huisuitzettingenVoorkomen: 3,
  };
  const eerste = await app.vraag(ELAN, 'POST', '/v1/rapportages/corporatiecijfers', { ...cijfers, sleutelsVrijwilligIngeleverd: 1 });
  t.equal(eerste.status, 201, eerste.tekst);
  t.equal((await app.vraag(ELAN, 'POST', '/v1/rapportages/corporatiecijfers', cijfers)).status, 200, 'the same period again replaces it');
  t.equal((await app.vraag(ELAN, 'POST', '/v1/rapportages/corporatiecijfers', { ...cijfers, van: plusDagen(van, 91), tot: plusDagen(van, 181),
    huisuitzettingen: { perDoelgroep: { ...cijfers.huisuitzettingen.perDoelgroep, alleenstaanden: 0 }, perReden: { huurschuld: 1, overlast: 1, strafbaarFeit: 0, overig: 0 } } })).status, 201);
  t.equal((await app.vraag(GEMEENTE, 'POST', '/v1/rapportages/corporatiecijfers', cijfers)).status, 403, 'only a corporation');
  const fout = await app.vraag(ELAN, 'POST', '/v1/rapportages/corporatiecijfers', { ...cijfers, huurder: 'J. de Vries', sleutelsVrijwilligIngeleverd: -1 });
  t.equal(fout.status, 400);
  t.same(fout.body.invalidParams.map((p: any) => p.name).sort(), ['huurder', 'sleutelsVrijwilligIngeleverd'], 'every error at once; no field but counts');
  const metEigen = (await app.vraag(GEMEENTE, 'GET', vraag)).body.corporatieCijfers.find((c: any) => c.sleutel === OIN.elan);
  t.same(metEigen, {
    sleutel: OIN.elan, naam: 'Elan Wonen', perioden: [{ van, tot: plusDagen(van, 90) }, { van: plusDagen(van, 91), tot: plusDagen(van, 181) }],
    huisuitzettingen: { totaal: 9, perDoelgroep: { metKinderen: '< 5', vijfenzestigPlus: 0, statushouders: 0, alleenstaanden: 5, overig: 0 }, perReden: { huurschuld: 7, overlast: '< 5', strafbaarFeit: 0, overig: 0 } },
    sleutelsVrijwilligIngeleverd: 18, huisuitzettingenVoorkomen: 6,
  });

  // DDAS: the gemeente's Uitwisselmodel of the period, valid against the official schema (checked here with ajv, independently).
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  voegFormatsToe(ajv);
  const valide = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'vendor', 'ddas', 'json_schema_Uitwisselmodel.json'), 'utf8')));
  const d = await app.vraag(GEMEENTE, 'GET', `/v1/rapportages/ddas?van=${van}&tot=${tot}&gemeentecode=0392`);
  t.equal(d.status, 200, d.tekst);
  t.ok(valide(d.body), JSON.stringify(valide.errors));
  t.match(d.body, { startdatumLevering: van, einddatumLevering: tot, codeGegevensleverancier: 'signaalbrug', leveringen: [{ teller: 1, gemeentecode: '0392', aanleverende_organisatie: { naam: 'Gemeente Haarlem' } }] });
  const l = d.body.leveringen[0];
  t.equal(l.vroegsignalen.length, 19, 'every signal of the period, none after it');
  t.notOk(/burgerservicenummer|bsn/i.test(d.tekst), 'never a BSN');
  t.ok(l.vroegsignalen.every((v: any) => v.signaalpartner.type === 'Huur' && !('warmeOverdracht' in v)), 'a field we cannot fill is left out');
  const signaal = (id: string) => l.vroegsignalen.find((v: any) => v.ID === id);
  t.match(signaal(snel[0]!), { crisissignaal: false, bedrag: 1235, signaaldatum: van, client: { Voorletters: 'J.', Voorvoegsel: 'van', Achternaam: 'Dijk', Postcode: '2011DE', Huisnummer: '12' } });
  t.notOk('status' in signaal(snel[0]!), 'picked up: EnumSignaalstatus has no value for it');
  t.equal(signaal(zonder[1]!).status, 'Nog niet opgepakt');
  t.notOk('status' in signaal(ingetrokken[0]!), 'withdrawn before anyone picked it up: no status invented');
  t.match(signaal(ontruiming), { crisissignaal: true });
  t.equal(l.vroegsignaalzaken.length, 6 + 2 + 3 + 1 + 1, 'a case for every signal the gemeente answered or closed');
  const zaak = (id: string) => l.vroegsignaalzaken.find((z: any) => z.vroegsignalen[0].ID === id);
  t.same(zaak(snel[0]!), { resultaat: '(Budget)advies en/of quick fix', datum_opgepakt: werkdagenNa(t0, 2), vroegsignalen: [{ ID: snel[0] }],
    contactpogingen: [{ soort: 'Huisbezoek', bereikt: true, datum: werkdagenNa(t0, 2), dagdeel: 'Middag' }] });
  t.same(zaak(laat[1]!), { vroegsignalen: [{ ID: laat[1] }], contactpogingen: [{ datum: van }] }, 'the convenant\'s shape holds only the date of an attempt');
  t.same(zaak(zonder[0]!), { resultaat: 'Definitief geen contact kunnen krijgen', vroegsignalen: [{ ID: zonder[0] }] });
  t.equal((await app.vraag(ELAN, 'GET', `/v1/rapportages/ddas?van=${van}&tot=${tot}&gemeentecode=0392`)).status, 403, 'the gemeente\'s only');
  t.match((await app.vraag(GEMEENTE, 'GET', `/v1/rapportages/ddas?van=${van}&tot=${tot}&gemeentecode=392`)).body.invalidParams, [{ name: 'gemeentecode' }]);

  // Retention removed a closed case's personal data: the counts stand; its outcome, removed with it, counts as unknown.
  t.equal(await sb.diensten.opruimer.wis(snel[0]!, 'verzoek-betrokkene', { kanaal: 'cli' }), 'gewist');
  const daarna = await ruw.diensten.rapportage.evaluatie(van, tot, { rol: 'beheer' });
  t.same(daarna.totaal, { ...totaal, eindresultaten: { ...totaal.eindresultaten, '(Budget)advies en/of quick fix': 4, 'onbekend (gegevens verwijderd)': 1 } });
  const naWissen = (await app.vraag(GEMEENTE, 'GET', `/v1/rapportages/ddas?van=${van}&tot=${tot}&gemeentecode=0392`)).body;
  t.ok(valide(naWissen), JSON.stringify(valide.errors));
  t.same(naWissen.leveringen[0].vroegsignalen.find((v: any) => v.ID === snel[0]).client, {}, 'no identity left to deliver');
  t.notOk(naWissen.leveringen[0].vroegsignaalzaken.some((z: any) => z.vroegsignalen[0].ID === snel[0]), 'its case went with its data');
});
