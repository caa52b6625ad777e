// S/MIME channel against the real openssl: decrypt, verify, inspect the CMS, and every refusal forced.
import t from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { KanaalFout, type Adressering, type Inhoud, type Kanaalfoutcode } from '../../adapters/kanaal.js';
import { controleerOntvangerCertificaat, smime, type SmimeOpties } from '../../adapters/smime/index.js';
import { createDevPki } from '../../dev/dev-pki.js';
import { createCrl, generateRsaKey, issueCertificate, rsaKeyFromPem, type CertKind, type SmimeCapabiliteit } from '../../src/pki/forge-cert.js';
import { openGpgsm, openSmime } from '../helpers/mail.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sb-smime-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
await createDevPki(dir);
const file = (rel: string) => path.join(dir, rel);
const read = (rel: string) => readFileSync(file(rel), 'utf8');

const DAY = 86_400_000;
const CANARY = 'Canarius Zwartjes';
const inhoud: Inhoud = {
  onderwerp: `Melding ELAN-2026-000123 huurachterstand ${CANARY}`,
  tekst: `Beste wijkteam,\n\n${CANARY}, Kleine Houtstraat 12A, 2011DE Haarlem, heeft een huurachterstand.\n`,
  html: `<p>${CANARY}, Kleine Houtstraat 12A</p>`,
};
const GEHEIM = [CANARY, 'Zwartjes', 'ELAN-2026', 'huurachterstand', 'Kleine Houtstraat', '2011DE'];
const adressering: Adressering = {
  van: { naam: 'Signaalbrug', adres: 'signaalbrug@haarlem.example' },
  aan: { naam: 'Sociaal Wijkteam Noord', adres: 'wijkteam-noord@haarlem.example' },
  messageId: '<x4kq7m2vd9w3hf6tzb5nc8ry1ej0lsgp@signaalbrug>',
  datum: new Date('2026-11-23T09:30:00Z'),
  buitenOnderwerp: 'Nieuw bericht van Signaalbrug',
};

function opties(over: Partial<SmimeOpties> = {}): SmimeOpties {
  return {
    ontvangerCertificaat: read('recipients/wijkteam-noord.crt'),
    afzenderCertificaat: read('signer.crt'),
    afzenderSleutel: read('signer.key'),
    ca: [read('ca.crt')],
    crl: [read('crl.pem')],
    ...over,
  };
}

function openssl(...args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

let volgnummer = 0;
/** Writes the message, decrypts it as wijkteam-noord and verifies the signed entity against ca.crt. */
function ontsleutelEnVerifieer(eml: Buffer): { print: string; geverifieerd: string; getekendPrint: string } {
  const n = ++volgnummer;
  writeFileSync(file(`msg${n}.eml`), eml);
  execFileSync('openssl', ['cms', '-decrypt', '-in', `msg${n}.eml`, '-recip', 'recipients/wijkteam-noord.crt',
    '-inkey', 'recipients/wijkteam-noord.key', '-out', `dec${n}.eml`], { cwd: dir, stdio: 'pipe' });
  execFileSync('openssl', ['cms', '-verify', '-in', `dec${n}.eml`, '-CAfile', 'ca.crt', '-out', `ver${n}.eml`], {
    cwd: dir,
    stdio: 'pipe',
  });
  return {
    print: execFileSync('openssl', ['cms', '-cmsout', '-print', '-in', `msg${n}.eml`], { cwd: dir, encoding: 'utf8' }),
    geverifieerd: read(`ver${n}.eml`),
    getekendPrint: execFileSync('openssl', ['cms', '-cmsout', '-print', '-in', `dec${n}.eml`], { cwd: dir, encoding: 'utf8' }),
  };
}

const varianten = [
  { naam: 'default: RSA PKCS#1 v1.5 + AES-256-CBC', over: {}, kt: 'rsaEncryption (1.2.840.113549.1.1.1)',
    alg: 'aes-256-cbc (2.16.840.1.101.3.4.1.42)', type: 'pkcs7-envelopedData', smimeType: 'enveloped-data' },
  { naam: 'rsa-oaep (SHA-256) + AES-256-CBC', over: { keyTransport: 'rsa-oaep' as const }, kt: 'rsaesOaep (1.2.840.113549.1.1.7)',
    alg: 'aes-256-cbc (2.16.840.1.101.3.4.1.42)', type: 'pkcs7-envelopedData', smimeType: 'enveloped-data' },
  { naam: 'OAEP + AES-256-GCM (AuthEnvelopedData)', over: { keyTransport: 'rsa-oaep' as const, inhoud: 'aes-256-gcm' as const },
    kt: 'rsaesOaep (1.2.840.113549.1.1.7)', alg: 'aes-256-gcm (2.16.840.1.101.3.4.1.46)', type: 'id-smime-ct-authEnvelopedData',
    smimeType: 'authEnveloped-data' },
  { naam: 'rsa-pkcs1 + AES-256-GCM', over: { inhoud: 'aes-256-gcm' as const }, kt: 'rsaEncryption (1.2.840.113549.1.1.1)',
    alg: 'aes-256-gcm (2.16.840.1.101.3.4.1.46)', type: 'id-smime-ct-authEnvelopedData', smimeType: 'authEnveloped-data' },
];

for (const v of varianten) {
  t.test(`${v.naam}: openssl decrypts and verifies`, async (t) => {
    const eml = await smime.bouw(inhoud, adressering, opties(v.over));
    const { print, geverifieerd, getekendPrint } = ontsleutelEnVerifieer(eml);
    t.match(print, `contentType: ${v.type}`);
    t.match(print, `algorithm: ${v.kt}`);
    t.match(print, `algorithm: ${v.alg}`);
    if (v.kt.startsWith('rsaesOaep')) {
      // RFC 4055 4.1 parameters: hashFunc sha256 [0], maskGenFunc mgf1 with sha256 [1]
      t.match(print, /cont \[ 0 \][\s\S]*OBJECT\s+:sha256[\s\S]*cont \[ 1 \][\s\S]*:mgf1[\s\S]*:sha256/);
    }
    t.match(eml.toString(), `smime-type=${v.smimeType}`);
    t.match(geverifieerd, `Subject: ${inhoud.onderwerp}`, 'real subject inside, as a protected header');
    t.match(geverifieerd, /protected-headers="v1"/);
    const zonderZachteEinden = geverifieerd.replace(/=\r\n/g, ''); // RFC 2045 6.7 soft line breaks
    t.match(zonderZachteEinden, `${CANARY}, Kleine Houtstraat 12A, 2011DE Haarlem, heeft een huurachterstand.`);
    t.match(zonderZachteEinden, `<p>${CANARY}, Kleine Houtstraat 12A</p>`);
    // RFC 8551 2.5: SHA-256, signed attributes, signer certificate carried along
    t.match(getekendPrint, 'contentType: pkcs7-signedData');
    t.match(getekendPrint, /digestAlgorithm:\s+algorithm: sha256/);
    for (const attr of ['contentType', 'signingTime', 'messageDigest', 'S/MIME Capabilities']) {
      t.match(getekendPrint, `object: ${attr} (`, `signed attribute ${attr}`);
    }
    t.match(getekendPrint, /subject: O=Signaalbrug Dev, CN=Signaalbrug/);
  });
}

t.test('another recipient cannot decrypt', async (t) => {
  const eml = await smime.bouw(inhoud, adressering, opties());
  writeFileSync(file('ander.eml'), eml);
  const metRecip = openssl('cms', '-decrypt', '-in', 'ander.eml', '-recip', 'recipients/wijkteam-zuid.crt',
    '-inkey', 'recipients/wijkteam-zuid.key');
  t.notOk(metRecip.ok, 'zuid certificate is not among the recipients');
  t.notMatch(metRecip.out, CANARY);
  const alleenSleutel = openssl('cms', '-decrypt', '-in', 'ander.eml', '-inkey', 'recipients/wijkteam-zuid.key');
  t.notOk(alleenSleutel.ok, 'zuid key does not open the key transport');
  t.notMatch(alleenSleutel.out, CANARY);
});

t.test('outer message: neutral headers only, CRLF, nothing of the content', async (t) => {
  for (const over of [{}, { keyTransport: 'rsa-oaep' as const }, { inhoud: 'aes-256-gcm' as const }]) {
    const eml = await smime.bouw(inhoud, adressering, opties(over));
    const tekst = eml.toString('latin1');
    const [koppen = '', body = ''] = tekst.split('\r\n\r\n');
    for (const woord of GEHEIM) {
      t.notOk(tekst.toLowerCase().includes(woord.toLowerCase()), `raw .eml has no "${woord}"`);
      const der = Buffer.from(body.replace(/\s/g, ''), 'base64').toString('latin1');
      t.notOk(der.includes(woord), `CMS bytes have no "${woord}"`);
    }
    t.notMatch(tekst, /[^\r]\n/, 'every line ends in CRLF');
    t.match(koppen, /^From: Signaalbrug <signaalbrug@haarlem\.example>\r\n/);
    t.match(koppen, /\r\nTo: Sociaal Wijkteam Noord <wijkteam-noord@haarlem\.example>\r\n/);
    t.match(koppen, /\r\nSubject: Nieuw bericht van Signaalbrug\r\n/);
    t.match(koppen, /\r\nDate: Mon, 23 Nov 2026 09:30:00 \+0000\r\n/);
    t.match(koppen, /\r\nMessage-ID: <x4kq7m2vd9w3hf6tzb5nc8ry1ej0lsgp@signaalbrug>\r\n/);
    t.match(koppen, /\r\nAuto-Submitted: auto-generated\r\n/, 'RFC 3834: robots do not answer it');
    t.match(koppen, /\r\nMIME-Version: 1\.0\r\n/);
    t.match(koppen, /Content-Type: application\/pkcs7-mime;\s+smime-type=(auth)?[eE]nveloped-data;\s+name="smime\.p7m"/);
    t.match(koppen, /Content-Disposition: attachment;\s+filename="smime\.p7m"/);
    t.match(koppen, /Content-Transfer-Encoding: base64/);
    t.equal(koppen.match(/^Subject:/gm)?.length, 1, 'one Subject header');
  }
});

t.test('non-ASCII in outer headers is RFC 2047 encoded; header injection is refused', async (t) => {
  const eml = await smime.bouw(inhoud, {
    ...adressering,
    van: { naam: 'Signaalbrug, "Haarlem"', adres: 'signaalbrug@haarlem.example' },
    aan: { naam: 'Wijkteam Zuid-Oost é', adres: 'wijkteam-noord@haarlem.example' },
    buitenOnderwerp: 'Bericht voor het wijkteam – vertrouwelijk',
    messageId: 'zonder-haken@signaalbrug',
  }, opties());
  const koppen = eml.toString('latin1').split('\r\n\r\n')[0]!;
  t.match(koppen, 'Subject: Bericht voor het wijkteam =?UTF-8?Q?=E2=80=93?= vertrouwelijk');
  t.match(koppen, 'From: "Signaalbrug, \\"Haarlem\\"" <signaalbrug@haarlem.example>');
  t.match(koppen, 'To: =?UTF-8?Q?Wijkteam_Zuid-Oost_=C3=A9?= <wijkteam-noord@haarlem.example>');
  t.match(koppen, 'Message-ID: <zonder-haken@signaalbrug>');
  // eslint-disable-next-line no-control-regex
  t.notOk(/[^\x00-\x7f]/.test(koppen), 'headers are 7-bit');
  const kapot: Partial<Adressering>[] = [
    { buitenOnderwerp: 'x\r\nBcc: iedereen@example.org' },
    { aan: { naam: 'X', adres: 'a@b.example>\r\nBcc: c@d.example' } },
    { aan: { naam: 'X', adres: 'geen-adres' } },
    { van: { naam: 'X\nY', adres: 'a@b.example' } },
    { messageId: '<a b@c>' },
  ];
  for (const k of kapot) {
    await t.rejects(smime.bouw(inhoud, { ...adressering, ...k }, opties()), TypeError, JSON.stringify(k));
  }
});

// ---- refusals, each forced ----

const caKey = rsaKeyFromPem(read('ca.key'));
const caCert = forge.pki.certificateFromPem(read('ca.crt'));
const devCa = { cert: caCert, key: caKey.forgePrivateKey };
const now = Date.now();

function ontvanger(over: { notBefore?: Date; notAfter?: Date; kind?: CertKind; bits?: number; issuer?: typeof devCa; serial?: string } = {}) {
  const key = generateRsaKey(over.bits ?? 2048);
  return issueCertificate({
    kind: over.kind ?? 'smime',
    subject: { CN: 'Test Ontvanger', O: 'Gemeente Haarlem', emailAddress: 'wijkteam-noord@haarlem.example' },
    emails: ['wijkteam-noord@haarlem.example'],
    publicKey: key.forgePublicKey,
    issuer: over.issuer ?? devCa,
    notBefore: over.notBefore ?? new Date(now - DAY),
    notAfter: over.notAfter ?? new Date(now + 365 * DAY),
    ...(over.serial ? { serial: over.serial } : {}),
  }).pem;
}

const vreemdeCaKey = generateRsaKey();
const vreemdeCa = issueCertificate({
  kind: 'ca',
  subject: { CN: 'Signaalbrug Dev Root', O: 'Signaalbrug Dev' }, // same name, other key: must not pass
  publicKey: vreemdeCaKey.forgePublicKey,
  signingKey: vreemdeCaKey.forgePrivateKey,
  notBefore: new Date(now - DAY),
  notAfter: new Date(now + 365 * DAY),
});
const crl = (o: { revoked?: string[]; thisUpdate?: Date; nextUpdate?: Date; key?: forge.pki.rsa.PrivateKey }) =>
  createCrl({
    issuerCert: caCert,
    issuerKey: o.key ?? caKey.forgePrivateKey,
    revoked: (o.revoked ?? []).map((serial) => ({ serial, revokedAt: new Date(now - DAY) })),
    thisUpdate: o.thisUpdate ?? new Date(now - DAY),
    nextUpdate: o.nextUpdate ?? new Date(now + 7 * DAY),
  });

// An EC certificate from the dev CA, made with the real openssl: forge cannot make EC keys.
execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ec.key',
  '-subj', '/CN=EC Ontvanger', '-out', 'ec.csr'], { cwd: dir, stdio: 'pipe' });
writeFileSync(file('ec.ext'), 'keyUsage=critical,digitalSignature,keyAgreement\nextendedKeyUsage=emailProtection\n');
execFileSync('openssl', ['x509', '-req', '-in', 'ec.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
  '-days', '30', '-extfile', 'ec.ext', '-out', 'ec.crt'], { cwd: dir, stdio: 'pipe' });

const ingetrokken = ontvanger({ serial: '7a11c0ffee' });
const gevallen: { naam: string; over: Partial<SmimeOpties>; code: Kanaalfoutcode; detail?: RegExp }[] = [
  { naam: 'missing certificate', over: { ontvangerCertificaat: '' }, code: 'SB_SLEUTEL_ONTBREEKT' },
  { naam: 'not PEM at all', over: { ontvangerCertificaat: 'geen certificaat' }, code: 'SB_SLEUTEL_ONTBREEKT' },
  { naam: 'garbage inside PEM armour',
    over: { ontvangerCertificaat: '-----BEGIN CERTIFICATE-----\nAAAAAAAA\n-----END CERTIFICATE-----\n' }, code: 'SB_SLEUTEL_ONTBREEKT' },
  { naam: 'expired', over: { ontvangerCertificaat: ontvanger({ notBefore: new Date(now - 400 * DAY), notAfter: new Date(now - DAY) }) },
    code: 'SB_SLEUTEL_VERLOPEN' },
  { naam: 'not yet valid', over: { ontvangerCertificaat: ontvanger({ notBefore: new Date(now + DAY) }) }, code: 'SB_SLEUTEL_VERLOPEN' },
  { naam: 'expired at opties.nu', over: { nu: new Date(now + 1000 * DAY) }, code: 'SB_SLEUTEL_VERLOPEN' },
  { naam: 'untrusted CA with the same name',
    over: { ontvangerCertificaat: ontvanger({ issuer: { cert: vreemdeCa.cert, key: vreemdeCaKey.forgePrivateKey } }) },
    code: 'SB_SLEUTEL_ONBETROUWD' },
  { naam: 'no CA configured', over: { ca: [] }, code: 'SB_SLEUTEL_ONBETROUWD' },
  { naam: 'dev untrusted client', over: { ontvangerCertificaat: read('clients/untrusted.crt') }, code: 'SB_SLEUTEL_ONBETROUWD' },
  { naam: 'revoked in a current CRL', over: { ontvangerCertificaat: ingetrokken, crl: [crl({ revoked: ['7a11c0ffee'] })] },
    code: 'SB_SLEUTEL_INGETROKKEN', detail: /op de CRL/ },
  { naam: 'revoked, CRL among others in one PEM string',
    over: { ontvangerCertificaat: ingetrokken, crl: [`${read('crl.pem')}${crl({ revoked: ['7a11c0ffee'] })}`] },
    code: 'SB_SLEUTEL_INGETROKKEN', detail: /op de CRL/ },
  { naam: 'CRL past nextUpdate',
    over: { crl: [crl({ thisUpdate: new Date(now - 10 * DAY), nextUpdate: new Date(now - DAY) })] },
    code: 'SB_SLEUTEL_INGETROKKEN', detail: /CRL verlopen/ },
  { naam: 'no CRL for the issuer', over: { crl: [] }, code: 'SB_SLEUTEL_INGETROKKEN', detail: /geen CRL/ },
  { naam: 'only an unreadable CRL', over: { crl: ['-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n'] },
    code: 'SB_SLEUTEL_INGETROKKEN', detail: /geen CRL/ },
  { naam: 'CRL with the issuer name but another key', over: { crl: [crl({ key: vreemdeCaKey.forgePrivateKey })] },
    code: 'SB_SLEUTEL_INGETROKKEN', detail: /handtekening/ },
  { naam: 'server certificate (EKU serverAuth)', over: { ontvangerCertificaat: read('server.crt') }, code: 'SB_SLEUTEL_ONGESCHIKT' },
  { naam: 'client certificate (EKU clientAuth, no keyEncipherment)', over: { ontvangerCertificaat: read('clients/elan-wonen.crt') },
    code: 'SB_SLEUTEL_ONGESCHIKT' },
  { naam: 'client kind cert', over: { ontvangerCertificaat: ontvanger({ kind: 'client' }) }, code: 'SB_SLEUTEL_ONGESCHIKT' },
  { naam: 'the CA certificate itself', over: { ontvangerCertificaat: read('ca.crt') }, code: 'SB_SLEUTEL_ONGESCHIKT' },
  { naam: 'RSA 1024', over: { ontvangerCertificaat: ontvanger({ bits: 1024 }) }, code: 'SB_SLEUTEL_ONGESCHIKT', detail: /RSA/ },
  { naam: 'EC key', over: { ontvangerCertificaat: read('ec.crt') }, code: 'SB_SLEUTEL_ONGESCHIKT', detail: /RSA/ },
  { naam: 'unknown key transport', over: { keyTransport: 'rsa-x' as never }, code: 'SB_SLEUTEL_ONGESCHIKT' },
  { naam: 'unknown content encryption', over: { inhoud: 'des' as never }, code: 'SB_SLEUTEL_ONGESCHIKT' },
  { naam: 'signer key garbage', over: { afzenderSleutel: 'kapot' }, code: 'SB_AFZENDER_SLEUTEL' },
  { naam: 'signer certificate garbage', over: { afzenderCertificaat: '' }, code: 'SB_AFZENDER_SLEUTEL' },
  { naam: 'signer key of another certificate', over: { afzenderSleutel: read('recipients/wijkteam-zuid.key') },
    code: 'SB_AFZENDER_SLEUTEL' },
  { naam: 'signer certificate expired at nu', over: { afzenderCertificaat: read('clients/expired.crt'), afzenderSleutel: read('clients/expired.key') },
    code: 'SB_AFZENDER_SLEUTEL' },
  { naam: 'signer certificate not for e-mail', over: { afzenderCertificaat: read('clients/ymere.crt'), afzenderSleutel: read('clients/ymere.key') },
    code: 'SB_AFZENDER_SLEUTEL' },
  { naam: 'signer key is EC', over: { afzenderCertificaat: read('ec.crt'), afzenderSleutel: read('ec.key') }, code: 'SB_AFZENDER_SLEUTEL' },
];

t.test('refusals: KanaalFout with the right code, no message', async (t) => {
  for (const g of gevallen) {
    let uit: Buffer | undefined;
    try {
      uit = await smime.bouw(inhoud, adressering, opties(g.over));
      t.fail(`${g.naam}: built a message`);
    } catch (err) {
      t.ok(err instanceof KanaalFout, `${g.naam}: KanaalFout`);
      t.equal((err as KanaalFout).code, g.code, `${g.naam}: ${g.code} (${(err as Error).message})`);
      t.equal((err as KanaalFout).permanent, true);
      if (g.detail) t.match((err as Error).message, g.detail, `${g.naam}: detail`);
    }
    t.equal(uit, undefined, `${g.naam}: no output`);
  }
});

t.test('controleerOntvangerCertificaat on its own', async (t) => {
  const vertrouwen = { ca: [read('ca.crt')], crl: [read('crl.pem')], nu: new Date() };
  for (const r of ['wijkteam-noord', 'wijkteam-oost', 'wijkteam-zuid', 'troubleshooter']) {
    const c = controleerOntvangerCertificaat(read(`recipients/${r}.crt`), vertrouwen);
    t.match(c.x509.subjectAltName, `${r}@haarlem.example`, `${r} is usable`);
  }
  t.throws(() => controleerOntvangerCertificaat(read('clients/revoked.crt'), vertrouwen), { code: 'SB_SLEUTEL_INGETROKKEN' },
    'dev CRL lists clients/revoked');
  t.throws(() => controleerOntvangerCertificaat(read('clients/expired.crt'), vertrouwen), { code: 'SB_SLEUTEL_VERLOPEN' });
  // A CA bundle and an old plus a current CRL: the bundle is searched, the revocation in either counts.
  const bundel = { ...vertrouwen, ca: [`${vreemdeCa.pem}${read('ca.crt')}`],
    crl: [crl({ thisUpdate: new Date(now - 20 * DAY), nextUpdate: new Date(now - 10 * DAY) }), read('crl.pem')] };
  t.ok(controleerOntvangerCertificaat(read('recipients/wijkteam-noord.crt'), bundel), 'newest CRL is current');
});

// ---- what clients open: the default every receiver must support, and the capabilities a certificate announces ----

t.test('the default opens in gpgsm (GnuPG on Debian) and in openssl cms: decrypted, signature verified', async (t) => {
  const eml = await smime.bouw(inhoud, adressering, opties());
  writeFileSync(file('standaard.eml'), eml);
  const g = openGpgsm(file('standaard.eml'), dir, 'wijkteam-noord');
  t.match(g.status, /\[GNUPG:\] DECRYPTION_OKAY/, 'gpgsm decrypts it');
  t.match(g.status, /\[GNUPG:\] GOODSIG [0-9A-F]{40} \/CN=Signaalbrug\/O=Signaalbrug Dev/, 'gpgsm: good signature of the service');
  t.match(g.status, /\[GNUPG:\] VALIDSIG /);
  t.match(g.status, /\[GNUPG:\] TRUST_FULLY/, 'and the signer chains to the trusted dev CA');
  t.match(g.inhoud, `Subject: ${inhoud.onderwerp}`);
  t.match(g.inhoud.replace(/=\r?\n/g, ''), `${CANARY}, Kleine Houtstraat 12A, 2011DE Haarlem`);
  const o = openSmime(file('standaard.eml'), dir, 'wijkteam-noord');
  t.match(o.verifyStderr, /Verification successful/, 'openssl cms decrypts and verifies it too');
  t.match(o.inhoud, `Subject: ${inhoud.onderwerp}`);
});

t.test('client matrix: which key transport and content encryption each client here opens (README "Delivery")', async (t) => {
  const regels: string[] = [];
  for (const [i, v] of varianten.entries()) {
    writeFileSync(file(`matrix${i}.eml`), await smime.bouw(inhoud, adressering, opties(v.over)));
    const probeer = (open: () => unknown) => {
      try {
        open();
        return 'opens';
      } catch (err) {
        return `refuses (${/error getting [^\n]*|message decryption failed[^\n]*/.exec((err as Error).message)?.[0] ?? 'error'})`;
      }
    };
    const openssl = probeer(() => openSmime(file(`matrix${i}.eml`), dir, 'wijkteam-noord'));
    const gpgsm = probeer(() => openGpgsm(file(`matrix${i}.eml`), dir, 'wijkteam-noord'));
    t.equal(openssl, 'opens', `openssl cms opens ${v.naam}`);
    if (i === 0) t.equal(gpgsm, 'opens', `gpgsm opens ${v.naam}`);
    regels.push(`${v.naam}: openssl ${openssl}; gpgsm ${gpgsm}`);
  }
  const versies = [spawnSync('openssl', ['version'], { encoding: 'utf8' }).stdout.trim(),
    spawnSync('gpgsm', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]];
  t.comment(`client matrix (${versies.join(', ')}):\n${regels.join('\n')}`);
});

/** A recipient certificate of the dev CA announcing these S/MIME capabilities (RFC 4262), with its key on disk. */
function metCapabilities(naam: string, smimeCapabilities: SmimeCapabiliteit[]): string {
  const key = generateRsaKey();
  const { pem } = issueCertificate({
    kind: 'smime', subject: { CN: 'Wijkteam met voorkeuren', O: 'Gemeente Haarlem' }, emails: ['wijkteam-noord@haarlem.example'],
    publicKey: key.forgePublicKey, issuer: devCa, notBefore: new Date(now - DAY), notAfter: new Date(now + 365 * DAY), smimeCapabilities,
  });
  writeFileSync(file(`${naam}.crt`), pem);
  writeFileSync(file(`${naam}.key`), key.privateKeyPem);
  return pem;
}

t.test('S/MIME capabilities in the recipient certificate choose among what we send, most preferred first', async (t) => {
  const OAEP = 'rsaesOaep (1.2.840.113549.1.1.7)';
  const PKCS1 = 'rsaEncryption (1.2.840.113549.1.1.1)';
  const GCM = 'aes-256-gcm (2.16.840.1.101.3.4.1.46)';
  const CBC = 'aes-256-cbc (2.16.840.1.101.3.4.1.42)';
  const gevallen: { naam: string; caps: SmimeCapabiliteit[]; over?: Partial<SmimeOpties>; kt: string; alg: string }[] = [
    { naam: 'GCM and OAEP-SHA-256 preferred', caps: ['aes256-gcm', 'aes256-cbc', 'rsaes-oaep-sha256', 'rsa-pkcs1'], kt: OAEP, alg: GCM },
    { naam: 'CBC and PKCS#1 preferred over what else is announced', caps: ['aes256-cbc', 'aes256-gcm', 'rsa-pkcs1', 'rsaes-oaep-sha256'], kt: PKCS1, alg: CBC },
    { naam: 'OAEP-SHA-256 and CBC only', caps: ['aes256-cbc', 'rsaes-oaep-sha256'], kt: OAEP, alg: CBC },
    { naam: 'OAEP without parameters means SHA-1, which we do not send', caps: ['aes256-gcm', 'rsaes-oaep'], kt: PKCS1, alg: GCM },
    { naam: 'nothing we know of: the default', caps: [], kt: PKCS1, alg: CBC },
    { naam: 'configured per recipient wins over the announcement', caps: ['aes256-gcm', 'rsaes-oaep-sha256'],
      over: { keyTransport: 'rsa-pkcs1', inhoud: 'aes-256-cbc' }, kt: PKCS1, alg: CBC },
  ];
  for (const [i, g] of gevallen.entries()) {
    const pem = metCapabilities(`cap${i}`, g.caps);
    writeFileSync(file(`cap${i}.eml`), await smime.bouw(inhoud, adressering, opties({ ontvangerCertificaat: pem, ...g.over })));
    const print = execFileSync('openssl', ['cms', '-cmsout', '-print', '-in', `cap${i}.eml`], { cwd: dir, encoding: 'utf8' });
    t.match(print, `algorithm: ${g.kt}`, `${g.naam}: key transport`);
    t.match(print, `algorithm: ${g.alg}`, `${g.naam}: content encryption`);
    const open = openssl('cms', '-decrypt', '-in', `cap${i}.eml`, '-recip', `cap${i}.crt`, '-inkey', `cap${i}.key`);
    t.ok(open.ok, `${g.naam}: the recipient's key opens it (${open.ok ? 'ok' : open.out})`);
  }
  // The extension as written is what openssl reads: an SMIMECapabilities SEQUENCE in the certificate.
  const tekst = openssl('x509', '-in', 'cap0.crt', '-noout', '-text').out;
  t.match(tekst, /S\/MIME Capabilities/);
});
