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
  /** Neutral outer subject: never personal data (CONTRACT.md "Mail"). */
  buitenOnderwerp: string;
}

export interface Bezorgkanaal<Opties> {
  readonly naam: 'smime' | 'pgp' | 'beveiligde-link';
  bouw(inhoud: Inhoud, adressering: Adressering, opties: Opties): Promise<Buffer>;
}

export const KANAALFOUTEN = {
  SB_SLEUTEL_ONTBREEKT: 'no certificate or key for this recipient',
  SB_SLEUTEL_VERLOPEN: 'the recipient certificate or key has expired (or is not yet valid)',
  SB_SLEUTEL_INGETROKKEN: 'the recipient certificate is revoked (CRL) or the key is revoked',
  SB_SLEUTEL_ONBETROUWD: 'the recipient certificate does not chain to a trusted CA',
  SB_SLEUTEL_ONGESCHIKT: 'the key cannot be used for encryption (usage, algorithm or format)',
  SB_AFZENDER_SLEUTEL: 'the service signing key or certificate is missing or unusable',
} as const;

export type Kanaalfoutcode = keyof typeof KANAALFOUTEN;

/** Key material problems are permanent for this message: retrying will not help, an operator must act. */
export class KanaalFout extends Error {
  readonly permanent = true;
  constructor(readonly code: Kanaalfoutcode, detail?: string) {
    super(detail ? `${KANAALFOUTEN[code]}: ${detail}` : KANAALFOUTEN[code]);
  }
}
