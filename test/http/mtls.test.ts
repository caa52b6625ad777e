// Every certificate case of the contract (docs/contract.md) over a real TLS handshake, the Digikoppeling TLS profile,
// and CRL reload without restart (an expired CRL fails closed).
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import t from 'tap';
import { createCrl, rsaKeyFromPem } from '../../src/pki/forge-cert.js';
import { build, httpsVraag, testPki, voorbeeldMelding } from '../helpers/build.js';

const weigering = /socket hang up|ECONNRESET|certificate|alert|EPIPE|unknown ca|handshake/i;

t.test('certificate cases: refused at the handshake, or 403 for an unknown OIN', async (t) => {
  const app = await build(t);
  t.equal((await app.vraag('elan-wonen', 'POST', '/v1/meldingen', voorbeeldMelding())).status, 201, 'a corporation with a valid certificate');
  for (const naam of ['revoked', 'expired', 'untrusted', null]) {
    const verzoekenVoor = (app.logs().match(/incoming request/g) ?? []).length;
    await t.rejects(app.vraag(naam, 'POST', '/v1/meldingen', voorbeeldMelding()), weigering, `${naam ?? 'no certificate'}: refused`);
    // Refused at the handshake: no HTTP request reached the application, and the server lives on.
    t.equal((app.logs().match(/incoming request/g) ?? []).length, verzoekenVoor, `${naam ?? 'no certificate'}: no request reached the API`);
    t.equal((await app.vraag('elan-wonen', 'GET', '/v1/openapi.json')).status, 200, `${naam ?? 'no certificate'}: the server still serves`);
  }
  const onbekend = await app.vraag('onbekend', 'POST', '/v1/meldingen', voorbeeldMelding());
  t.equal(onbekend.status, 403);
  t.match(onbekend.headers['content-type'], /^application\/problem\+json/);
  t.match(onbekend.body, { status: 403, title: 'Onbekende organisatie', detail: /00000099000000000099/ });
  t.equal((await app.vraag('onbekend', 'GET', '/v1/meldingen/5f0c2b1e-0000-4000-8000-000000000000')).status, 403);
});

t.test('TLS profile: 1.2 and 1.3 only, forward-secret AEAD suites only', async (t) => {
  const app = await build(t);
  const pki = app.pki;
  const basis = {
    host: '127.0.0.1', port: app.apiPort, path: '/v1/openapi.json', method: 'GET', servername: 'localhost',
    ca: readFileSync(path.join(pki, 'ca.crt')),
    cert: readFileSync(path.join(pki, 'clients/elan-wonen.crt')), key: readFileSync(path.join(pki, 'clients/elan-wonen.key')),
  };
  t.equal((await httpsVraag({ ...basis, minVersion: 'TLSv1.3' })).status, 200, 'TLS 1.3');
  t.equal((await httpsVraag({ ...basis, maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' })).status, 200, 'TLS 1.2 ECDHE-GCM');
  t.equal((await httpsVraag({ ...basis, maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-CHACHA20-POLY1305' })).status, 200, 'TLS 1.2 ChaCha20-Poly1305');
  for (const ciphers of ['AES128-GCM-SHA256', 'ECDHE-RSA-AES128-SHA256', 'ECDHE-RSA-AES256-SHA', 'DHE-RSA-AES128-SHA']) {
    await t.rejects(httpsVraag({ ...basis, maxVersion: 'TLSv1.2', ciphers }), /handshake|cipher|alert|ECONNRESET/i, `${ciphers} refused`);
  }
  await t.rejects(httpsVraag({ ...basis, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' }), /version|protocol|alert|ECONNRESET/i, 'TLS 1.1 refused');
});

t.test('CRL reloaded without restart; an expired CRL fails closed', async (t) => {
  const pki = await testPki();
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-crl-'));
  const crlPad = path.join(dir, 'crl.pem');
  copyFileSync(path.join(pki, 'crl.pem'), crlPad);
  const app = await build(t, { configAanpassen: (doc) => (doc.tls.crl = [crlPad]) });
  const ca = forge.pki.certificateFromPem(readFileSync(path.join(pki, 'ca.crt'), 'utf8'));
  const caKey = rsaKeyFromPem(readFileSync(path.join(pki, 'ca.key'), 'utf8')).forgePrivateKey;
  const serial = (naam: string) => forge.pki.certificateFromPem(readFileSync(path.join(pki, 'clients', `${naam}.crt`), 'utf8')).serialNumber;
  const nu = Date.now();
  const schrijfCrl = (revoked: string[], nextUpdate: Date) =>
    writeFileSync(crlPad, createCrl({
      issuerCert: ca, issuerKey: caKey, thisUpdate: new Date(nu - 60_000), nextUpdate,
      revoked: revoked.map((s) => ({ serial: s, revokedAt: new Date(nu - 30_000) })),
    }));
  const ops = async () => (await fetch(`http://127.0.0.1:${app.opsPort}/health/ready`)).status;

  t.equal((await app.vraag('pre-wonen', 'GET', '/v1/openapi.json')).status, 200, 'pre-wonen accepted');
  t.equal(await ops(), 200);

  schrijfCrl([serial('revoked'), serial('pre-wonen')], new Date(nu + 3_600_000));
  t.ok(app.draaiend.tls!.herlaad(app.draaiend.api!.server as never), 'reload succeeds');
  await t.rejects(app.vraag('pre-wonen', 'GET', '/v1/openapi.json'), weigering, 'newly revoked certificate refused after reload');
  t.equal((await app.vraag('elan-wonen', 'GET', '/v1/openapi.json')).status, 200, 'others still accepted');

  writeFileSync(crlPad, 'geen crl');
  t.notOk(app.draaiend.tls!.herlaad(app.draaiend.api!.server as never), 'a broken CRL file is not swapped in');
  t.equal((await app.vraag('elan-wonen', 'GET', '/v1/openapi.json')).status, 200, 'the previous CRL stays in force');

  schrijfCrl([serial('revoked')], new Date(nu - 1000));
  t.ok(app.draaiend.tls!.herlaad(app.draaiend.api!.server as never));
  await t.rejects(app.vraag('elan-wonen', 'GET', '/v1/openapi.json'), weigering, 'expired CRL: every client refused');
  t.equal(await ops(), 503, 'not ready with an expired CRL');
  t.match(app.logs(), /CRL is verlopen/);
});
