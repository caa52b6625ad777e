// The plausibility rules as pure domain code: a name must show, and the dates are judged against the
// day given (the service passes its own), never the host's clock.
import t from 'tap';
import { meldingSchema, meldingSchemaOp, naamFout } from '../../src/domain/melding.js';
import { voorbeeldMelding } from '../helpers/build.js';

t.test('naamFout: one reason per name, or none', async (t) => {
  const cases: [string, string | undefined][] = [
    ['Dijk', undefined], ["'s-Gravenhage", undefined], ['Nguyễn', undefined], ['김', undefined], ['Mañana (Süd)', undefined],
    ['\u3164', 'bevat een onzichtbaar teken'], ['\u115F', 'bevat een onzichtbaar teken'], ['\u1160', 'bevat een onzichtbaar teken'],
    ['Dijk\u200B', 'bevat een onzichtbaar teken'], ['\u2060Dijk', 'bevat een onzichtbaar teken'], ['Di\uFE0Fjk', 'bevat een onzichtbaar teken'],
    ['\u0301', 'bevat een los accentteken zonder letter ervoor'], ['1\u0301', 'bevat een los accentteken zonder letter ervoor'],
    ['a\u0301\u0302\u0303\u0304', 'bevat te veel accenttekens op één letter'], ['a\u0301\u0302', undefined],
    ['.', 'moet minstens één letter bevatten'], ['12', 'moet minstens één letter bevatten'],
    ['<b>', 'bevat tekens die niet zijn toegestaan'], ['Dijk\u00A0', 'bevat tekens die niet zijn toegestaan'],
  ];
  for (const [naam, verwacht] of cases) t.equal(naamFout(naam), verwacht, JSON.stringify(naam));
});

t.test('meldingSchemaOp: the same rules on any day, the dates against the day given', async (t) => {
  const m = voorbeeldMelding({ soort: 'ontruimingsdatum-bekend', ontruimingsdatum: '2030-06-01' });
  m.huurder.geboortedatum = '2030-05-01';
  t.ok(meldingSchema.safeParse(m).success, 'meldingSchema alone knows no today');
  const namen = (dag: string) => meldingSchemaOp(dag).safeParse(m).error?.issues.map((i) => i.path.join('.')).sort() ?? [];
  t.same(namen('2030-05-01'), [], 'on 2030-05-01 both dates are plausible');
  t.same(namen('2030-04-30'), ['huurder.geboortedatum'], 'a day earlier the birth is in the future');
  t.same(namen('2030-06-16'), ['ontruimingsdatum'], '15 days after the eviction date');
  t.same(namen('2028-05-31'), ['huurder.geboortedatum', 'ontruimingsdatum'], 'more than 730 days ahead');
  t.equal(meldingSchemaOp('2030-05-01'), meldingSchemaOp('2030-05-01'), 'built once per day');
  t.throws(() => meldingSchemaOp('1 mei 2030'), RangeError);
});
