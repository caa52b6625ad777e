// The live OpenAPI document against the official NL API Design Rules linter (Logius's Spectral
// ruleset, vendored in test/adr/), and the public copy of it on the portal (/core/publish-openapi).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { FOUTCODES, probleemType, type Foutcode } from '../../src/errors.js';
import { build, httpsVraag } from '../helpers/build.js';
import { ROOT } from '../helpers/root.js';

interface Bevinding {
  code: string;
  message: string;
  path: string[];
  severity: number; // Spectral: 0 error, 1 warn, 2 info, 3 hint
}

/** `spectral lint` with the vendored ruleset, offline; its JSON report. */
async function lint(document: unknown): Promise<Bevinding[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-adr-'));
  try {
    const doc = path.join(dir, 'openapi.json');
    const uit = path.join(dir, 'uitslag.json');
    writeFileSync(doc, JSON.stringify(document));
    const cli = path.join(ROOT, 'node_modules', '@stoplight', 'spectral-cli', 'dist', 'index.js');
    const args = [cli, 'lint', '--quiet', '--format', 'json', '--output', uit, '--ruleset', path.join(ROOT, 'test', 'adr', 'linter.yaml'), doc];
    // Exit code 1 means "errors found": the report says which, so only a missing report is a failure.
    const fout = await new Promise<Error | null>((resolve) => execFile(process.execPath, args, { timeout: 120_000 }, (err) => resolve(err)));
    let tekst: string;
    try {
      tekst = readFileSync(uit, 'utf8');
    } catch {
      throw new Error(`spectral gaf geen rapport: ${fout?.message ?? 'onbekend'}`);
    }
    return JSON.parse(tekst) as Bevinding[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

t.test('the live /v1/openapi.json passes the official ADR linter: no errors', async (t) => {
  const app = await build(t);
  const doc = await app.vraag('elan-wonen', 'GET', '/v1/openapi.json');
  t.equal(doc.status, 200);
  const bevindingen = await lint(doc.body);
  const fouten = bevindingen.filter((b) => b.severity === 0);
  t.comment(`ADR linter: ${fouten.length} errors, ${bevindingen.filter((b) => b.severity === 1).length} warnings`);
  t.same(fouten.map((b) => `${b.code} at ${b.path.join('.')}: ${b.message}`), [], 'no ADR errors');

  // The linter runs for real: a document that breaks a rule is reported.
  const kapot = { ...doc.body, servers: [{ url: '/' }] };
  t.match((await lint(kapot)).map((b) => b.code), ['nlgov:include-major-version-in-uri'], 'the linter finds a broken rule');

  // Paths are relative to the server URL that carries the major version.
  t.match(doc.body.servers[0].url, /\/v1$/);
  t.ok(doc.body.paths['/meldingen/{id}'], 'paths without /v1');
  t.match(doc.body.info.contact, { name: String, email: app.config.afzender.mailbox, url: /^https:\/\// });
});

t.test('the same document is public on the portal, with CORS for that document only', async (t) => {
  const app = await build(t, { rollen: ['api', 'portal'] });
  const ca = readFileSync(path.join(app.pki, 'ca.crt'));
  const portaal = (pad: string, headers: Record<string, string> = {}) =>
    httpsVraag({ host: '127.0.0.1', port: app.portalPort, method: 'GET', path: pad, ca, servername: 'localhost', headers });

  const publiek = await portaal('/v1/openapi.json', { origin: 'https://ontwikkelaar.example' });
  t.equal(publiek.status, 200, 'no client certificate needed');
  t.equal(publiek.headers['access-control-allow-origin'], '*');
  t.match(publiek.headers['content-type'], /^application\/json/);
  t.equal(publiek.headers['api-version'], '1.0.0');
  t.equal(publiek.headers['cross-origin-resource-policy'], 'cross-origin');
  const mtls = await app.vraag('elan-wonen', 'GET', '/v1/openapi.json');
  t.same(publiek.body, mtls.body, 'the same document as over mutual TLS');
  t.notOk(mtls.headers['access-control-allow-origin'], 'the mTLS copy has no CORS');

  for (const pad of ['/portaal.css', '/b/onbekend-token', '/v1/meldingen', '/v1/openapi.jsonx']) {
    const r = await portaal(pad, { origin: 'https://ontwikkelaar.example' });
    t.notOk(r.headers['access-control-allow-origin'], `${pad}: no CORS header (${r.status})`);
    t.equal(r.headers['cross-origin-resource-policy'], 'same-origin', `${pad}: same-origin only`);
  }
});

t.test('every problem type is documented in the README and in the document', async (t) => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const app = await build(t);
  const doc = (await app.vraag('elan-wonen', 'GET', '/v1/openapi.json')).body;
  for (const code of Object.keys(FOUTCODES) as Foutcode[]) {
    const type = probleemType(code);
    t.ok(readme.includes(`| \`${type.replace('urn:signaalbrug:probleem:', '')}\` | ${FOUTCODES[code].status} |`), `README: ${type}`);
    t.ok(doc.components.schemas.Probleem.properties.type.enum.includes(type), `OpenAPI: ${type}`);
  }
});
