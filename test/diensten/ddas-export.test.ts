// The DDAS export against the official schema of DDAS Vroegsignalering v0.9 (vendored with its
// source in vendor/ddas/): the schema's own examples pass our check, a case whose personal data is
// gone still makes a valid signal (fields we cannot fill are left out, not invented), and an export
// that breaks the schema is caught.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { ddasFouten } from '../../src/diensten/ddas-levering.js';
import { uitwisselmodel, type DdasCasus } from '../../src/domain/ddas-export.js';
import { amsterdamDatum } from '../../src/domain/werkdagen.js';
import { BASIS } from '../helpers/klok.js';
import { ROOT } from '../helpers/root.js';

const vendor = (f: string) => JSON.parse(readFileSync(path.join(ROOT, 'vendor', 'ddas', f), 'utf8'));
const vandaag = amsterdamDatum(BASIS);

const casus = (over: Partial<DdasCasus['casus']> = {}): DdasCasus['casus'] => ({
  id: '0b8f1c2e-0000-4000-8000-000000000001', oin: '00000099000000000001', wijkteam: 'noord', wijkteamOin: '00000099000000000010',
  soort: 'huurachterstand', status: 'ontvangen', ontvangenOp: BASIS.toISOString(), terugkoppelingUiterlijk: vandaag,
  gebeurtenissen: [{ soort: 'ontvangen', op: BASIS.toISOString() }], ...over,
});
const levering = (casussen: DdasCasus[]) => uitwisselmodel({
  periode: { van: vandaag, tot: vandaag }, nu: BASIS, codeGegevensleverancier: 'signaalbrug', gemeentecode: '0392', organisatie: { naam: 'Gemeente Haarlem' }, casussen,
});

t.test('the schema\'s own examples pass the check; a broken document does not', async (t) => {
  t.same(ddasFouten(vendor('enkelvoudigVoorbeeld.json')), []);
  t.same(ddasFouten(vendor('meervoudigVoorbeeld.json')), []);
  const kapot = vendor('enkelvoudigVoorbeeld.json');
  kapot.leveringen[0].vroegsignaalzaken[0].resultaat = 'Opgelost';
  kapot.einddatumLevering = '2025-02-30';
  t.match(ddasFouten(kapot), [/einddatumLevering must match format "date"/, /resultaat must be equal to one of the allowed values/]);
});

t.test('a signal whose personal data was removed: only what the metadata says, still valid', async (t) => {
  const doc = levering([{ casus: casus() }]);
  t.same(ddasFouten(doc), []);
  t.same(doc.leveringen[0]!.vroegsignalen, [{
    ID: casus().id, crisissignaal: false, signaaldatum: vandaag, status: 'Nog niet opgepakt', signaalpartner: { type: 'Huur' }, client: {},
  }], 'no bedrag, ontstaansdatum, warmeOverdracht or identity: left out, not invented');
  t.same(doc.leveringen[0]!.vroegsignaalzaken, [], 'no case before the gemeente did anything');
});

t.test('an export that breaks the schema is caught before it leaves', async (t) => {
  const doc = levering([{ casus: casus(), eindresultaat: 'Opgelost' as never }]);
  t.match(ddasFouten(doc), [/vroegsignaalzaken\/0\/resultaat must be equal to one of the allowed values/]);
  t.match(ddasFouten(levering([])), [], 'an empty period is a valid delivery');
  t.match(ddasFouten({ ...levering([]), aanleverdatumEnTijd: 'gisteren' }), [/date-time/]);
});
