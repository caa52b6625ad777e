// Dev PKI checked with the real tools that will consume it: openssl, gpg and Node's TLS stack.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';
import { DEV_CLIENTS, DEV_RECIPIENTS, DEV_SIGNERS, createDevPki } from '../../dev/dev-pki.js';
import { createCrl, rsaKeyFromPem } from '../../src/pki/forge-cert.js';

// Pinned a minute in the past, whole seconds, so validity dates can be compared exactly.
const now = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
const dir = t.testdir();
const first = await createDevPki(dir, { now });
const file = (rel: string) => join(dir, rel);
const read = (rel: string) => readFileSync(file(rel), 'utf8');

function run(cmd: string, args: string[]): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}
const openssl = (...args: string[]) => run('openssl', args);
const verifyClient = (name: string, crl = 'crl.pem') =>
  openssl('verify', '-CAfile', 'ca.crt', '-crl_check', '-CRLfile', crl, '-purpose', 'sslclient', `clients/${name}.crt`);

const CLIENT_NAMES = [...DEV_CLIENTS.map((c) => c.name), 'revoked', 'expired', 'untrusted'];
const MAIL_BASES = [...DEV_RECIPIENTS.map((r) => `recipients/${r.local}`), ...DEV_SIGNERS.map((s) => s.base)];
const KEY_FILES = [
  'ca.key',
  'server.key',
  ...CLIENT_NAMES.map((n) => `clients/${n}.key`),
  ...MAIL_BASES.flatMap((b) => [`${b}.key`, `${b}.sec.asc`]),
];

t.test('first run creates the whole layout of docs/contract.md', async (t) => {
  const expected = [
    'ca.crt',
    'crl.pem',
    'server.crt',
    'untrusted-ca.crt',
    ...KEY_FILES,
    ...CLIENT_NAMES.map((n) => `clients/${n}.crt`),
    ...MAIL_BASES.flatMap((b) => [`${b}.crt`, `${b}.pub.asc`]),
  ];
  t.same([...first.created].sort(), [...expected].sort());
  t.same(first.kept, []);
  for (const k of KEY_FILES) t.equal(statSync(file(k)).mode & 0o777, 0o600, `${k} is 0600`);
});

t.test('client certificates against the CA and CRL (openssl verify)', async (t) => {
  const cases = [
    ...DEV_CLIENTS.map((c) => ({ name: c.name, ok: true, error: '' })),
    { name: 'revoked', ok: false, error: 'certificate revoked' },
    { name: 'expired', ok: false, error: 'certificate has expired' },
    { name: 'untrusted', ok: false, error: 'unable to get local issuer certificate' },
  ];
  for (const c of cases) {
    const r = verifyClient(c.name);
    t.equal(r.ok, c.ok, `${c.name}: ${r.out.trim()}`);
    if (!c.ok) t.match(r.out, c.error, c.name);
  }
});

t.test('OIN in subject serialNumber, organisation in O', async (t) => {
  const cases = [
    ...DEV_CLIENTS,
    { name: 'revoked', oin: '00000099000000000001', org: 'Elan Wonen' },
    { name: 'expired', oin: '00000099000000000002', org: 'Pré Wonen' },
    { name: 'untrusted', oin: '00000099000000000003', org: 'Ymere' },
  ];
  for (const c of cases) {
    // -esc_msb off: print UTF-8 as is, so "Pré Wonen" is comparable.
    const r = openssl('x509', '-in', `clients/${c.name}.crt`, '-noout', '-subject', '-nameopt', 'RFC2253,-esc_msb');
    t.equal(r.out.trim(), `subject=serialNumber=${c.oin},CN=${c.name},O=${c.org}`);
  }
});

t.test('untrusted is issued by a different root', async (t) => {
  t.ok(openssl('verify', '-CAfile', 'untrusted-ca.crt', 'clients/untrusted.crt').ok);
  t.not(read('untrusted-ca.crt'), read('ca.crt'));
  t.match(openssl('x509', '-in', 'untrusted-ca.crt', '-noout', '-subject').out, 'CN = Signaalbrug Untrusted Root');
});

t.test('CRL is signed by the dev CA and lists only the revoked client', async (t) => {
  const ok = openssl('crl', '-in', 'crl.pem', '-CAfile', 'ca.crt', '-noout');
  t.ok(ok.ok);
  t.match(ok.out, 'verify OK');
  t.notOk(openssl('crl', '-in', 'crl.pem', '-CAfile', 'untrusted-ca.crt', '-noout').ok, 'other CA rejects it');
  const serial = openssl('x509', '-in', 'clients/revoked.crt', '-noout', '-serial').out.trim().replace('serial=', '');
  const text = openssl('crl', '-in', 'crl.pem', '-noout', '-text').out;
  t.equal(text.match(/Serial Number:/g)?.length, 1);
  t.match(text, `Serial Number: ${serial}`);
  const next = openssl('crl', '-in', 'crl.pem', '-noout', '-nextupdate').out.trim().replace('nextUpdate=', '');
  t.equal(new Date(next).getTime(), now.getTime() + 30 * 86_400_000, 'nextUpdate = now + 30 days');
});

t.test('validity follows opts.now', async (t) => {
  const end = (rel: string) =>
    new Date(openssl('x509', '-in', rel, '-noout', '-enddate').out.trim().replace('notAfter=', '')).getTime();
  t.equal(end('clients/expired.crt'), now.getTime() - 86_400_000);
  const inYears = (y: number) => new Date(now).setUTCFullYear(now.getUTCFullYear() + y);
  t.equal(end('server.crt'), inYears(2));
  t.equal(end('ca.crt'), inYears(10));
});

t.test('server certificate', async (t) => {
  const r = openssl('x509', '-in', 'server.crt', '-noout', '-ext', 'subjectAltName');
  t.match(r.out, 'DNS:localhost');
  t.match(r.out, 'IP Address:127.0.0.1');
  t.match(r.out, 'IP Address:0:0:0:0:0:0:0:1');
  t.ok(openssl('verify', '-CAfile', 'ca.crt', '-purpose', 'sslserver', 'server.crt').ok);
  t.notOk(openssl('verify', '-CAfile', 'ca.crt', '-purpose', 'sslserver', 'clients/elan-wonen.crt').ok, 'client is no server');
});

t.test('S/MIME certificates of recipients and signer', async (t) => {
  const cases = [...DEV_RECIPIENTS.map((r) => ({ base: `recipients/${r.local}`, email: `${r.mailbox}@${r.domein}` }))];
  cases.push({ base: 'signer', email: 'signaalbrug@haarlem.example' });
  for (const c of cases) {
    const r = openssl('x509', '-in', `${c.base}.crt`, '-noout', '-ext', 'subjectAltName,extendedKeyUsage');
    t.match(r.out, 'E-mail Protection', c.base);
    t.match(r.out, `email:${c.email}`, c.base);
    t.ok(openssl('verify', '-CAfile', 'ca.crt', '-purpose', 'smimeencrypt', `${c.base}.crt`).ok, c.base);
  }
  t.notOk(openssl('verify', '-CAfile', 'ca.crt', '-purpose', 'smimesign', 'server.crt').ok, 'server is no S/MIME cert');
});

t.test('OpenPGP keys import into gpg', async (t) => {
  const cases = [...DEV_RECIPIENTS.map((r) => ({ base: `recipients/${r.local}`, email: `${r.mailbox}@${r.domein}` }))];
  cases.push({ base: 'signer', email: 'signaalbrug@haarlem.example' });
  for (const c of cases) {
    // Short home outside the fixture dir: gpg-agent's socket path has a length limit.
    const home = mkdtempSync(join(tmpdir(), 'gpg-'));
    t.teardown(() => {
      run('gpgconf', ['--homedir', home, '--kill', 'gpg-agent']);
      rmSync(home, { recursive: true, force: true });
    });
    const gpg = (...args: string[]) => run('gpg', ['--homedir', home, '--batch', ...args]);
    t.ok(gpg('--import', file(`${c.base}.sec.asc`)).ok, `${c.base} secret imports`);
    const secret = gpg('--list-secret-keys', '--with-colons').out;
    t.match(secret, `<${c.email}>`);
    const pubHome = mkdtempSync(join(tmpdir(), 'gpg-'));
    t.teardown(() => rmSync(pubHome, { recursive: true, force: true }));
    t.ok(run('gpg', ['--homedir', pubHome, '--batch', '--import', file(`${c.base}.pub.asc`)]).ok);
    const fpr = (out: string) => out.match(/^fpr:+([0-9A-F]+):/m)?.[1];
    const pubList = run('gpg', ['--homedir', pubHome, '--batch', '--list-keys', '--with-colons']).out;
    t.equal(fpr(pubList), fpr(secret), `${c.base} public key matches secret key`);
  }
});

interface Handshake {
  /** The client got the server's reply. */
  ok: boolean;
  authorized?: boolean;
  authorizationError?: string;
  subject?: tls.Certificate;
}

// With rejectUnauthorized the server drops a bad client without saying why; running the same
// handshake with it off exposes Node's reason (socket.authorizationError) for the assertion.
async function handshake(crl: string, client: string, rejectUnauthorized = true): Promise<Handshake> {
  const result: Handshake = { ok: false };
  const server = tls.createServer({
    key: read('server.key'),
    cert: read('server.crt'),
    ca: read('ca.crt'),
    crl: readFileSync(crl),
    requestCert: true,
    rejectUnauthorized,
  });
  server.on('secureConnection', (socket) => {
    result.authorized = socket.authorized;
    result.authorizationError = socket.authorizationError?.toString();
    result.subject = socket.getPeerCertificate().subject;
    socket.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    result.ok = await new Promise<boolean>((resolve) => {
      let data = '';
      const socket = tls.connect({
        host: '127.0.0.1',
        port,
        ca: read('ca.crt'),
        key: read(`clients/${client}.key`),
        cert: read(`clients/${client}.crt`),
      });
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => (data += d));
      socket.on('error', () => {}); // the outcome is read from 'close'
      socket.on('close', () => resolve(data === 'ok'));
      socket.setTimeout(5000, () => socket.destroy());
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  return result;
}

t.test('mutual TLS with Node: CRL enforced, OIN visible', async (t) => {
  const ok = await handshake(file('crl.pem'), 'elan-wonen');
  t.ok(ok.ok && ok.authorized, 'elan-wonen is accepted');
  t.equal(ok.subject?.serialNumber, '00000099000000000001', 'Node exposes the OIN as subject.serialNumber');
  t.equal(ok.subject?.O, 'Elan Wonen');

  const rejected = [
    { client: 'revoked', reason: 'CERT_REVOKED' },
    { client: 'expired', reason: 'CERT_HAS_EXPIRED' },
    { client: 'untrusted', reason: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' },
  ];
  for (const c of rejected) {
    const r = await handshake(file('crl.pem'), c.client);
    t.notOk(r.ok, `${c.client} is rejected`);
    t.equal(r.subject, undefined, `${c.client} never reaches the application`);
    const why = await handshake(file('crl.pem'), c.client, false);
    t.equal(why.authorizationError, c.reason, `${c.client}: ${c.reason}`);
  }
});

t.test('createCrl: empty list and expired CRL', async (t) => {
  const ca = { cert: forge.pki.certificateFromPem(read('ca.crt')), key: rsaKeyFromPem(read('ca.key')).forgePrivateKey };
  const day = 86_400_000;
  const crlDir = t.testdir();
  const empty = join(crlDir, 'empty.pem');
  writeFileSync(
    empty,
    createCrl({ issuerCert: ca.cert, issuerKey: ca.key, revoked: [], thisUpdate: now, nextUpdate: new Date(+now + day), crlNumber: 7 }),
  );
  t.ok(openssl('crl', '-in', empty, '-CAfile', 'ca.crt', '-noout').ok, 'empty CRL verifies');
  t.match(openssl('crl', '-in', empty, '-noout', '-text').out, 'No Revoked Certificates');
  t.ok(verifyClient('revoked', empty).ok, 'revoked passes a CRL that does not list it');
  t.ok((await handshake(empty, 'elan-wonen')).ok, 'TLS accepts the empty CRL');

  const stale = join(crlDir, 'stale.pem');
  writeFileSync(
    stale,
    createCrl({ issuerCert: ca.cert, issuerKey: ca.key, revoked: [], thisUpdate: new Date(+now - 31 * day), nextUpdate: new Date(+now - day) }),
  );
  const r = verifyClient('elan-wonen', stale);
  t.notOk(r.ok);
  t.match(r.out, 'CRL has expired');
  const h = await handshake(stale, 'elan-wonen');
  t.notOk(h.ok, 'TLS fails closed on a CRL past nextUpdate');
  t.equal((await handshake(stale, 'elan-wonen', false)).authorizationError, 'CRL_HAS_EXPIRED');
});

t.test('idempotent: second run keeps every file byte for byte', async (t) => {
  const before = new Map(first.created.map((f) => [f, read(f)]));
  const again = await createDevPki(dir, { now });
  t.same(again.created, []);
  t.same([...again.kept].sort(), [...first.created].sort());
  for (const [f, bytes] of before) t.equal(read(f), bytes, `${f} unchanged`);
});

t.test('only missing files are recreated', async (t) => {
  const snapshot = () => new Map(first.created.map((f) => [f, read(f)]));
  const changedSince = (before: Map<string, string>) => [...before].filter(([f, b]) => read(f) !== b).map(([f]) => f).sort();

  t.test('a deleted client pair', async (t) => {
    const before = snapshot();
    unlinkSync(file('clients/ymere.key'));
    unlinkSync(file('clients/ymere.crt'));
    const r = await createDevPki(dir, { now });
    t.same([...r.created].sort(), ['clients/ymere.crt', 'clients/ymere.key']);
    t.same(changedSince(before), ['clients/ymere.crt', 'clients/ymere.key']);
    t.ok(verifyClient('ymere').ok);
  });

  t.test('a deleted public PGP key is rebuilt from the secret key', async (t) => {
    const before = snapshot();
    unlinkSync(file('recipients/wijkteam-oost.pub.asc'));
    const r = await createDevPki(dir, { now });
    t.same(r.created, ['recipients/wijkteam-oost.pub.asc']);
    t.same(changedSince(before).filter((f) => f !== 'recipients/wijkteam-oost.pub.asc'), []);
  });

  t.test('a deleted CA certificate is reissued for the same key; leaves stay valid', async (t) => {
    const before = snapshot();
    unlinkSync(file('ca.crt'));
    const r = await createDevPki(dir, { now });
    t.same(r.created, ['ca.crt']);
    t.equal(read('ca.key'), before.get('ca.key'));
    t.ok(verifyClient('elan-wonen').ok);
  });

  t.test('a new revoked key gets a new certificate and a new CRL', async (t) => {
    const oldSerial = openssl('x509', '-in', 'clients/revoked.crt', '-noout', '-serial').out;
    unlinkSync(file('clients/revoked.key'));
    const r = await createDevPki(dir, { now });
    t.same([...r.created].sort(), ['clients/revoked.crt', 'clients/revoked.key', 'crl.pem']);
    t.not(openssl('x509', '-in', 'clients/revoked.crt', '-noout', '-serial').out, oldSerial);
    t.match(verifyClient('revoked').out, 'certificate revoked');
    t.ok(verifyClient('elan-wonen').ok);
  });

  t.test('a missing untrusted CA means a new throwaway root and leaf certificate', async (t) => {
    const key = read('clients/untrusted.key');
    unlinkSync(file('untrusted-ca.crt'));
    const r = await createDevPki(dir, { now });
    t.same([...r.created].sort(), ['clients/untrusted.crt', 'untrusted-ca.crt']);
    t.equal(read('clients/untrusted.key'), key);
    t.ok(openssl('verify', '-CAfile', 'untrusted-ca.crt', 'clients/untrusted.crt').ok);
  });
});
