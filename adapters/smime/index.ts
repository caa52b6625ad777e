// S/MIME delivery (RFC 8551): the inner entity is signed first, then the signed entity is enveloped
// for the recipient, so only the recipient learns who signed what (RFC 8551 3.6).
import { KanaalFout, type Bezorgkanaal } from '../kanaal.js';
import { base64Regels, binnenEntiteit, buitenBericht, contentKop } from '../mime.js';
import { ondertekend, versleuteld, voorkeurUit, type Inhoudversleuteling, type KeyTransport } from './cms.js';
import { controleerAfzender, controleerOntvangerCertificaat } from './controle.js';

export { controleerOntvangerCertificaat, type Vertrouwen } from './controle.js';

export interface SmimeOpties {
  /** PEM certificate of the recipient mailbox. */
  ontvangerCertificaat: string;
  /** PEM certificate of the service's signing identity. */
  afzenderCertificaat: string;
  /** PEM private key (RSA) belonging to afzenderCertificaat. */
  afzenderSleutel: string;
  /** PEM CA certificates the recipient certificate must be issued by. */
  ca: string[];
  /** PEM CRLs; a current one is required for the recipient's CA. */
  crl: string[];
  /**
   * rsa-pkcs1 (RSA PKCS#1 v1.5) or rsa-oaep (RSAES-OAEP, SHA-256, MGF1-SHA-256). Unset: what the
   * recipient certificate's S/MIME capabilities announce, else rsa-pkcs1, which every receiver opens.
   */
  keyTransport?: KeyTransport;
  /** aes-256-cbc (EnvelopedData) or aes-256-gcm (AuthEnvelopedData, RFC 5083). Unset: as announced, else aes-256-cbc. */
  inhoud?: Inhoudversleuteling;
  nu?: Date;
}

const CRLF = '\r\n';

/** RFC 8551 3.2: an application/pkcs7-mime entity around CMS DER. */
function pkcs7Mime(smimeType: string, der: Buffer): { contentType: string; koppen: string[]; body: string } {
  return {
    contentType: contentKop('Content-Type', 'application/pkcs7-mime', { 'smime-type': smimeType, name: 'smime.p7m' }),
    koppen: ['Content-Transfer-Encoding: base64', contentKop('Content-Disposition', 'attachment', { filename: 'smime.p7m' })],
    body: base64Regels(der),
  };
}

export const smime: Bezorgkanaal<SmimeOpties> = {
  naam: 'smime',
  async bouw(inhoud, adressering, opties) {
    const nu = opties.nu ?? new Date();
    const { keyTransport, inhoud: gevraagd } = opties;
    if (keyTransport !== undefined && keyTransport !== 'rsa-oaep' && keyTransport !== 'rsa-pkcs1') {
      throw new KanaalFout('SB_SLEUTEL_ONGESCHIKT', `onbekend keyTransport ${String(keyTransport)}`);
    }
    if (gevraagd !== undefined && gevraagd !== 'aes-256-cbc' && gevraagd !== 'aes-256-gcm') {
      throw new KanaalFout('SB_SLEUTEL_ONGESCHIKT', `onbekende inhoudversleuteling ${String(gevraagd)}`);
    }
    const ontvanger = controleerOntvangerCertificaat(opties.ontvangerCertificaat, { ca: opties.ca, crl: opties.crl, nu });
    const afzender = controleerAfzender(opties.afzenderCertificaat, opties.afzenderSleutel, nu);
    // Configured per recipient wins; otherwise the certificate's announcement, otherwise the default.
    const aangekondigd = voorkeurUit(ontvanger.velden.smimeCapabilities);
    const transport = keyTransport ?? aangekondigd.transport;
    const algoritme = gevraagd ?? aangekondigd.inhoud;

    // RFC 8551 3.5.2 opaque signing: the signed entity travels whole inside the envelope.
    const getekend = pkcs7Mime('signed-data', ondertekend(binnenEntiteit(inhoud, adressering), afzender, nu));
    const getekendeEntiteit = [getekend.contentType, ...getekend.koppen, '', getekend.body].join(CRLF);
    const envelop = versleuteld(Buffer.from(getekendeEntiteit, 'utf8'), ontvanger, transport, algoritme);
    // RFC 8551 3.2.2: AuthEnvelopedData is announced as smime-type=authEnveloped-data.
    const smimeType = algoritme === 'aes-256-gcm' ? 'authEnveloped-data' : 'enveloped-data';
    return buitenBericht(adressering, pkcs7Mime(smimeType, envelop));
  },
};
