// The pure rules of the figures: periods, werkdagen to feedback, median and p90, small-cell
// suppression, the corporation's own figures and the CSV. Dates come from the real now.
import t from 'tap';
import {
  beoordeel, corporatieCijfersSchema, mediaan, naarCsv, onderdruk, percentiel, periodeFouten, periodeGrenzen, rapport, telCorporatieCijfers,
  werkdagenTussen, type CasusFeiten,
} from '../../src/domain/rapportage.js';
import { amsterdamDatum, eindeVanDag, werkdagenNa } from '../../src/domain/werkdagen.js';
import { amsterdam, BASIS, plusDagen } from '../helpers/klok.js';

const vandaag = amsterdamDatum(BASIS);

t.test('a period: both days included, Amsterdam midnights, refused when wrong', async (t) => {
  const { vanMs, totMs } = periodeGrenzen({ van: vandaag, tot: plusDagen(vandaag, 9) });
  t.equal(vanMs, amsterdam(vandaag, '00:00').getTime());
  t.equal(totMs, eindeVanDag(plusDagen(vandaag, 9)).getTime());
  t.same(periodeFouten(vandaag, vandaag), []);
  t.match(periodeFouten(undefined, 'x'), [{ name: 'van', reason: /verplicht/ }, { name: 'tot', reason: /bestaande datum/ }]);
  t.match(periodeFouten(vandaag, plusDagen(vandaag, -1)), [{ name: 'tot', reason: 'ligt vóór van' }]);
  t.match(periodeFouten(vandaag, plusDagen(vandaag, 731)), [{ name: 'tot', reason: /hoogstens 731 dagen/ }]);
  t.match(periodeFouten('2026-02-30', vandaag), [{ name: 'van' }]);
});

t.test('werkdagen to feedback: the day of receipt never counts; the law\'s calendar', async (t) => {
  const ontvangen = amsterdam(vandaag, '10:00').toISOString();
  t.equal(werkdagenTussen(ontvangen, amsterdam(vandaag, '23:00').toISOString()), 0);
  for (const n of [1, 2, 5, 6, 12]) t.equal(werkdagenTussen(ontvangen, amsterdam(werkdagenNa(new Date(ontvangen), n), '09:00').toISOString()), n, `${n}`);
});

t.test('median (mean of the middle two) and p90 (nearest rank)', async (t) => {
  t.equal(mediaan([]), null);
  t.equal(mediaan([3, 1, 2]), 2);
  t.equal(mediaan([1, 2, 3, 4]), 2.5);
  t.equal(percentiel([0, 2, 2, 2, 2, 2, 2, 5, 5, 6, 6, 6], 90), 6);
  t.equal(percentiel(Array.from({ length: 10 }, (_, i) => i + 1), 90), 9);
  t.equal(percentiel([7], 90), 7);
});

t.test('suppression: 0 and counts of at least k shown, anything between as "< k"', async (t) => {
  t.same([0, 1, 4, 5, 6].map((n) => onderdruk(n, 5)), [0, '< 5', '< 5', 5, 6]);
  t.same([0, 1, 2].map((n) => onderdruk(n, 1)), [0, 1, 2]);
});

t.test('one case: feedback on time, late, missing, in term, moot after withdrawal', async (t) => {
  const ontvangenOp = amsterdam(vandaag, '10:00').toISOString();
  const uiterlijk = werkdagenNa(new Date(ontvangenOp), 5);
  const casus = (gebeurtenissen: { soort: string; op: string; [k: string]: unknown }[]): CasusFeiten => ({
    id: 'x', oin: 'o', wijkteam: 'w', wijkteamOin: 'g', soort: 'huurachterstand', status: 'ontvangen', ontvangenOp, terugkoppelingUiterlijk: uiterlijk,
    gebeurtenissen: [{ soort: 'ontvangen', op: ontvangenOp }, ...gebeurtenissen] as CasusFeiten['gebeurtenissen'],
  });
  const voor = amsterdam(uiterlijk, '12:00');
  const na = new Date(eindeVanDag(uiterlijk).getTime() + 60_000);
  t.match(beoordeel(casus([{ soort: 'teruggekoppeld', op: voor.toISOString(), opTijd: true }]), na), { terugkoppeling: 'opTijd', werkdagen: 5 });
  t.match(beoordeel(casus([{ soort: 'teruggekoppeld', op: na.toISOString(), opTijd: false }]), na), { terugkoppeling: 'teLaat' });
  t.match(beoordeel(casus([]), na), { terugkoppeling: 'ontbreekt', uitkomst: 'nog geen eindresultaat' });
  t.match(beoordeel(casus([]), voor), { terugkoppeling: 'binnenTermijn' });
  t.match(beoordeel(casus([{ soort: 'ingetrokken', op: voor.toISOString(), reden: 'vergissing' }]), na), { terugkoppeling: 'vervallen', ingetrokken: 'vergissing' });
  t.match(beoordeel(casus([{ soort: 'geescaleerd', op: na.toISOString() }, { soort: 'ingetrokken', op: na.toISOString(), reden: 'overig' }]), na),
    { terugkoppeling: 'ontbreekt', geescaleerd: true, ingetrokken: 'overig' });
  t.match(beoordeel(casus([{ soort: 'geescaleerd', op: na.toISOString() }, { soort: 'escalatie-opgepakt', op: na.toISOString() }, { soort: 'ontvangen', op: voor.toISOString(), herhalingVan: 'eerdere-melding' }]), na),
    { geescaleerd: true, escalatieOpgepakt: true, herhaald: true });
  t.match(beoordeel(casus([{ soort: 'afgesloten', op: na.toISOString(), reden: 'eindresultaat' }]), na), { uitkomst: 'onbekend (gegevens verwijderd)' },
    'an outcome that was given but removed with the personal data');
  t.match(beoordeel({ ...casus([]), eindresultaat: 'Inwoner is overleden' }, na), { uitkomst: 'Inwoner is overleden' });
});

t.test('the corporation\'s own figures: counts only, both breakdowns add up, summed over the periods inside', async (t) => {
  const eind = plusDagen(vandaag, 30);
  const geldig = {
    van: vandaag, tot: eind,
    huisuitzettingen: { perDoelgroep: { metKinderen: 1, vijfenzestigPlus: 0, statushouders: 0, alleenstaanden: 2, overig: 0 }, perReden: { huurschuld: 2, overlast: 1, strafbaarFeit: 0, overig: 0 } },
    sleutelsVrijwilligIngeleverd: 4, huisuitzettingenVoorkomen: 7,
  };
  t.ok(corporatieCijfersSchema.safeParse(geldig).success);
  const fout = corporatieCijfersSchema.safeParse({ ...geldig, huisuitzettingen: { ...geldig.huisuitzettingen, perReden: { ...geldig.huisuitzettingen.perReden, overig: 1 } } });
  t.match(fout.error?.issues, [{ path: ['huisuitzettingen', 'perReden'] }]);
  t.notOk(corporatieCijfersSchema.safeParse({ ...geldig, naam: 'J. de Vries' }).success, 'nothing but counts');
  t.notOk(corporatieCijfersSchema.safeParse({ ...geldig, sleutelsVrijwilligIngeleverd: 1.5 }).success);
  const later = { ...geldig, van: plusDagen(eind, 1), tot: plusDagen(eind, 30), sleutelsVrijwilligIngeleverd: 1 };
  const som = telCorporatieCijfers([geldig, later], { van: vandaag, tot: plusDagen(eind, 30) });
  t.equal(som.sleutelsVrijwilligIngeleverd, 5);
  t.equal(som.huisuitzettingen.totaal, 6);
  t.same(som.perioden.map((p) => p.van), [vandaag, plusDagen(eind, 1)]);
  t.equal(telCorporatieCijfers([geldig, later], { van: vandaag, tot: eind }).sleutelsVrijwilligIngeleverd, 4, 'a period reaching outside is left out');
});

t.test('the CSV carries every figure of the JSON, one per row', async (t) => {
  const r = rapport({
    periode: { van: vandaag, tot: vandaag }, nu: BASIS, kleinAantal: 5, intrekkingsredenen: ['overig'], casussen: [],
    gemeenten: [{ sleutel: 'g', naam: 'Gemeente, "Test"' }], wijkteams: [], corporaties: [], corporatieLeveringen: new Map(),
  });
  const csv = naarCsv(r);
  t.match(csv, /^groep,sleutel,naam,cijfer,waarde\r\n/);
  t.match(csv, /\r\ngemeente,g,"Gemeente, ""Test""",meldingen,0\r\n/, 'RFC 4180 quoting');
  t.match(csv, /\r\ntotaal,,,werkdagenTotTerugkoppeling\.mediaan,\r\n/, 'no median without feedback');
});
