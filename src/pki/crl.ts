// Reads the validity window of a CRL. OpenSSL does the signature and revocation checks in the
// handshake; we only need nextUpdate to report freshness and fail closed when it has passed.
import forge from 'node-forge';

export interface CrlInfo {
  thisUpdate: Date;
  nextUpdate: Date | undefined;
}

function tijd(node: forge.asn1.Asn1): Date {
  const v = node.value as string;
  return node.type === forge.asn1.Type.UTCTIME ? forge.asn1.utcTimeToDate(v) : forge.asn1.generalizedTimeToDate(v);
}

export function leesCrl(pem: string): CrlInfo {
  const msg = forge.pem.decode(pem).find((m) => m.type === 'X509 CRL');
  if (!msg) throw new Error('geen X509 CRL in PEM');
  const certList = forge.asn1.fromDer(msg.body);
  const tbs = (certList.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[];
  // TBSCertList: [version] signature issuer thisUpdate [nextUpdate] ...
  let i = tbs[0]!.type === forge.asn1.Type.INTEGER ? 1 : 0;
  i += 2;
  const thisUpdate = tijd(tbs[i]!);
  const next = tbs[i + 1];
  const isTijd = next && (next.type === forge.asn1.Type.UTCTIME || next.type === forge.asn1.Type.GENERALIZEDTIME);
  return { thisUpdate, nextUpdate: isTijd ? tijd(next) : undefined };
}

export function crlVers(info: CrlInfo, nu: Date): boolean {
  return info.nextUpdate !== undefined && nu < info.nextUpdate && info.thisUpdate <= new Date(nu.getTime() + 5 * 60_000);
}
