// `signaalbrug rapport` and `signaalbrug ddas` as an operator runs them: the compiled CLI in a child
// process against the same Redis and config as a running API.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { amsterdamDatum } from '../src/domain/werkdagen.js';
import { build, voorbeeldMelding } from './helpers/build.js';
import { cli } from './helpers/cli.js';
import { lopendeKlok, plusDagen } from './helpers/klok.js';

t.test('rapport and ddas on the command line', async (t) => {
  const app = await build(t, { rollen: ['api'] });
  const env = { SIGNAALBRUG_CONFIG: app.configBestand };
  for (let i = 0; i < 6; i++) t.equal((await app.vraag('elan-wonen', 'POST', '/v1/meldingen', voorbeeldMelding())).status, 201);
  t.equal((await app.vraag('ymere', 'POST', '/v1/meldingen', voorbeeldMelding())).status, 201);
  // The service's clock (the real now, or SB_TEST_DATUM): a period around today, so a test that
  // crosses midnight still holds them all.
  const vandaag = amsterdamDatum(lopendeKlok());
  const [van, tot] = [plusDagen(vandaag, -1), plusDagen(vandaag, 1)];

  const json = await cli(['rapport', '--van', van, '--tot', tot], { env });
  t.equal(json.code, 0, json.stderr);
  const r = JSON.parse(json.stdout);
  t.equal(r.totaal.meldingen, 7);
  t.same(r.perCorporatie.map((c: any) => c.cijfers.meldingen), [6, 0, '< 5'], 'small counts suppressed here too');
  t.equal(r.totaal.terugkoppeling.binnenTermijn, 7);

  const gemeente = await cli(['rapport', '--van', van, '--tot', tot, '--corporatie', '00000099000000000003', '--formaat', 'csv'], { env });
  t.equal(gemeente.code, 0, gemeente.stderr);
  t.match(gemeente.stdout, /^groep,sleutel,naam,cijfer,waarde\r\n/);
  t.match(gemeente.stdout, /\r\ntotaal,,,meldingen,< 5\r\n/);
  t.notMatch(gemeente.stdout, /corporatie,00000099000000000001,/, 'one corporation\'s scope');

  const fout = await cli(['rapport', '--van', tot, '--tot', van], { env });
  t.equal(fout.code, 2);
  t.match(fout.stderr, /--tot: ligt vóór van/);
  t.match((await cli(['rapport', '--van', van], { env })).stderr, /--tot ontbreekt/);
  t.match((await cli(['rapport', '--van', van, '--tot', tot, '--formaat', 'xml'], { env })).stderr, /--formaat: json of csv/);

  const dir = mkdtempSync(path.join(tmpdir(), 'sb-ddas-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const uit = path.join(dir, 'ddas.json');
  const d = await cli(['ddas', '--van', van, '--tot', tot, '--gemeentecode', '0392', '--uit', uit], { env });
  t.equal(d.code, 0, d.stderr);
  t.match(d.stdout, /7 vroegsignalen, 0 vroegsignaalzaken; geldig tegen het schema/);
  t.equal(statSync(uit).mode & 0o777, 0o600, 'tenants\' names: for the owner only');
  const doc = JSON.parse(readFileSync(uit, 'utf8'));
  t.match(doc, { startdatumLevering: van, einddatumLevering: tot, leveringen: [{ gemeentecode: '0392' }] });
  const nogEens = await cli(['ddas', '--van', van, '--tot', tot, '--gemeentecode', '0392', '--uit', uit], { env });
  t.equal(nogEens.code, 2);
  t.match(nogEens.stderr, /bestaat al/);
  t.match((await cli(['ddas', '--van', van, '--tot', tot, '--gemeentecode', '392'], { env })).stderr, /--gemeentecode: verplicht: de CBS-gemeentecode/);
});
