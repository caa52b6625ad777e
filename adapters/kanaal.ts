// The one interface every delivery channel implements (in the manner of nodemailer's transports):
// take rendered content and an addressing, return a complete RFC 5322 message that is encrypted
// for the recipient. Sending it over SMTP is the transport's job (adapters/smtp).
// A channel never falls back to plaintext: unusable key material is a KanaalFout, and no message.

export interface Inhoud {
  /** The real subject; it may name the case, so it travels only inside the encryption. */
  onderwerp: string;
  tekst: string;
  html: string;
}

export interface Adres {
  naam: string;
  adres: string;
}

export interface Adressering {
  van: Adres;
  aan: Adres;
  /** Stable per (melding, message kind, recipient), so retries are recognised, yet opaque (a keyed hash): relays learn no case or kind. */
  messageId: string;
  datum: Date;
  /** Neutral outer subject: never personal data (docs/contract.md "Mail"). */
  buitenOnderwerp: string;
}

export interface Bezorgkanaal<Opties> {
  readonly naam: 'smime' | 'pgp' | 'beveiligde-link';
  bouw(inhoud: Inhoud, adressering: Adressering, opties: Opties): Promise<Buffer>;
}

/** One message for one recipient, as the delivery service hands it to a channel. */
export interface Uitgaand {
  meldingId: string;
  /** The message kind: 'melding-aan-wijkteam' | 'herinnering' | 'escalatie' | 'ontruimingsdatum' | 'intrekking' | 'terugkoppeling' (and later more). */
  bericht: string;
  /** The full message rendered from its template; only channels that carry the content call it. */
  inhoud(): Promise<Inhoud>;
  /** The notification (no personal data) pointing to the portal URL, or without a link (a withdrawal); for notification-only channels. */
  kennisgeving(url: string | null): Inhoud;
}

/** A delivery channel bound to one recipient: what the delivery service calls, whatever the channel. */
export interface Kanaal {
  readonly naam: string;
  /** Why this channel does not carry this kind of message at all (the delivery skips it, it does not fail), or undefined. */
  slaatOver(bericht: string): string | undefined;
  /** The complete RFC 5322 message for the recipient; never plaintext. Throws KanaalFout (coded) on unusable key material or an unsuitable message kind. */
  bouw(u: Uitgaand, adressering: Adressering): Promise<Buffer>;
}

/** A recipient as the config names it (wijkteam, troubleshooter, a corporation's feedback mailbox). */
export interface Ontvanger {
  naam: string;
  mailbox: string;
  bezorging: string;
  /** Paths of the key material. */
  certificaat?: string;
  pgpSleutel?: string;
  keyTransport?: 'rsa-oaep' | 'rsa-pkcs1';
  inhoudVersleuteling?: 'aes-256-cbc' | 'aes-256-gcm';
}

/** What a channel may use besides its recipient: cached key material, the clock and portal links. */
export interface KanaalContext {
  /** Cached key material: file contents by path (throws KanaalFout SB_SLEUTEL_ONTBREEKT when missing/unreadable). */
  lees(pad: string | undefined): string;
  /** Paths of the service's own signing material. */
  afzender: { certificaat: string; sleutel: string; pgpSleutel: string };
  /** Paths of the CAs and CRLs S/MIME recipient certificates are checked against. */
  smimePki: { ca: string[]; crl: string[] };
  klok(): Date;
  /** A fresh secure link to the portal for the melding (the URL); older links of it stop working. */
  nieuweLink(meldingId: string, o?: { herinnering?: boolean }): Promise<string>;
}

export type KanaalMaker = (ontvanger: Ontvanger, ctx: KanaalContext) => Kanaal;

/**
 * What each channel folder exports (see src/kanalen/soorten.ts): how to make its Kanaal for a
 * recipient, and what a recipient on it must have, which the config checks at start (fail closed).
 */
export interface Kanaalsoort {
  readonly maak: KanaalMaker;
  /** The recipient's key material this channel needs. */
  readonly vereist: readonly ('certificaat' | 'pgpSleutel')[];
  /** A channel that holds no key of the recipient's reaches only wijkteams, who read in the portal. */
  readonly alleenWijkteams?: boolean;
}

// The channel's error codes are in the one catalogue of the project (src/errors.ts).
export { KANAALFOUTEN, KanaalFout, type Kanaalfoutcode } from '../src/errors.js';
