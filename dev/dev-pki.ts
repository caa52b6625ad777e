// The dev PKI (docs/contract.md "Dev PKI"): CA, CRL, server, client, recipient and signer identities.
// Idempotent: a key on disk is never overwritten; only what is missing or no longer fits is issued.
import { X509Certificate, createPublicKey, verify } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import forge from 'node-forge';
import * as openpgp from 'openpgp';
import {
  createCrl,
  generateRsaKey,
  issueCertificate,
  normalizeSerialHex,
  rsaKeyFromPem,
  type IssueOptions,
  type Issuer,
  type RsaKey,
} from '../src/pki/forge-cert.js';

export const DEV_MAIL_DOMAIN = 'haarlem.example';

export const DEV_CLIENTS = [
  { name: 'elan-wonen', oin: '00000099000000000001', org: 'Elan Wonen' },
  { name: 'pre-wonen', oin: '00000099000000000002', org: 'Pré Wonen' },
  { name: 'ymere', oin: '00000099000000000003', org: 'Ymere' },
  { name: 'wijkteam-haarlem', oin: '00000099000000000010', org: 'Gemeente Haarlem' },
  { name: 'gemeente-hilversum', oin: '00000099000000000020', org: 'Gemeente Hilversum' },
  // A signal partner that is not a corporation (rol signaalpartner, signaalpartner Energie); fictitious.
  { name: 'energie-noord-holland', oin: '00000099000000000030', org: 'Energie Noord-Holland' },
  { name: 'onbekend', oin: '00000099000000000099', org: 'Onbekende Organisatie' },
] as const;

/** Mail recipients: `recipients/<local>.*`, mailbox `<mailbox>@<domein>`. Hilversum is the second dev gemeente. */
export const DEV_RECIPIENTS = [
  { local: 'wijkteam-noord', mailbox: 'wijkteam-noord', name: 'Sociaal Wijkteam Noord', domein: DEV_MAIL_DOMAIN, org: 'Gemeente Haarlem' },
  { local: 'wijkteam-oost', mailbox: 'wijkteam-oost', name: 'Sociaal Wijkteam Oost', domein: DEV_MAIL_DOMAIN, org: 'Gemeente Haarlem' },
  { local: 'wijkteam-zuid', mailbox: 'wijkteam-zuid', name: 'Sociaal Wijkteam Zuid', domein: DEV_MAIL_DOMAIN, org: 'Gemeente Haarlem' },
  { local: 'troubleshooter', mailbox: 'troubleshooter', name: 'Troubleshooter', domein: DEV_MAIL_DOMAIN, org: 'Gemeente Haarlem' },
  { local: 'coordinator', mailbox: 'coordinator', name: 'Coördinator sociale wijkteams', domein: DEV_MAIL_DOMAIN, org: 'Gemeente Haarlem' },
  { local: 'wijkteam-hilversum', mailbox: 'wijkteam', name: 'Sociaal Wijkteam Hilversum', domein: 'hilversum.example', org: 'Gemeente Hilversum' },
  { local: 'troubleshooter-hilversum', mailbox: 'troubleshooter', name: 'Troubleshooter Hilversum', domein: 'hilversum.example', org: 'Gemeente Hilversum' },
  { local: 'coordinator-hilversum', mailbox: 'coordinator', name: 'Coördinator Hilversum', domein: 'hilversum.example', org: 'Gemeente Hilversum' },
] as const;

/** The service's signing identities: the deployment's, and Hilversum's own (a gemeente's sender identity). */
export const DEV_SIGNERS = [
  { base: 'signer', CN: 'Signaalbrug', O: 'Signaalbrug Dev', email: `signaalbrug@${DEV_MAIL_DOMAIN}` },
  { base: 'signer-hilversum', CN: 'Signaalbrug Hilversum', O: 'Gemeente Hilversum', email: 'signaalbrug@hilversum.example' },
] as const;

const DAY = 86_400_000;
const SKEW = 5 * 60_000; // backdate notBefore so hosts with a slightly slow clock accept new certs

interface Run {
  dir: string;
  now: Date;
  /** notAfter of every valid certificate and nextUpdate of the CRL, when given (tests spanning years). */
  geldigTot?: Date;
  created: string[];
  kept: string[];
}

type Template = Omit<IssueOptions, 'publicKey' | 'issuer' | 'signingKey'>;

function yearsFrom(d: Date, years: number): Date {
  const r = new Date(d);
  r.setUTCFullYear(r.getUTCFullYear() + years);
  return r;
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function writeCreated(run: Run, rel: string, data: string, secret = false): Promise<void> {
  // 'wx' on secrets: even a race cannot make us overwrite a key.
  const opts = secret ? { mode: 0o600, flag: 'wx' } : {};
  await writeFile(join(run.dir, rel), data, opts);
  run.created.push(rel);
}

function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
}

/**
 * Key plus certificate at `<base>.key|.crt`. An existing key is kept; its certificate is kept
 * when it still belongs to the key and `fits`, else reissued for the same key.
 */
async function ensureCertPair(
  run: Run,
  base: string,
  fits: (cert: X509Certificate) => boolean,
  issue: (key: RsaKey) => Promise<{ cert: forge.pki.Certificate; pem: string }>,
): Promise<{ key: RsaKey; cert: forge.pki.Certificate; issued: boolean }> {
  const keyRel = `${base}.key`;
  const certRel = `${base}.crt`;
  const keyPem = await readIfExists(join(run.dir, keyRel));
  let key: RsaKey;
  let certPem: string | undefined;
  if (keyPem) {
    key = rsaKeyFromPem(keyPem);
    run.kept.push(keyRel);
    certPem = await readIfExists(join(run.dir, certRel));
  } else {
    key = generateRsaKey();
    await writeCreated(run, keyRel, key.privateKeyPem, true);
  }
  if (certPem) {
    const x = new X509Certificate(certPem);
    if (x.publicKey.equals(createPublicKey(key.publicKeyPem)) && fits(x)) {
      run.kept.push(certRel);
      return { key, cert: forge.pki.certificateFromPem(certPem), issued: false };
    }
  }
  const { cert, pem } = await issue(key);
  await writeCreated(run, certRel, pem);
  return { key, cert, issued: true };
}

async function ensureCa(run: Run, base: string, subject: Template['subject']) {
  const ca = await ensureCertPair(
    run,
    base,
    (x) => x.ca && issuedBy(x, x),
    async (key) =>
      issueCertificate({
        kind: 'ca',
        subject,
        publicKey: key.forgePublicKey,
        signingKey: key.forgePrivateKey,
        notBefore: new Date(run.now.getTime() - SKEW),
        notAfter: later(yearsFrom(run.now, 10), run.geldigTot),
      }),
  );
  return { ...ca, issuer: { cert: ca.cert, key: ca.key.forgePrivateKey } satisfies Issuer };
}

async function ensureLeaf(run: Run, base: string, ca: Issuer, template: Template) {
  const caX = new X509Certificate(forge.pki.certificateToPem(ca.cert));
  return ensureCertPair(
    run,
    base,
    (x) => issuedBy(x, caX),
    async (key) => issueCertificate({ ...template, publicKey: key.forgePublicKey, issuer: ca }),
  );
}

function leafValidity(run: Run, years = 2) {
  return { notBefore: new Date(run.now.getTime() - SKEW), notAfter: run.geldigTot ?? yearsFrom(run.now, years) };
}

const later = (a: Date, b: Date | undefined) => (b && b > a ? b : a);

// The untrusted client's CA key is thrown away: its only job is to be a different root.
async function ensureUntrusted(run: Run): Promise<void> {
  const caRel = 'untrusted-ca.crt';
  const caPem = await readIfExists(join(run.dir, caRel));
  const caX = caPem ? new X509Certificate(caPem) : undefined;
  const leaf = await ensureCertPair(
    run,
    'clients/untrusted',
    (x) => caX !== undefined && issuedBy(x, caX),
    async (key) => {
      const caKey = generateRsaKey();
      const ca = issueCertificate({
        kind: 'ca',
        subject: { CN: 'Signaalbrug Untrusted Root', O: 'Signaalbrug Untrusted' },
        publicKey: caKey.forgePublicKey,
        signingKey: caKey.forgePrivateKey,
        ...leafValidity(run, 10),
      });
      await writeCreated(run, caRel, ca.pem);
      return issueCertificate({
        kind: 'client',
        subject: { CN: 'untrusted', O: 'Ymere', serialNumber: '00000099000000000003' },
        publicKey: key.forgePublicKey,
        issuer: { cert: ca.cert, key: caKey.forgePrivateKey },
        ...leafValidity(run),
      });
    },
  );
  if (!leaf.issued) run.kept.push(caRel);
}

/** Serials listed by a CRL signed by `ca` and still current at `now`; undefined when not. */
function currentCrlSerials(pem: string, ca: X509Certificate, now: Date): Set<string> | undefined {
  try {
    const der = forge.util.decode64(pem.replace(/-----[^-]+-----|\s/g, ''));
    // Keep the signature BIT STRING opaque (the typings only know the legacy boolean option).
    const fromDer = forge.asn1.fromDer as unknown as (bytes: string, opts: object) => forge.asn1.Asn1;
    const [tbs, , sig] = fromDer(der, { decodeBitStrings: false }).value as forge.asn1.Asn1[];
    const tbsDer = Buffer.from(forge.asn1.toDer(tbs!).getBytes(), 'binary');
    const signature = Buffer.from((sig!.value as string).slice(1), 'binary');
    if (!verify('sha256', tbsDer, ca.publicKey, signature)) return undefined;
    const fields = tbs!.value as forge.asn1.Asn1[];
    const T = forge.asn1.Type;
    let i = fields[0]!.type === T.INTEGER ? 4 : 3; // skip version, signature, issuer, thisUpdate
    const next = fields[i];
    if (next?.type !== T.UTCTIME && next?.type !== T.GENERALIZEDTIME) return undefined;
    const v = next.value as string;
    const nextUpdate = next.type === T.UTCTIME ? forge.asn1.utcTimeToDate(v) : forge.asn1.generalizedTimeToDate(v);
    if (nextUpdate <= now) return undefined;
    i += 1;
    const list = fields[i]?.tagClass === forge.asn1.Class.UNIVERSAL ? (fields[i]!.value as forge.asn1.Asn1[]) : [];
    return new Set(
      list.map((entry) => {
        const serial = (entry.value as forge.asn1.Asn1[])[0]!.value as string;
        return normalizeSerialHex(forge.util.bytesToHex(serial));
      }),
    );
  } catch {
    return undefined;
  }
}

async function ensureCrl(run: Run, ca: Issuer, revoked: forge.pki.Certificate): Promise<void> {
  const rel = 'crl.pem';
  const serial = normalizeSerialHex(revoked.serialNumber);
  const existing = await readIfExists(join(run.dir, rel));
  if (existing) {
    const serials = currentCrlSerials(existing, new X509Certificate(forge.pki.certificateToPem(ca.cert)), run.now);
    if (serials && serials.size === 1 && serials.has(serial)) {
      run.kept.push(rel);
      return;
    }
  }
  const crl = createCrl({
    issuerCert: ca.cert,
    issuerKey: ca.key,
    revoked: [{ serial, revokedAt: run.now }],
    thisUpdate: run.now,
    nextUpdate: run.geldigTot ?? new Date(run.now.getTime() + 30 * DAY), // dev only; production CRLs come from PKIoverheid
  });
  await writeFile(join(run.dir, rel), crl);
  run.created.push(rel);
}

/** OpenPGP key pair at `<base>.sec.asc|.pub.asc`, unencrypted so `gpg --import` takes it as is. */
async function ensurePgp(run: Run, base: string, userID: { name: string; email: string }): Promise<void> {
  const secRel = `${base}.sec.asc`;
  const pubRel = `${base}.pub.asc`;
  const sec = await readIfExists(join(run.dir, secRel));
  if (!sec) {
    const { privateKey, publicKey } = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [userID],
      date: run.now,
      format: 'armored',
    });
    await writeCreated(run, secRel, privateKey, true);
    await writeCreated(run, pubRel, publicKey);
    return;
  }
  run.kept.push(secRel);
  const privateKey = await openpgp.readPrivateKey({ armoredKey: sec });
  const pub = await readIfExists(join(run.dir, pubRel));
  const pubKey = pub ? await openpgp.readKey({ armoredKey: pub }).catch(() => undefined) : undefined;
  if (pubKey?.getFingerprint() === privateKey.getFingerprint()) {
    run.kept.push(pubRel);
    return;
  }
  await writeCreated(run, pubRel, privateKey.toPublic().armor());
}

export async function createDevPki(
  dir: string,
  opts: { now?: Date; geldigTot?: Date } = {},
): Promise<{ created: string[]; kept: string[] }> {
  const run: Run = { dir, now: opts.now ?? new Date(), geldigTot: opts.geldigTot, created: [], kept: [] };
  await mkdir(join(dir, 'clients'), { recursive: true });
  await mkdir(join(dir, 'recipients'), { recursive: true });

  const ca = await ensureCa(run, 'ca', { CN: 'Signaalbrug Dev Root', O: 'Signaalbrug Dev' });
  await ensureLeaf(run, 'server', ca.issuer, {
    kind: 'server',
    subject: { CN: 'localhost', O: 'Signaalbrug Dev' },
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1', '::1'],
    ...leafValidity(run),
  });

  const clients = [
    ...DEV_CLIENTS.map((c) => ({ ...c, ...leafValidity(run) })),
    { name: 'revoked', oin: DEV_CLIENTS[0].oin, org: DEV_CLIENTS[0].org, ...leafValidity(run) },
    {
      name: 'expired',
      oin: DEV_CLIENTS[1].oin,
      org: DEV_CLIENTS[1].org,
      notBefore: yearsFrom(run.now, -2),
      notAfter: new Date(run.now.getTime() - DAY),
    },
  ];
  let revoked: forge.pki.Certificate | undefined;
  for (const c of clients) {
    const leaf = await ensureLeaf(run, `clients/${c.name}`, ca.issuer, {
      kind: 'client',
      subject: { CN: c.name, O: c.org, serialNumber: c.oin },
      notBefore: c.notBefore,
      notAfter: c.notAfter,
    });
    if (c.name === 'revoked') revoked = leaf.cert;
  }
  await ensureUntrusted(run);
  await ensureCrl(run, ca.issuer, revoked!);

  const mailIdentities = [
    ...DEV_RECIPIENTS.map((r) => ({ base: `recipients/${r.local}`, CN: r.name, O: r.org, email: `${r.mailbox}@${r.domein}` })),
    ...DEV_SIGNERS,
  ];
  for (const m of mailIdentities) {
    const email = m.email;
    await ensureLeaf(run, m.base, ca.issuer, {
      kind: 'smime',
      subject: { CN: m.CN, O: m.O, emailAddress: email },
      emails: [email],
      ...leafValidity(run),
    });
    await ensurePgp(run, m.base, { name: m.CN, email });
  }
  return { created: run.created, kept: run.kept };
}
