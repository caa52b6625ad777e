// The breach register (004 Bijlage 1 art. 9.3 a–j) through the real CLI: stored encrypted, missing
// fields named, completed later; and which meldingen and organisations a window touches (art. 9.1).
import t from 'tap';
import { build, voorbeeldMelding } from '../helpers/build.js';
import { cli } from '../helpers/cli.js';
import { BASIS, amsterdam, testKlok } from '../helpers/klok.js';
import { redisDump } from '../helpers/privacy.js';
import { amsterdamDatum } from '../../src/domain/werkdagen.js';

// Every moment is days before the test clock's base (see helpers/klok.ts).
const DAG = 86_400_000;
const dag = (n: number) => new Date(BASIS.getTime() + n * DAG);
const iso = (n: number) => dag(n).toISOString();
const datum = (n: number) => amsterdamDatum(dag(n));

const VOLLEDIG = [
  '--aard', 'Laptop met export gestolen uit auto', '--oorzaak', 'export buiten beleid', '--omvang', '3 meldingen',
  '--plaatsgevonden-van', iso(-42), '--plaatsgevonden-tot', iso(-16), '--bekend-op', iso(-15),
  '--categorieen-betrokkenen', 'huurders met huurachterstand', '--soort-gegevens', 'naam, adres, telefoonnummer',
  '--versleuteld', 'nee', '--versleuteld-toelichting', 'schijf niet versleuteld', '--contact', 'FG, fg@haarlem.example',
  '--gevolgen', 'mogelijk inzage door derden', '--maatregelen', 'wachtwoorden gewijzigd', '--gemeld-ap', 'ja', '--reden-ap', 'risico voor betrokkenen',
];

t.test('register, complete, list and find the affected meldingen and organisations', async (t) => {
  const c = testKlok(dag(-60));
  const app = await build(t, { rollen: ['api'], klok: c.klok });
  const env = { SIGNAALBRUG_CONFIG: app.configBestand };
  const post = async (wie: string, op: Date) => {
    c.zet(op);
    return (await app.vraag(wie, 'POST', '/v1/meldingen', voorbeeldMelding())).body.id as string;
  };
  const oud = await post('elan-wonen', dag(-60));
  const m1 = await post('elan-wonen', dag(-30));
  const m2 = await post('pre-wonen', dag(-21));
  await post('ymere', dag(-11));
  // The oldest lost its personal data at dag(-46), the way retention removes it (the service's own removal).
  c.zet(dag(-46));
  t.equal(await app.draaiend.sb.diensten.opruimer.wis(oud, 'bewaartermijn', { kanaal: 'werker' }), 'gewist');
  c.zet(dag(-11));

  const reg = await cli(['datalek', 'registreer', ...VOLLEDIG], { env });
  t.equal(reg.code, 0, reg.stderr);
  const { id, ontbreekt } = JSON.parse(reg.stdout);
  t.same(ontbreekt, [], 'all of a–j present');
  t.equal(reg.stderr, '');
  t.notOk((await redisDump(app.redis.url)).includes('Laptop'), 'stored encrypted');

  const getroffen = JSON.parse((await cli(['datalek', 'getroffen', '--datalek', id], { env })).stdout);
  t.match(getroffen, { van: iso(-42), tot: iso(-16), partnersInformerenUiterlijk: iso(-14), aantalMeldingen: 2 });
  t.same(getroffen.meldingen.map((m: any) => m.id), [m1, m2], 'held in the window: not the one removed before it, not the later one');
  t.same(getroffen.organisaties.map((o: any) => [o.naam, o.aantalMeldingen]).sort(), [['Elan Wonen', 1], ['Gemeente Haarlem', 2], ['Pré Wonen', 1]]);
  const vroeg = JSON.parse((await cli(['datalek', 'getroffen', '--van', datum(-52), '--tot', datum(-50)], { env })).stdout);
  t.same(vroeg.meldingen.map((m: any) => [m.id, m.verwijderdOp]), [[oud, iso(-46)]], 'held then, removed later');

  const kort = await cli(['datalek', 'registreer', '--aard', 'verkeerd geadresseerd', '--plaatsgevonden-van', datum(-9), '--bekend-op', amsterdam(datum(-9), '13:00').toISOString()], { env });
  t.equal(kort.code, 0, kort.stderr);
  const k = JSON.parse(kort.stdout);
  t.ok(k.ontbreekt.includes('d: categorieenBetrokkenen') && k.ontbreekt.includes('j: gemeldBijAp'), 'what art. 9.3 still asks');
  t.match(kort.stderr, /datalek bijwerken/);
  const bij = await cli(['datalek', 'bijwerken', k.id, '--gemeld-ap', 'nee', '--reden-ap', 'geen risico: versleuteld', '--versleuteld', 'ja'], { env });
  t.equal(bij.code, 0, bij.stderr);
  t.notOk(JSON.parse(bij.stdout).ontbreekt.some((o: string) => o.startsWith('j:') || o.startsWith('f: versleuteld,')));
  const lijst = (await cli(['datalek', 'lijst'], { env })).stdout.trim().split('\n').map((x) => JSON.parse(x));
  t.equal(lijst.length, 2);
  t.match(lijst.find((x: any) => x.id === k.id), { aard: 'verkeerd geadresseerd', gemeldBijAp: false, versleuteld: true, plaatsgevondenVan: amsterdam(datum(-9), '00:00').toISOString() });
  t.match(lijst.find((x: any) => x.id === id), { contact: 'FG, fg@haarlem.example', maatregelen: 'wachtwoorden gewijzigd', gemeldBijAp: true });

  for (const args of [
    ['registreer', '--plaatsgevonden-van', '2026-11-21', '--bekend-op', '2026-11-21'],
    ['registreer', '--aard', 'x', '--plaatsgevonden-van', 'gisteren', '--bekend-op', '2026-11-21'],
    ['registreer', ...VOLLEDIG, '--versleuteld', 'misschien'],
    ['getroffen', '--van', '2026-11-21'],
    ['getroffen', '--van', '2026-11-21', '--tot', '2026-11-01'],
    ['getroffen', '--datalek', 'bestaat-niet'],
    ['bijwerken', 'bestaat-niet', '--aard', 'x'],
    ['opruimen'],
  ]) {
    const fout = await cli(['datalek', ...args], { env });
    t.equal(fout.code, 2, args.join(' '));
    t.match(fout.stderr, /^signaalbrug: /);
  }
});
