// The parts of an X.509 certificate (RFC 5280 4.1) that S/MIME needs and node:crypto does not expose:
// issuer and serial exactly as encoded (for IssuerAndSerialNumber), validity, keyUsage and EKU.
import forge from 'node-forge';

const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;

// Keep BIT STRINGs opaque so re-encoding returns the exact bytes (the typings only know the boolean form).
export const fromDer = forge.asn1.fromDer as unknown as (bytes: string, opts: object) => Asn1;

export function derVan(node: Asn1): Buffer {
  return Buffer.from(asn1.toDer(node).getBytes(), 'binary');
}

export function leesDer(der: Buffer): Asn1 {
  return fromDer(der.toString('binary'), { decodeBitStrings: false });
}

export function tijdVan(node: Asn1 | undefined): Date {
  const v = node?.value;
  if (typeof v !== 'string') throw new Error('geen tijd');
  if (node!.type === asn1.Type.UTCTIME) return asn1.utcTimeToDate(v);
  if (node!.type === asn1.Type.GENERALIZEDTIME) return asn1.generalizedTimeToDate(v);
  throw new Error('geen tijd');
}

export const OID_EMAIL_PROTECTION = '1.3.6.1.5.5.7.3.4';
export const OID_ANY_EKU = '2.5.29.37.0';
const OID_KEY_USAGE = '2.5.29.15';
const OID_EXT_KEY_USAGE = '2.5.29.37';
/** RFC 4262: sMIMECapabilities (RFC 8551 2.5.2) as a certificate extension. */
export const OID_SMIME_CAPABILITIES = '1.2.840.113549.1.9.15';

/** RFC 5280 4.2.1.3 bit positions. */
export const KEY_USAGE = { digitalSignature: 0, nonRepudiation: 1, keyEncipherment: 2 } as const;

export interface CertificaatVelden {
  /** Issuer Name and serial INTEGER nodes, as encoded: RFC 5652 5.3 matches on them. */
  issuer: Asn1;
  serial: Asn1;
  serialHex: string;
  subjectDer: Buffer;
  notBefore: Date;
  notAfter: Date;
  /** undefined: no keyUsage extension (any use). */
  keyUsage: ((bit: number) => boolean) | undefined;
  /** undefined: no EKU extension (any purpose, RFC 5280 4.2.1.12). */
  extKeyUsage: string[] | undefined;
  /** The S/MIME capabilities the certificate announces, most preferred first; undefined: none announced. */
  smimeCapabilities: SmimeCapability[] | undefined;
}

/** RFC 8551 2.5.2 SMIMECapability: an algorithm OID and its optional parameters. */
export interface SmimeCapability {
  oid: string;
  parameters: Asn1 | undefined;
}

function extensies(tbs: Asn1[]): Map<string, Asn1> {
  const map = new Map<string, Asn1>();
  const blok = tbs.find((n) => n.tagClass === asn1.Class.CONTEXT_SPECIFIC && n.type === 3);
  const lijst = (blok?.value as Asn1[] | undefined)?.[0]?.value as Asn1[] | undefined;
  for (const ext of lijst ?? []) {
    const delen = ext.value as Asn1[];
    const id = asn1.derToOid(delen[0]!.value as string);
    const waarde = delen[delen.length - 1]!.value as string; // extnValue OCTET STRING, after optional critical
    map.set(id, fromDer(waarde, { decodeBitStrings: false }));
  }
  return map;
}

/** SMIMECapabilities ::= SEQUENCE OF SEQUENCE { capabilityID OID, parameters ANY OPTIONAL }; malformed entries are ignored. */
function leesCapabilities(node: Asn1): SmimeCapability[] {
  if (!Array.isArray(node.value)) return [];
  return (node.value as Asn1[]).flatMap((cap) => {
    const [id, parameters] = Array.isArray(cap.value) ? (cap.value as Asn1[]) : [];
    if (id?.type !== asn1.Type.OID || typeof id.value !== 'string') return [];
    return [{ oid: asn1.derToOid(id.value), parameters }];
  });
}

export function leesCertificaat(der: Buffer): CertificaatVelden {
  const tbs = ((leesDer(der).value as Asn1[])[0]!.value as Asn1[]);
  const i = tbs[0]!.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0; // [0] version
  const [serial, , issuer, validity, subject] = tbs.slice(i) as [Asn1, Asn1, Asn1, Asn1, Asn1];
  const [notBefore, notAfter] = validity.value as Asn1[];
  const ext = extensies(tbs);

  const ku = ext.get(OID_KEY_USAGE);
  const kuBytes = ku ? Buffer.from((ku.value as string).slice(1), 'binary') : undefined;
  const eku = ext.get(OID_EXT_KEY_USAGE);
  const caps = ext.get(OID_SMIME_CAPABILITIES);
  return {
    issuer,
    serial,
    serialHex: forge.util.bytesToHex(serial.value as string),
    subjectDer: derVan(subject),
    notBefore: tijdVan(notBefore),
    notAfter: tijdVan(notAfter),
    keyUsage: kuBytes ? (bit) => ((kuBytes[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) !== 0 : undefined,
    extKeyUsage: eku ? (eku.value as Asn1[]).map((n) => asn1.derToOid(n.value as string)) : undefined,
    smimeCapabilities: caps ? leesCapabilities(caps) : undefined,
  };
}

/** Each PEM block of a type, from one string that may hold several. */
export function pemBlokken(pem: string, type: string): string[] {
  const re = new RegExp(`-----BEGIN ${type}-----[\\s\\S]*?-----END ${type}-----`, 'g');
  return pem.match(re) ?? [];
}

/**
 * Remember the results of a pure parse (keyed by its PEM input): key material changes rarely and
 * parsing it in JavaScript costs more than the RSA work itself. Bounded, least recently used out.
 */
export function onthoud<A extends string[], R>(fn: (...args: A) => R, max = 64): (...args: A) => R {
  const cache = new Map<string, R>();
  return (...args: A) => {
    const sleutel = args.join('\u0000');
    if (cache.has(sleutel)) {
      const r = cache.get(sleutel) as R;
      cache.delete(sleutel);
      cache.set(sleutel, r);
      return r;
    }
    const r = fn(...args);
    cache.set(sleutel, r);
    if (cache.size > max) cache.delete(cache.keys().next().value!);
    return r;
  };
}
