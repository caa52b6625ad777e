// Stable error codes with their HTTP status and Dutch title, in the manner of nodemailer's lib/errors.js.
// Every error a caller can see is one of these; src/http/problem.ts turns them into problem+json.
import type { InvalidParam } from './domain/invoerfouten.js';

export const FOUTCODES = {
  SB_ONGELDIGE_INVOER: { status: 400, title: 'Ongeldige invoer' },
  SB_POSTCODE_BUITEN_WERKGEBIED: { status: 400, title: 'Postcode buiten werkgebied' },
  SB_GEEN_CERTIFICAAT: { status: 401, title: 'Geen geldig clientcertificaat' },
  SB_ONBEKENDE_ORGANISATIE: { status: 403, title: 'Onbekende organisatie' },
  SB_ROL_NIET_TOEGESTAAN: { status: 403, title: 'Niet toegestaan voor deze organisatie' },
  SB_NIET_GEVONDEN: { status: 404, title: 'Niet gevonden' },
  SB_METHODE_NIET_TOEGESTAAN: { status: 405, title: 'Methode niet toegestaan' },
  SB_TE_TRAAG: { status: 408, title: 'Verzoek niet op tijd ontvangen' },
  SB_CONFLICT: { status: 409, title: 'Conflict' },
  SB_TE_GROOT: { status: 413, title: 'Verzoek te groot' },
  SB_MEDIATYPE: { status: 415, title: 'Mediatype niet ondersteund' },
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
