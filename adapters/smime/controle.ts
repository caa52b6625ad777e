// Fail-closed checks on key material before anything is encrypted (docs/contract.md "Mail": a recipient
// whose certificate is missing, expired or revoked gets nothing). Order: readable, valid now,
// chains to a configured CA, not revoked by a current CRL of that CA, fit for S/MIME encryption.
import { X509Certificate, createPrivateKey, createPublicKey, verify, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { crlVers } from '../../src/pki/crl.js';
import { normalizeSerialHex } from '../../src/pki/forge-cert.js';
import { KanaalFout } from '../kanaal.js';
import {
  KEY_USAGE,
  OID_ANY_EKU,
  OID_EMAIL_PROTECTION,
  derVan,
  leesCertificaat,
  leesDer,
  onthoud,
  pemBlokken,
  tijdVan,
  type CertificaatVelden,
} from './certificaat.js';

type Asn1 = forge.asn1.Asn1;

export interface Certificaat {
  x509: X509Certificate;
  velden: CertificaatVelden;
  publicKey: KeyObject;
}

export interface Vertrouwen {
  /** PEM CA certificates the recipient must be issued by. */
  ca: string[];
  /** PEM CRLs; each CA that issued a recipient needs a current one. */
  crl: string[];
  nu: Date;
}

const lees = (pem: string | undefined): Certificaat | undefined => leesPem(pem ?? '');

const leesPem = onthoud((pem: string): Certificaat | undefined => {
  try {
    const blok = pemBlokken(pem, 'CERTIFICATE')[0];
    if (!blok) return undefined;
    const x509 = new X509Certificate(blok);
    return { x509, velden: leesCertificaat(x509.raw), publicKey: x509.publicKey };
  } catch {
    return undefined;
  }
});

function geldigOp(v: CertificaatVelden, nu: Date): boolean {
  return v.notBefore <= nu && nu <= v.notAfter;
}

// RFC 5280 5.1.1.2: CRL signature algorithms we accept, mapped to their digest.
const CRL_DIGEST: Record<string, string> = {
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

interface Crl {
  thisUpdate: Date;
  nextUpdate: Date | undefined;
  serials: Set<string>;
}

/** RFC 5280 5.1: a CRL of `ca`, signature checked; undefined when issued by another CA. */
function leesCrlVan(pem: string, ca: Certificaat): Crl | undefined {
  return leesCrlVanCa(pem, ca.x509.toString());
}

const leesCrlVanCa = onthoud((pem: string, caPem: string): Crl | undefined => {
  const ca = lees(caPem)!;
  const der = Buffer.from(forge.pem.decode(pem)[0]!.body, 'binary');
  const [tbs, algoritme, handtekening] = leesDer(der).value as Asn1[];
  const velden = tbs!.value as Asn1[];
  let i = velden[0]!.type === forge.asn1.Type.INTEGER ? 1 : 0; // optional version
  if (!derVan(velden[i + 1]!).equals(ca.velden.subjectDer)) return undefined;
  const oid = forge.asn1.derToOid((algoritme!.value as Asn1[])[0]!.value as string);
  const digest = CRL_DIGEST[oid];
  const sig = Buffer.from((handtekening!.value as string).slice(1), 'binary');
  if (!digest || !verify(digest, derVan(tbs!), ca.publicKey, sig)) {
    throw new KanaalFout('SB_SLEUTEL_INGETROKKEN', 'CRL van de uitgever heeft geen geldige handtekening');
  }
  i += 2;
  const thisUpdate = tijdVan(velden[i]);
  const t = velden[i + 1]?.type;
  const heeftNext = t === forge.asn1.Type.UTCTIME || t === forge.asn1.Type.GENERALIZEDTIME;
  const nextUpdate = heeftNext ? tijdVan(velden[i + 1]) : undefined;
  const lijst = velden[i + (heeftNext ? 2 : 1)];
  const entries = lijst?.tagClass === forge.asn1.Class.UNIVERSAL ? (lijst.value as Asn1[]) : [];
  const serials = new Set(
    entries.map((e) => normalizeSerialHex(forge.util.bytesToHex((e.value as Asn1[])[0]!.value as string))),
  );
  return { thisUpdate, nextUpdate, serials };
});


function controleerIntrekking(cert: Certificaat, ca: Certificaat, crls: string[], nu: Date): void {
  const vanCa: Crl[] = [];
  for (const pem of crls.flatMap((c) => pemBlokken(c, 'X509 CRL'))) {
    let crl: Crl | undefined;
    try {
      crl = leesCrlVan(pem, ca);
    } catch (err) {
      if (err instanceof KanaalFout) throw err;
      continue; // unreadable CRL text: it cannot vouch for anything, and a missing CRL fails below
    }
    if (crl) vanCa.push(crl);
  }
  // Fail closed: without a current CRL of the issuer, revocation status is unknown.
  if (!vanCa.length) throw new KanaalFout('SB_SLEUTEL_INGETROKKEN', 'geen CRL van de uitgever');
  const serial = normalizeSerialHex(cert.velden.serialHex);
  if (vanCa.some((c) => c.serials.has(serial))) throw new KanaalFout('SB_SLEUTEL_INGETROKKEN', 'certificaat staat op de CRL');
  const nieuwste = vanCa.reduce((a, b) => (b.thisUpdate > a.thisUpdate ? b : a));
  if (!crlVers({ thisUpdate: nieuwste.thisUpdate, nextUpdate: nieuwste.nextUpdate }, nu)) {
    throw new KanaalFout('SB_SLEUTEL_INGETROKKEN', 'CRL verlopen');
  }
}

/** RFC 8550 4.4.2/4.4.4: keyUsage, when present, must allow the use; EKU, when present, emailProtection. */
function geschiktVoorMail(v: CertificaatVelden, bits: number[]): boolean {
  const ku = v.keyUsage;
  const kuOk = !ku || bits.some((b) => ku(b));
  const eku = v.extKeyUsage;
  const ekuOk = !eku || eku.includes(OID_EMAIL_PROTECTION) || eku.includes(OID_ANY_EKU);
  return kuOk && ekuOk;
}

function rsaBits(key: KeyObject): number {
  return key.asymmetricKeyType === 'rsa' ? (key.asymmetricKeyDetails?.modulusLength ?? 0) : 0;
}

export function controleerOntvangerCertificaat(pem: string, vertrouwen: Vertrouwen): Certificaat {
  const cert = lees(pem);
  if (!cert) throw new KanaalFout('SB_SLEUTEL_ONTBREEKT', 'geen leesbaar ontvangercertificaat');
  const { nu } = vertrouwen;
  if (!geldigOp(cert.velden, nu)) {
    throw new KanaalFout('SB_SLEUTEL_VERLOPEN', `geldig van ${cert.velden.notBefore.toISOString()} tot ${cert.velden.notAfter.toISOString()}`);
  }
  const uitgever = vertrouwen.ca
    .flatMap((c) => pemBlokken(c, 'CERTIFICATE'))
    .map(lees)
    .find(
      (ca) =>
        ca !== undefined &&
        ca.x509.ca &&
        geldigOp(ca.velden, nu) &&
        cert.x509.checkIssued(ca.x509) &&
        cert.x509.verify(ca.publicKey),
    );
  if (!uitgever) throw new KanaalFout('SB_SLEUTEL_ONBETROUWD', cert.x509.issuer.replace(/\n/g, ', '));
  controleerIntrekking(cert, uitgever, vertrouwen.crl, nu);
  // RFC 8551 2.2 / RFC 8550 4.4: RSA key transport needs RSA of at least 2048 bits and keyEncipherment.
  if (rsaBits(cert.publicKey) < 2048) throw new KanaalFout('SB_SLEUTEL_ONGESCHIKT', 'geen RSA-sleutel van 2048 bits of meer');
  if (!geschiktVoorMail(cert.velden, [KEY_USAGE.keyEncipherment])) {
    throw new KanaalFout('SB_SLEUTEL_ONGESCHIKT', 'keyUsage/extKeyUsage staat e-mailversleuteling niet toe');
  }
  return cert;
}

export interface Afzender {
  cert: Certificaat;
  sleutel: KeyObject;
}

/** The service's own signing identity; any flaw is an operator matter (SB_AFZENDER_SLEUTEL). */
export function controleerAfzender(certPem: string, sleutelPem: string, nu: Date): Afzender {
  const afzender = afzenderPaar(certPem, sleutelPem);
  const cert = afzender.cert;
  if (!geldigOp(cert.velden, nu)) throw new KanaalFout('SB_AFZENDER_SLEUTEL', 'afzendercertificaat niet geldig');
  return afzender;
}

/** Parsing the key and matching it to the certificate; the time check stays per message. */
const afzenderPaar = onthoud((certPem: string, sleutelPem: string): Afzender => {
  const cert = lees(certPem);
  if (!cert) throw new KanaalFout('SB_AFZENDER_SLEUTEL', 'geen leesbaar afzendercertificaat');
  let sleutel: KeyObject;
  try {
    sleutel = createPrivateKey(sleutelPem);
  } catch {
    throw new KanaalFout('SB_AFZENDER_SLEUTEL', 'geen leesbare afzendersleutel');
  }
  const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'der' });
  if (!spki(createPublicKey(sleutel)).equals(spki(cert.publicKey))) {
    throw new KanaalFout('SB_AFZENDER_SLEUTEL', 'sleutel hoort niet bij het certificaat');
  }
  if (rsaBits(cert.publicKey) < 2048) throw new KanaalFout('SB_AFZENDER_SLEUTEL', 'geen RSA-sleutel van 2048 bits of meer');
  if (!geschiktVoorMail(cert.velden, [KEY_USAGE.digitalSignature, KEY_USAGE.nonRepudiation])) {
    throw new KanaalFout('SB_AFZENDER_SLEUTEL', 'afzendercertificaat staat ondertekenen van e-mail niet toe');
  }
  return { cert, sleutel };
});
