// The signaalbrug CLI as users run it: real child processes, real exit codes.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { stringify } from 'yaml';
import { Sleutelring } from '../src/store/sleutelring.js';
import { httpsVraag, testConfigDoc, testPki, voorbeeldMelding } from './helpers/build.js';
import { cli, cliProces } from './helpers/cli.js';
import { startRedis } from './helpers/redis.js';

t.test('termijn prints the deadline date', async (t) => {
  const cases: [string[], string][] = [
    [['2026-11-20T09:00:00Z'], '2026-11-27'],
    [['2026-11-20T23:30:00Z'], '2026-11-27'], // already Saturday in Amsterdam: counting starts Monday
    [['2026-04-01T10:00:00+02:00'], '2026-04-10'], // over Goede Vrijdag and Tweede Paasdag
    [['2026-12-24'], '2027-01-04'],
    [['2026-04-01T10:00:00+02:00', '28'], '2026-05-19'],
  ];
  for (const [args, verwacht] of cases) {
    const r = await cli(['termijn', ...args]);
    t.equal(r.code, 0, args.join(' '));
    t.equal(r.stdout.trim(), verwacht, args.join(' '));
  }
  for (const args of [['gisteren'], ['2026-02-30T10:00:00Z'], ['2026-11-20', '0'], ['2026-11-20', 'vijf'], []]) {
    const r = await cli(['termijn', ...args]);
    t.equal(r.code, 2, `refused: ${args.join(' ')}`);
    t.match(r.stderr, /^signaalbrug: /);
  }
});

t.test('certs --dev is idempotent; sleutels nieuw never overwrites', async (t) => {
  const dir = t.testdir();
  const eerste = await cli(['certs', '--dev', '--dir', path.join(dir, 'dev')]);
  t.equal(eerste.code, 0, eerste.stderr);
  t.match(eerste.stdout, /66 aangemaakt, 0 bestonden al/);
  const caKey = readFileSync(path.join(dir, 'dev/ca.key'));
  const tweede = await cli(['certs', '--dev', '--dir', path.join(dir, 'dev')]);
  t.match(tweede.stdout, /0 aangemaakt, 66 bestonden al/);
  t.same(readFileSync(path.join(dir, 'dev/ca.key')), caKey);
  t.equal((await cli(['certs'])).code, 2, 'only --dev');

  const ring = path.join(dir, 'keys/sleutels.json');
  t.equal((await cli(['sleutels', 'nieuw', ring])).code, 0);
  t.equal(statSync(ring).mode & 0o777, 0o600);
  const inhoud = readFileSync(ring, 'utf8');
  const opnieuw = await cli(['sleutels', 'nieuw', ring]);
  t.equal(opnieuw.code, 2);
  t.match(opnieuw.stderr, /bestaat al/);
  t.equal(readFileSync(ring, 'utf8'), inhoud);
});

t.test('serve refuses a bad config naming file and field, and an unknown role', async (t) => {
  const dir = t.testdir({ 'slecht.yaml': 'convenant: { naam: x }\norganisaties: []\n' });
  const r = await cli(['serve'], { env: { SIGNAALBRUG_CONFIG: path.join(dir, 'slecht.yaml') } });
  t.equal(r.code, 2);
  t.match(r.stderr, /slecht\.yaml: organisaties: /);
  t.match(r.stderr, /slecht\.yaml: tls: /);
  const geen = await cli(['serve'], { env: { SIGNAALBRUG_CONFIG: '' } });
  t.match(geen.stderr, /SIGNAALBRUG_CONFIG is niet gezet/);
  const rol = await cli(['serve', '--roles', 'api,kapot'], { env: { SIGNAALBRUG_CONFIG: path.join(dir, 'slecht.yaml') } });
  t.equal(rol.code, 2);
});

t.test('serve (all roles) runs, answers, logs JSON, and stops gracefully on SIGTERM', async (t) => {
  const pki = await testPki();
  const redis = await startRedis(t);
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-serve-'));
  const ring = path.join(dir, 'sleutels.json');
  writeFileSync(ring, Sleutelring.nieuw());
  writeFileSync(path.join(dir, 'config.yaml'), stringify(testConfigDoc(pki, redis.url, ring)));
  const p = cliProces(['serve'], { env: { SIGNAALBRUG_CONFIG: path.join(dir, 'config.yaml') } });
  t.teardown(() => p.kill('SIGKILL'));
  let stdout = '';
  const gestart = new Promise<Record<string, string>>((resolve, reject) => {
    p.stdout!.on('data', (d: Buffer) => {
      stdout += d;
      const regel = stdout.split('\n').find((l) => l.includes('signaalbrug gestart'));
      if (regel) resolve(JSON.parse(regel).adressen);
    });
    p.on('exit', (code) => reject(new Error(`exited ${code}: ${stdout}`)));
  });
  const adressen = await gestart;
  const port = Number(new URL(adressen.api!).port);
  const res = await httpsVraag({
    host: '127.0.0.1', port, method: 'POST', path: '/v1/meldingen', servername: 'localhost',
    ca: readFileSync(path.join(pki, 'ca.crt')), cert: readFileSync(path.join(pki, 'clients/elan-wonen.crt')), key: readFileSync(path.join(pki, 'clients/elan-wonen.key')),
    headers: { 'content-type': 'application/json' },
  }, JSON.stringify(voorbeeldMelding()));
  t.equal(res.status, 201);
  const exit = new Promise<number | null>((resolve) => p.on('exit', (code) => resolve(code)));
  p.kill('SIGTERM');
  t.equal(await exit, 0, 'clean exit');
  const regels = stdout.trim().split('\n');
  t.ok(regels.every((l) => { try { JSON.parse(l); return true; } catch { return false; } }), 'every log line is JSON');
  t.match(stdout, /signaalbrug gestopt/);
  t.match(stdout, /"rollen":\["api","portal","worker"\]/);
});

t.test('operator commands fail fast (exit 2) when Redis is not there', async (t) => {
  const { vrijePoort } = await import('./helpers/redis.js');
  const dir = t.testdir();
  const ring = path.join(dir, 'sleutels.json');
  writeFileSync(ring, Sleutelring.nieuw());
  writeFileSync(path.join(dir, 'config.yaml'), stringify(testConfigDoc(await testPki(), `redis://127.0.0.1:${await vrijePoort()}`, ring)));
  const r = await cli(['logboek'], { env: { SIGNAALBRUG_CONFIG: path.join(dir, 'config.yaml') } });
  t.equal(r.code, 2);
  // Fast by construction: the CLI waits a bounded time for Redis and says how long (no wall-clock
  // assertion, which a loaded machine would break).
  t.match(r.stderr, /^signaalbrug: Redis is niet bereikbaar op 127\.0\.0\.1:\d+ \(gewacht: 5 s\)/);
});
