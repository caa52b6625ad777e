// CMS structures for S/MIME (RFC 5652, RFC 8551), built with forge.asn1. Every key operation runs
// in node:crypto: forge's pure-JS RSA would block the event loop for each signature.
import { createCipheriv, createHash, constants, publicEncrypt, randomBytes, sign } from 'node:crypto';
import forge from 'node-forge';
import { derVan, leesDer, type SmimeCapability } from './certificaat.js';
import type { Afzender, Certificaat } from './controle.js';

const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  envelopedData: '1.2.840.113549.1.7.3',
  authEnvelopedData: '1.2.840.113549.1.9.16.1.23',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsaesOaep: '1.2.840.113549.1.1.7',
  mgf1: '1.2.840.113549.1.1.8',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  aes256Gcm: '2.16.840.1.101.3.4.1.46',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  smimeCapabilities: '1.2.840.113549.1.9.15',
} as const;

const bin = (b: Buffer) => b.toString('binary');
const seq = (v: Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, v);
const set = (v: Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, v);
const oid = (id: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(id).getBytes());
const int = (n: number) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes());
const octets = (b: Buffer) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bin(b));
const nul = () => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '');
const expliciet = (tag: number, v: Asn1) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, true, [v]);
// RFC 5754 2: SHA-2 AlgorithmIdentifiers without parameters, as OpenSSL writes them.
const sha256Id = () => seq([oid(OID.sha256)]);

// RFC 5652 11.3: UTCTime for 1950 through 2049, GeneralizedTime otherwise.
function tijd(d: Date): Asn1 {
  const jaar = d.getUTCFullYear();
  return jaar >= 1950 && jaar < 2050
    ? asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(d))
    : asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(d));
}

function contentInfo(type: string, inhoud: Asn1): Buffer {
  return derVan(seq([oid(type), expliciet(0, inhoud)]));
}

/** RFC 5652 10.2.4: issuer and serial copied from the certificate bytes, so matching is exact. */
function issuerAndSerialNumber(cert: Certificaat): Asn1 {
  return seq([cert.velden.issuer, cert.velden.serial]);
}

function attribuut(type: string, waarde: Asn1): Asn1 {
  return seq([oid(type), set([waarde])]);
}

/** DER SET OF is sorted by encoding (X.690 11.6); verifiers re-encode signedAttrs and would differ otherwise. */
function derSorteer(v: Asn1[]): Asn1[] {
  return v
    .map((n) => ({ n, der: derVan(n) }))
    .sort((a, b) => Buffer.compare(a.der, b.der))
    .map((x) => x.n);
}

/**
 * RFC 5652 5 SignedData over `inhoud` (id-data), SHA-256 with RSA PKCS#1 v1.5 (RFC 8551 2.1, 2.2),
 * signer certificate included, signed attributes contentType, signingTime, messageDigest and
 * sMIMECapabilities (RFC 8551 2.5.2).
 */
export function ondertekend(inhoud: Buffer, afzender: Afzender, nu: Date): Buffer {
  const capabilities = seq([seq([oid(OID.aes256Gcm)]), seq([oid(OID.aes256Cbc)]), seq([oid(OID.rsaesOaep)])]);
  const attrs = derSorteer([
    attribuut(OID.contentType, oid(OID.data)),
    attribuut(OID.signingTime, tijd(nu)),
    attribuut(OID.messageDigest, octets(createHash('sha256').update(inhoud).digest())),
    attribuut(OID.smimeCapabilities, capabilities),
  ]);
  // RFC 5652 5.4: the signature covers the DER of the attributes with a SET OF tag, not [0].
  const handtekening = sign('sha256', derVan(set(attrs)), afzender.sleutel);
  const signerInfo = seq([
    int(1),
    issuerAndSerialNumber(afzender.cert),
    sha256Id(),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, attrs),
    seq([oid(OID.rsaEncryption), nul()]),
    octets(handtekening),
  ]);
  const signedData = seq([
    int(1), // RFC 5652 5.1: version 1 for id-data and issuerAndSerialNumber
    set([sha256Id()]),
    seq([oid(OID.data), expliciet(0, octets(inhoud))]),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [leesDer(afzender.cert.x509.raw)]),
    set([signerInfo]),
  ]);
  return contentInfo(OID.signedData, signedData);
}

export type KeyTransport = 'rsa-oaep' | 'rsa-pkcs1';
export type Inhoudversleuteling = 'aes-256-cbc' | 'aes-256-gcm';

/**
 * What every receiver opens: RSA PKCS#1 v1.5 key transport (RFC 8551 2.3) with AES-CBC (2.7).
 * OAEP and AuthEnvelopedData are refused by clients still in use (gpgsm 2.2: "error getting encrypted
 * session key"; GCM fails there too), so they are used only when asked for or announced.
 */
export const STANDAARD = { transport: 'rsa-pkcs1', inhoud: 'aes-256-cbc' } as const satisfies { transport: KeyTransport; inhoud: Inhoudversleuteling };

const oidVan = (n: Asn1 | undefined): string | undefined =>
  n?.type === asn1.Type.OID && typeof n.value === 'string' ? asn1.derToOid(n.value) : undefined;
/** The OID of an AlgorithmIdentifier SEQUENCE inside an EXPLICIT [tag]. */
const algoritmeIn = (n: Asn1 | undefined): Asn1[] | undefined => {
  const alg = Array.isArray(n?.value) ? (n.value as Asn1[])[0] : undefined;
  return Array.isArray(alg?.value) ? (alg.value as Asn1[]) : undefined;
};

/**
 * Only RSAES-OAEP as we make it: SHA-256 and MGF1-SHA-256 (RFC 4055 4.1). Without parameters the
 * capability means the SHA-1 defaults of RSAES-OAEP-params, which we do not send.
 */
function isOaepSha256(params: Asn1 | undefined): boolean {
  if (!params || !Array.isArray(params.value)) return false;
  const velden = params.value as Asn1[];
  const veld = (tag: number) => velden.find((v) => v.tagClass === asn1.Class.CONTEXT_SPECIFIC && v.type === tag);
  if (veld(2)) return false; // pSourceFunc: a label we do not use
  const hash = algoritmeIn(veld(0));
  const mgf = algoritmeIn(veld(1));
  const mgfHash = Array.isArray(mgf?.[1]?.value) ? (mgf![1]!.value as Asn1[]) : undefined;
  return oidVan(hash?.[0]) === OID.sha256 && oidVan(mgf?.[0]) === OID.mgf1 && oidVan(mgfHash?.[0]) === OID.sha256;
}

/**
 * RFC 8551 2.7.1: the recipient's announced capabilities, most preferred first, decide among what we
 * can send; what is not announced stays at the default every receiver must open.
 */
export function voorkeurUit(capabilities: SmimeCapability[] | undefined): { transport: KeyTransport; inhoud: Inhoudversleuteling } {
  const caps = capabilities ?? [];
  const transport = caps.flatMap((c): KeyTransport[] =>
    c.oid === OID.rsaEncryption ? ['rsa-pkcs1'] : c.oid === OID.rsaesOaep && isOaepSha256(c.parameters) ? ['rsa-oaep'] : [])[0];
  const inhoud = caps.flatMap((c): Inhoudversleuteling[] =>
    c.oid === OID.aes256Gcm ? ['aes-256-gcm'] : c.oid === OID.aes256Cbc ? ['aes-256-cbc'] : [])[0];
  return { transport: transport ?? STANDAARD.transport, inhoud: inhoud ?? STANDAARD.inhoud };
}

/** RFC 5652 6.2.1 KeyTransRecipientInfo; OAEP with SHA-256 and MGF1-SHA-256 per RFC 8017 A.2.1 / RFC 4055 4.1. */
function keyTransRecipientInfo(ontvanger: Certificaat, cek: Buffer, transport: KeyTransport): Asn1 {
  const oaep = transport === 'rsa-oaep';
  const versleuteld = publicEncrypt(
    oaep
      ? { key: ontvanger.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }
      : { key: ontvanger.publicKey, padding: constants.RSA_PKCS1_PADDING },
    cek,
  );
  const algoritme = oaep
    ? seq([oid(OID.rsaesOaep), seq([expliciet(0, sha256Id()), expliciet(1, seq([oid(OID.mgf1), sha256Id()]))])])
    : seq([oid(OID.rsaEncryption), nul()]);
  return seq([int(0), issuerAndSerialNumber(ontvanger), algoritme, octets(versleuteld)]);
}

const versleuteldeInhoud = (b: Buffer) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, bin(b));

/**
 * EnvelopedData (RFC 5652 6, AES-256-CBC per RFC 3565) or AuthEnvelopedData (RFC 5083 with
 * AES-256-GCM per RFC 5084, 16-byte tag) for one recipient. Returns the ContentInfo DER.
 */
export function versleuteld(
  inhoud: Buffer,
  ontvanger: Certificaat,
  transport: KeyTransport,
  algoritme: Inhoudversleuteling,
): Buffer {
  const cek = randomBytes(32);
  const recipientInfos = set([keyTransRecipientInfo(ontvanger, cek, transport)]);
  if (algoritme === 'aes-256-cbc') {
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-256-cbc', cek, iv);
    const ct = Buffer.concat([cipher.update(inhoud), cipher.final()]);
    const eci = seq([oid(OID.data), seq([oid(OID.aes256Cbc), octets(iv)]), versleuteldeInhoud(ct)]);
    // RFC 5652 6.1: version 0 with no originatorInfo, no unprotectedAttrs and only version 0 ktri.
    return contentInfo(OID.envelopedData, seq([int(0), recipientInfos, eci]));
  }
  const nonce = randomBytes(12); // RFC 5084 3.2: 12 octets recommended
  const cipher = createCipheriv('aes-256-gcm', cek, nonce, { authTagLength: 16 });
  const ct = Buffer.concat([cipher.update(inhoud), cipher.final()]);
  const eci = seq([oid(OID.data), seq([oid(OID.aes256Gcm), seq([octets(nonce), int(16)])]), versleuteldeInhoud(ct)]);
  // RFC 5083 2.1: no authAttrs, so the tag authenticates the ciphertext alone.
  return contentInfo(OID.authEnvelopedData, seq([int(0), recipientInfos, eci, octets(cipher.getAuthTag())]));
}
