// The plausibility rules as pure domain code: a name must show, and the dates are judged against the
// day given (the service passes its own), never the host's clock.
import t from 'tap';
import { meldingSchema, meldingSchemaOp, naamFout } from '../../src/domain/melding.js';
import { amsterdamDatum } from '../../src/domain/werkdagen.js';
import { voorbeeldMelding } from '../helpers/build.js';
import { BASIS, plusDagen } from '../helpers/klok.js';

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
  // Days about four years after the test clock's (the example's own dates lie before it), so the
  // judged dates are the only ones after the days asked about, whatever day the suite runs.
  const dag = plusDagen(amsterdamDatum(BASIS), 4 * 365);
  const ontruiming = plusDagen(dag, 31);
  const m = voorbeeldMelding({ soort: 'ontruimingsdatum-bekend', ontruimingsdatum: ontruiming });
  m.huurder.geboortedatum = dag;
  t.ok(meldingSchema.safeParse(m).success, 'meldingSchema alone knows no today');
  const namen = (d: string) => meldingSchemaOp(d).safeParse(m).error?.issues.map((i) => i.path.join('.')).sort() ?? [];
  t.same(namen(dag), [], `on ${dag} both dates are plausible`);
  t.same(namen(plusDagen(dag, -1)), ['huurder.geboortedatum'], 'a day earlier the birth is in the future');
  t.same(namen(plusDagen(ontruiming, 15)), ['ontruimingsdatum'], '15 days after the eviction date');
  t.same(namen(plusDagen(ontruiming, -731)), ['huurder.geboortedatum', 'ontruimingsdatum'], 'more than 730 days ahead');
  t.equal(meldingSchemaOp(dag), meldingSchemaOp(dag), 'built once per day');
  t.throws(() => meldingSchemaOp('1 mei 2030'), RangeError);
});
