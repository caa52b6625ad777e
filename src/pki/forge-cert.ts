// Building blocks for test and dev certificates: RSA keys, X.509 certificates and CRLs.
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import forge from 'node-forge';

const { asn1, pki } = forge;

// Present in node-forge but missing from @types/node-forge.
const pkiInternals = pki as unknown as {
  getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1;
  RDNAttributesAsArray(name: forge.asn1.Asn1): forge.pki.CertificateField[];
};

export interface RsaKey {
  privateKeyPem: string;
  publicKeyPem: string;
  forgePrivateKey: forge.pki.rsa.PrivateKey;
  forgePublicKey: forge.pki.rsa.PublicKey;
}

// node:crypto keygen is native; forge's pure-JS RSA keygen takes seconds per key.
export function generateRsaKey(bits = 2048): RsaKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return rsaKeyFromPem(privateKey);
}

export function rsaKeyFromPem(privateKeyPem: string): RsaKey {
  const forgePrivateKey = pki.privateKeyFromPem(privateKeyPem) as forge.pki.rsa.PrivateKey;
  const forgePublicKey = pki.setRsaPublicKey(forgePrivateKey.n, forgePrivateKey.e);
  return { privateKeyPem, publicKeyPem: pki.publicKeyToPem(forgePublicKey), forgePrivateKey, forgePublicKey };
}

export type CertKind = 'ca' | 'server' | 'client' | 'smime';

export interface SubjectFields {
  CN: string;
  O?: string;
  /** OIN: PKIoverheid puts it in subject serialNumber (OID 2.5.4.5). */
  serialNumber?: string;
  emailAddress?: string;
  C?: string;
}

export interface Issuer {
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
}

export interface IssueOptions {
  subject: SubjectFields;
  publicKey: forge.pki.rsa.PublicKey;
  /** Absent: self-signed with signingKey. */
  issuer?: Issuer;
  signingKey?: forge.pki.rsa.PrivateKey;
  notBefore: Date;
  notAfter: Date;
  /** Hex; default 16 random bytes, positive. */
  serial?: string;
  kind: CertKind;
  dnsNames?: string[];
  ipAddresses?: string[];
  emails?: string[];
  /** kind smime: an sMIMECapabilities extension (RFC 4262) announcing these, most preferred first. */
  smimeCapabilities?: SmimeCapabiliteit[];
}

/** The algorithms a dev certificate can announce; rsaes-oaep is OAEP with the SHA-1 defaults (no parameters). */
export type SmimeCapabiliteit = 'aes256-gcm' | 'aes256-cbc' | 'rsaes-oaep-sha256' | 'rsaes-oaep' | 'rsa-pkcs1';

const OID_SERIAL_NUMBER = '2.5.4.5';

function subjectAttributes(s: SubjectFields): forge.pki.CertificateField[] {
  // Explicit string types: PrintableString where X.520 demands it, UTF8 for names like "Pré Wonen".
  const attrs: forge.pki.CertificateField[] = [];
  if (s.C) attrs.push({ name: 'countryName', value: s.C, valueTagClass: asn1.Type.PRINTABLESTRING as never });
  if (s.O) attrs.push({ name: 'organizationName', value: s.O, valueTagClass: asn1.Type.UTF8 as never });
  attrs.push({ name: 'commonName', value: s.CN, valueTagClass: asn1.Type.UTF8 as never });
  if (s.serialNumber) {
    attrs.push({ type: OID_SERIAL_NUMBER, value: s.serialNumber, valueTagClass: asn1.Type.PRINTABLESTRING as never });
  }
  if (s.emailAddress) {
    attrs.push({ name: 'emailAddress', value: s.emailAddress, valueTagClass: asn1.Type.IA5STRING as never });
  }
  return attrs;
}

/** DER INTEGER content for a hex serial: minimal and positive. */
export function normalizeSerialHex(hex: string): string {
  let h = hex.toLowerCase().replace(/^(00)+/, '') || '00';
  if (h.length % 2) h = `0${h}`;
  if (parseInt(h.slice(0, 2), 16) >= 0x80) h = `00${h}`;
  return h;
}

function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x40; // positive and no leading zero byte
  return bytes.toString('hex');
}

/** The subject Name exactly as encoded in the certificate. */
export function subjectNameAsn1(cert: forge.pki.Certificate): forge.asn1.Asn1 {
  const tbs = (cert as unknown as { tbsCertificate?: forge.asn1.Asn1 }).tbsCertificate ?? pkiInternals.getTBSCertificate(cert);
  const fields = tbs.value as forge.asn1.Asn1[];
  const hasVersion = fields[0]!.tagClass === asn1.Class.CONTEXT_SPECIFIC;
  // TBSCertificate: [version], serial, signature, issuer, validity, subject
  return asn1.fromDer(asn1.toDer(fields[hasVersion ? 5 : 4]!));
}

/**
 * Issuer attributes re-read from the DER: forge keeps parsed UTF8 values encoded and would
 * encode them a second time when copying `cert.subject.attributes` into a child.
 */
function issuerAttributes(cert: forge.pki.Certificate): forge.pki.CertificateField[] {
  const attrs = pkiInternals.RDNAttributesAsArray(subjectNameAsn1(cert));
  return attrs.map((a) => {
    const tag = a.valueTagClass as unknown as number;
    const value = tag === asn1.Type.UTF8 ? forge.util.decodeUtf8(a.value as string) : a.value;
    return { type: a.type, value, valueTagClass: a.valueTagClass } as forge.pki.CertificateField;
  });
}

/** keyIdentifier of a CA: its SKI extension when present, else SHA-1 of its RSAPublicKey (RFC 5280 4.2.1.2). */
export function keyIdentifierOf(cert: forge.pki.Certificate): string {
  const ski = cert.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | undefined;
  if (ski?.subjectKeyIdentifier) return forge.util.hexToBytes(ski.subjectKeyIdentifier);
  return pki.getPublicKeyFingerprint(cert.publicKey, { type: 'RSAPublicKey', encoding: 'binary' });
}

function extensionsFor(opts: IssueOptions): object[] {
  const exts: object[] = [{ name: 'subjectKeyIdentifier' }];
  if (opts.kind === 'ca') {
    exts.push(
      { name: 'basicConstraints', critical: true, cA: true },
      { name: 'keyUsage', critical: true, keyCertSign: true, cRLSign: true },
    );
    return exts;
  }
  const issuerCert = opts.issuer?.cert;
  exts.push({ name: 'basicConstraints', critical: true, cA: false });
  // Self-signed end-entity certs have no issuer cert yet; the key id is then their own.
  exts.push({ name: 'authorityKeyIdentifier', keyIdentifier: issuerCert ? keyIdentifierOf(issuerCert) : true });
  const altNames: object[] = [];
  if (opts.kind === 'server') {
    exts.push(
      { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
    );
    for (const value of opts.dnsNames ?? []) altNames.push({ type: 2, value });
    for (const ip of opts.ipAddresses ?? []) altNames.push({ type: 7, ip });
  } else if (opts.kind === 'client') {
    exts.push({ name: 'keyUsage', critical: true, digitalSignature: true }, { name: 'extKeyUsage', clientAuth: true });
  } else {
    exts.push(
      { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true, nonRepudiation: true },
      { name: 'extKeyUsage', emailProtection: true },
    );
    for (const value of opts.emails ?? []) altNames.push({ type: 1, value });
    if (opts.smimeCapabilities) exts.push({ id: OID_SMIME_CAPABILITIES, value: smimeCapabilities(opts.smimeCapabilities) });
  }
  if (altNames.length) exts.push({ name: 'subjectAltName', altNames });
  return exts;
}

const OID_SMIME_CAPABILITIES = '1.2.840.113549.1.9.15';
const OID_SHA256 = '2.16.840.1.101.3.4.2.1';

/** SMIMECapabilities (RFC 8551 2.5.2); OAEP with SHA-256 carries RSAES-OAEP-params (RFC 4055 4.1). */
function smimeCapabilities(caps: SmimeCapabiliteit[]): forge.asn1.Asn1 {
  const expliciet = (tag: number, v: forge.asn1.Asn1) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, true, [v]);
  const sha256 = () => seq([oid(OID_SHA256)]);
  const cap: Record<SmimeCapabiliteit, () => forge.asn1.Asn1> = {
    'aes256-gcm': () => seq([oid('2.16.840.1.101.3.4.1.46')]),
    'aes256-cbc': () => seq([oid('2.16.840.1.101.3.4.1.42')]),
    'rsa-pkcs1': () => seq([oid('1.2.840.113549.1.1.1')]),
    'rsaes-oaep': () => seq([oid('1.2.840.113549.1.1.7')]),
    'rsaes-oaep-sha256': () => seq([oid('1.2.840.113549.1.1.7'),
      seq([expliciet(0, sha256()), expliciet(1, seq([oid('1.2.840.113549.1.1.8'), sha256()]))])]),
  };
  return seq(caps.map((c) => cap[c]()));
}

export function issueCertificate(opts: IssueOptions): { cert: forge.pki.Certificate; pem: string } {
  const signingKey = opts.issuer?.key ?? opts.signingKey;
  if (!signingKey) throw new Error('issueCertificate: need issuer or signingKey');
  const cert = pki.createCertificate();
  cert.publicKey = opts.publicKey;
  cert.serialNumber = normalizeSerialHex(opts.serial ?? randomSerialHex());
  cert.validity.notBefore = opts.notBefore;
  cert.validity.notAfter = opts.notAfter;
  const subject = subjectAttributes(opts.subject);
  cert.setSubject(subject);
  cert.setIssuer(opts.issuer ? issuerAttributes(opts.issuer.cert) : subject);
  cert.setExtensions(extensionsFor(opts));
  cert.sign(signingKey, forge.md.sha256.create());
  return { cert, pem: pki.certificateToPem(cert) };
}

export interface CrlOptions {
  issuerCert: forge.pki.Certificate;
  issuerKey: forge.pki.rsa.PrivateKey;
  revoked: { serial: string; revokedAt: Date }[];
  thisUpdate: Date;
  nextUpdate: Date;
  crlNumber?: number;
}

const OID_SHA256_WITH_RSA = '1.2.840.113549.1.1.11';

function seq(items: forge.asn1.Asn1[]): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
}

function oid(id: string): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(id).getBytes());
}

function integerHex(hex: string): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, forge.util.hexToBytes(normalizeSerialHex(hex)));
}

// RFC 5280 5.1.2.4: UTCTime through 2049, GeneralizedTime after.
function time(d: Date): forge.asn1.Asn1 {
  return d.getUTCFullYear() < 2050
    ? asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(d))
    : asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(d));
}

function extension(id: string, value: forge.asn1.Asn1): forge.asn1.Asn1 {
  const der = asn1.toDer(value).getBytes();
  return seq([oid(id), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, der)]);
}

/** A v2 CRL (RFC 5280 5.1), as PEM. node-forge has no CRL API, so the ASN.1 is built here. */
export function createCrl(opts: CrlOptions): string {
  const sigAlg = seq([oid(OID_SHA256_WITH_RSA), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')]);
  const tbsFields: forge.asn1.Asn1[] = [
    integerHex('01'), // v2: needed for crlExtensions
    sigAlg,
    subjectNameAsn1(opts.issuerCert),
    time(opts.thisUpdate),
    time(opts.nextUpdate),
  ];
  if (opts.revoked.length) {
    tbsFields.push(seq(opts.revoked.map((r) => seq([integerHex(r.serial), time(r.revokedAt)]))));
  }
  const aki = seq([asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, keyIdentifierOf(opts.issuerCert))]);
  const crlNumber = integerHex((opts.crlNumber ?? 1).toString(16));
  const exts = seq([extension('2.5.29.35', aki), extension('2.5.29.20', crlNumber)]);
  tbsFields.push(asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [exts]));

  const tbsDer = Buffer.from(asn1.toDer(seq(tbsFields)).getBytes(), 'binary');
  const signature = sign('sha256', tbsDer, pki.privateKeyToPem(opts.issuerKey));
  const crl = seq([
    asn1.fromDer(tbsDer.toString('binary')),
    sigAlg,
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\x00${signature.toString('binary')}`),
  ]);
  const b64 = Buffer.from(asn1.toDer(crl).getBytes(), 'binary').toString('base64');
  return `-----BEGIN X509 CRL-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END X509 CRL-----\n`;
}
