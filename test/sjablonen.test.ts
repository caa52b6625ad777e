// Every template renders from its real view model, escapes HTML, and fails loudly on a missing field.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import {
  aanvullingModel, escalatieModel, herinneringModel, intrekkingModel, meldingAanWijkteamModel, ontruimingsdatumModel, terugkoppelingModel,
  type Casus,
} from '../src/domain/berichten.js';
import { notificatieModel, toegangscodeModel } from '../src/domain/portaalberichten.js';
import { meldingSchema } from '../src/domain/melding.js';
import { BERICHTSOORTEN, leesSjabloon, Sjablonen, standaardSjablonenMap, type Berichtsoort } from '../src/sjablonen.js';
import { voorbeeldMelding } from './helpers/build.js';

const volledig = meldingSchema.parse(voorbeeldMelding({
  referentie: 'ELAN-2026-000123', soort: 'complexe-problematiek', toestemming: { gegevenOp: '2026-10-02', vastgelegdDoor: 'A. de Vries' },
  ontruimingsdatum: '2027-01-15', vorigeMelding: '5f0c2b1e-0000-4000-8000-000000000000',
  huishouden: { aantalBewoners: 3, kinderenOnder18: true },
}));
const minimaal = meldingSchema.parse({ ...voorbeeldMelding({ soort: 'meer-dan-huurachterstand' }), achterstand: undefined, stappen: undefined,
  huurder: { relatienummer: '1', voorletters: 'J.', achternaam: 'Dijk', geboortedatum: '1958-03-14' } });

const casus = (gegevens: typeof volledig): Casus => ({
  id: '956b3338-809f-4452-9a6e-b9cc7f36b36e', soort: gegevens.soort, ontvangenOp: '2026-11-20T09:00:00.000Z', terugkoppelingUiterlijk: '2026-11-27',
  corporatie: 'Woonstichting <Test> & Co', wijkteam: 'Sociaal Wijkteam Noord', gegevens,
});

const MODELLEN: Record<Berichtsoort, (c: Casus) => object> = {
  'melding-aan-wijkteam': (c) => meldingAanWijkteamModel(c, null, c.gegevens.achterstand
    ? { vorigeMelding: '5f0c2b1e-0000-4000-8000-000000000000', vorigeOntvangenOp: '2026-06-01T08:00:00.000Z', vorigeBedragInCenten: 1000, bedragInCenten: c.gegevens.achterstand.bedragInCenten }
    : null),
  herinnering: herinneringModel,
  escalatie: (c) => escalatieModel(c, 2),
  ontruimingsdatum: ontruimingsdatumModel,
  intrekking: intrekkingModel,
  terugkoppeling: (c) => terugkoppelingModel(c, { contactGelegd: true, inBehandeling: true, incassoHervatten: false, hervattingBetalingOp: '2026-12-01',
    contactpogingen: ['2026-11-24'], betalingsafspraak: true, wilHulp: true, nietOpgepakt: null, opTijd: false }),
  'notificatie-beveiligd-bericht': (c) => notificatieModel(c, 'https://portal.example/b/abc'),
  toegangscode: (c) => toegangscodeModel('482913', 15, { meldingId: c.id }),
  aanvulling: (c) => aanvullingModel(c, { soort: 'ontruimingsdatum', ontruimingsdatum: '2027-02-01', ontvangenOp: '2026-11-24T10:00:00.000Z' }, 'https://portal.example/b/def'),
};

const sjablonen = new Sjablonen(standaardSjablonenMap()).laadAlles();

t.test('every message kind renders with full and minimal data', async (t) => {
  for (const soort of BERICHTSOORTEN) {
    for (const [naam, g] of [['volledig', volledig], ['minimaal', minimaal]] as const) {
      const r = sjablonen.render(soort, MODELLEN[soort](casus(g)));
      t.ok(r.onderwerp.length > 5 && !r.onderwerp.includes('\n'), `${soort} ${naam}: one-line subject`);
      t.match(r.html, /<html lang="nl">/, `${soort} ${naam}: html`);
      t.notMatch(r.tekst + r.html, /undefined|\[object Object\]|\{\{/, `${soort} ${naam}: nothing unrendered`);
    }
  }
});

t.test('the melding to the wijkteam carries the convenant data, deadline and article', async (t) => {
  const r = sjablonen.render('melding-aan-wijkteam', meldingAanWijkteamModel(casus(volledig)));
  t.equal(r.onderwerp, 'Melding vroegsignalering ELAN-2026-000123: Vermoeden van complexe problematiek, met toestemming van de huurder');
  for (const s of ['J. van Dijk', '778812', '14-03-1958', '0612345678', 'Kleine Houtstraat 12 A', '2011 DE Haarlem', '€ 1.234,56', '27-11-2026', 'art. 3.3', 'Kinderen onder 18: ja'])
    t.match(r.tekst, s, s);
  t.match(r.html, 'Woonstichting &lt;Test&gt; &amp; Co', 'HTML is escaped');
  t.match(r.tekst, 'Woonstichting <Test> & Co', 'text is not');
  const min = sjablonen.render('melding-aan-wijkteam', meldingAanWijkteamModel(casus(minimaal)));
  t.notMatch(min.tekst, /Achterstand|Telefoon|Toestemming/, 'absent optional data leaves no empty lines behind');
});

t.test('the notification mail holds no personal data', async (t) => {
  const r = sjablonen.render('notificatie-beveiligd-bericht', notificatieModel(casus(volledig), 'https://portal.example/b/abc'));
  for (const s of ['Dijk', '778812', 'Houtstraat', '0612345678', 'ELAN-2026'])
    t.notOk((r.onderwerp + r.tekst + r.html).includes(s), s);
});

t.test('a template that names a field its model lacks fails here, not in a live send', async (t) => {
  const dir = t.testdir();
  for (const soort of BERICHTSOORTEN)
    writeFileSync(path.join(dir, `${soort}.hbs`), '--- onderwerp ---\nx\n--- tekst ---\n{{huurder.bestaatNiet}}\n--- html ---\n<p></p>\n');
  const kapot = new Sjablonen(dir);
  t.throws(() => kapot.render('herinnering', herinneringModel(casus(volledig))), /bestaatNiet/);
  t.throws(() => sjablonen.render('melding-aan-wijkteam', {}), 'strict: an empty model is refused');
  t.throws(() => leesSjabloon('--- onderwerp ---\nx\n', 'kapot.hbs'), /kapot\.hbs: sectie "--- tekst ---" ontbreekt/);
  t.throws(() => new Sjablonen(t.testdir()).laadAlles(), /ENOENT/, 'a missing template stops the start');
});

t.test('moments in messages are Dutch local time as dd-mm-jjjj uu:mm, never raw UTC', async (t) => {
  for (const soort of ['melding-aan-wijkteam', 'escalatie'] as const) {
    const r = sjablonen.render(soort, MODELLEN[soort](casus(volledig)));
    t.match(r.tekst, '20-11-2026 10:00', `${soort}: 09:00 UTC in November is 10:00 in Amsterdam`);
    t.notMatch(r.tekst + r.html, /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, `${soort}: no ISO timestamp`);
  }
});
