// Every error code of the project, in one catalogue (in the manner of nodemailer's lib/errors.js):
// the problems a caller can see, with their HTTP status and Dutch title (src/http/problem.ts turns
// them into problem+json); the channels' key material errors; and the reasons a delivery is given up.
import type { InvalidParam } from './domain/invoerfouten.js';

export const FOUTCODES = {
  SB_ONGELDIGE_INVOER: { status: 400, title: 'Ongeldige invoer' },
  SB_POSTCODE_BUITEN_WERKGEBIED: { status: 400, title: 'Postcode buiten werkgebied' },
  SB_GEEN_CERTIFICAAT: { status: 401, title: 'Geen geldig clientcertificaat' },
  SB_ONBEKENDE_ORGANISATIE: { status: 403, title: 'Onbekende organisatie' },
  SB_ROL_NIET_TOEGESTAAN: { status: 403, title: 'Niet toegestaan voor deze organisatie' },
  SB_NIET_INGELOGD: { status: 401, title: 'Niet ingelogd' },
  SB_INLOGGEN_MISLUKT: { status: 403, title: 'Inloggen niet gelukt' },
  SB_TWEEDE_FACTOR_ONTBREEKT: { status: 403, title: 'Tweede factor ontbreekt' },
  SB_CSRF: { status: 403, title: 'Formulier verlopen of ongeldig' },
  SB_NIET_GEVONDEN: { status: 404, title: 'Niet gevonden' },
  SB_METHODE_NIET_TOEGESTAAN: { status: 405, title: 'Methode niet toegestaan' },
  SB_TE_TRAAG: { status: 408, title: 'Verzoek niet op tijd ontvangen' },
  SB_CONFLICT: { status: 409, title: 'Conflict' },
  SB_TE_GROOT: { status: 413, title: 'Verzoek te groot' },
  SB_MEDIATYPE: { status: 415, title: 'Mediatype niet ondersteund' },
  SB_GEEN_CONVENANT: { status: 422, title: 'Geen convenant met deze gemeente' },
  SB_BUITEN_SELECTIE: { status: 422, title: 'Buiten de selectiecriteria van het convenant' },
  SB_TE_VEEL_VERZOEKEN: { status: 429, title: 'Te veel verzoeken' },
  SB_KOPREGELS_TE_GROOT: { status: 431, title: 'Headers te groot' },
  SB_INTERN: { status: 500, title: 'Interne fout' },
  SB_METHODE_ONBEKEND: { status: 501, title: 'Methode niet ondersteund' },
  SB_OPSLAG_ONBEREIKBAAR: { status: 503, title: 'Tijdelijk niet beschikbaar' },
} as const;

export type Foutcode = keyof typeof FOUTCODES;

/**
 * The problem type URI of a code (RFC 9457 3.1.1: the primary identifier of a problem type), in the
 * project's own URN namespace like the verwerkingsregister: SB_NIET_GEVONDEN is
 * urn:signaalbrug:probleem:niet-gevonden. Stable: clients may branch on it.
 */
export function probleemType(code: Foutcode): string {
  return `urn:signaalbrug:probleem:${code.slice(3).toLowerCase().replaceAll('_', '-')}`;
}

export class SignaalbrugError extends Error {
  readonly status: number;
  readonly title: string;

  constructor(
    readonly code: Foutcode,
    readonly detail: string,
    readonly invalidParams?: InvalidParam[],
    cause?: unknown,
  ) {
    super(detail, cause === undefined ? undefined : { cause });
    this.status = FOUTCODES[code].status;
    this.title = FOUTCODES[code].title;
  }
}

/** Why a channel cannot build a message: key material problems, permanent for that message. */
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

/**
 * Why a delivery was given up (`bezorging-mislukt`, the metric's `reden` and the operator alarm):
 * a channel error (above), the mail server's permanent refusal, or every attempt used.
 */
export const BEZORGREDENEN = {
  ...KANAALFOUTEN,
  SMTP_PERMANENT: 'the mail server refused the message permanently (5xx); the reason carries the code, e.g. SMTP_550',
  POGINGEN_OP: 'every attempt failed (temporary errors until the last one) or the job stalled too often',
} as const;

export type Bezorgreden = keyof typeof KANAALFOUTEN | 'POGINGEN_OP' | `SMTP_${number}`;
