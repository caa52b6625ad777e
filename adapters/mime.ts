// MIME building shared by the encrypting channels: the inner entity that gets signed and encrypted,
// and the outer RFC 5322 message around the ciphertext. Hand-built so every header is deliberate:
// the outer headers are made from the Adressering only, never from the Inhoud (docs/contract.md "Mail").
import { randomBytes } from 'node:crypto';
import { encodeWord, encodeWords, foldLines, quoteString } from 'nodemailer/lib/mime-funcs';
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp';
import type { Adres, Adressering, Inhoud } from './kanaal.js';

const CRLF = '\r\n';

/** A header value must stay on its own line: CR or LF would let a value inject headers. */
function eenRegel(naam: string, waarde: string): string {
  if (/[\r\n\0]/.test(waarde)) throw new TypeError(`${naam} bevat een regeleinde`);
  return waarde;
}

// Conservative addr-spec (RFC 5322 3.4.1 dot-atom form): nothing that needs quoting or could break out of <>.
const ADRES = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+$/;
const ATOMS = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]+$/;

export function adresKop(a: Adres): string {
  const adres = eenRegel('adres', a.adres.trim());
  if (!ADRES.test(adres)) throw new TypeError(`ongeldig e-mailadres: ${adres}`);
  const naam = eenRegel('naam', a.naam.trim());
  if (!naam) return adres;
  // RFC 2047 5(3): non-ASCII display names as encoded-words; RFC 5322 3.2.4: others atoms or quoted.
  const weergave = /[^\x20-\x7e]/.test(naam) ? encodeWord(naam, 'Q', 52) : ATOMS.test(naam) ? naam : quoteString(naam);
  return `${weergave} <${adres}>`;
}

/** RFC 5322 3.3 date-time; toUTCString gives the obsolete "GMT" zone, so write +0000. */
export function datumKop(d: Date): string {
  return d.toUTCString().replace(/GMT$/, '+0000');
}

/** RFC 5322 3.6.4 msg-id, always in angle brackets. */
export function messageIdKop(id: string): string {
  const kaal = eenRegel('messageId', id.trim()).replace(/^<|>$/g, '');
  if (!/^[^<>\s@]+@[^<>\s@]+$/.test(kaal)) throw new TypeError(`ongeldige Message-ID: ${id}`);
  return `<${kaal}>`;
}

/** Unstructured header (RFC 5322 2.2.1), RFC 2047 encoded when not ASCII, folded at 76. */
export function kop(naam: string, waarde: string): string {
  return foldLines(`${naam}: ${encodeWords(eenRegel(naam, waarde), 'Q', 52)}`, 76);
}

// RFC 2045 5.1 token; the RFC 8551 and RFC 2046 examples leave these parameters unquoted.
const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`{|}~-]+$/;
const KALE_PARAMETERS = new Set(['smime-type', 'charset']);

/** A Content-* header with parameters (RFC 2045 5.1), folded between parameters when long. */
export function contentKop(naam: string, waarde: string, params: Record<string, string> = {}): string {
  const delen = Object.entries(params).map(([k, v]) => {
    eenRegel(k, v);
    return `${k}=${KALE_PARAMETERS.has(k) && TOKEN.test(v) ? v : quoteString(v)}`;
  });
  // RFC 5322 2.1.1: fold before a parameter rather than pass 78 characters.
  let regel = `${naam}: ${waarde}`;
  const regels: string[] = [];
  for (const deel of delen) {
    if (regel.length + deel.length + 2 > 76) {
      regels.push(`${regel};`);
      regel = ` ${deel}`;
    } else {
      regel += `; ${deel}`;
    }
  }
  return [...regels, regel].join(CRLF);
}

/**
 * RFC 2046 5.1.1 boundary. "=_" cannot occur in quoted-printable or base64 output, so the
 * boundary can never collide with encoded content.
 */
export function nieuweGrens(): string {
  return `=_sb_${randomBytes(12).toString('hex')}`;
}

/** Any line ending to CRLF: RFC 5322 2.3 and the canonical form that S/MIME signs (RFC 8551 3.1.1). */
export function naarCrlf(s: string): string {
  return s.replace(/\r\n|\r|\n/g, CRLF);
}

function quotedPrintable(tekst: string): string {
  // RFC 2045 6.7: qp keeps CRLF as hard breaks and soft-wraps at 76.
  return naarCrlf(qpWrap(qpEncode(Buffer.from(naarCrlf(tekst), 'utf8')), 76));
}

/** One UTF-8 quoted-printable text part, as every channel uses it. */
export function tekstDeel(type: 'text/plain' | 'text/html', tekst: string): string {
  return [
    contentKop('Content-Type', type, { charset: 'utf-8' }),
    'Content-Transfer-Encoding: quoted-printable',
    '',
    quotedPrintable(tekst),
  ].join(CRLF);
}

/**
 * The entity that is signed and encrypted: multipart/alternative (RFC 2046 5.1.4) with text and HTML.
 * It carries the real Subject, From, To, Date and Message-ID as protected headers
 * (draft-autocrypt-lamps-protected-headers, "protected-headers=v1"); RFC 8551 3.1 likewise lets
 * the protected part hold the headers the outer message must not show.
 */
export function binnenEntiteit(inhoud: Inhoud, adressering: Adressering): Buffer {
  const grens = nieuweGrens();
  const koppen = [
    contentKop('Content-Type', 'multipart/alternative', { boundary: grens, 'protected-headers': 'v1' }),
    kop('Subject', inhoud.onderwerp),
    `From: ${adresKop(adressering.van)}`,
    `To: ${adresKop(adressering.aan)}`,
    `Date: ${datumKop(adressering.datum)}`,
    `Message-ID: ${messageIdKop(adressering.messageId)}`,
  ];
  const tekst = [
    ...koppen,
    '',
    `--${grens}`,
    tekstDeel('text/plain', inhoud.tekst),
    `--${grens}`,
    tekstDeel('text/html', inhoud.html),
    `--${grens}--`,
    '',
  ].join(CRLF);
  return Buffer.from(tekst, 'utf8');
}

export interface BuitenInhoud {
  /** Complete Content-Type header line(s), e.g. from contentKop. */
  contentType: string;
  /** Further Content-* header lines, complete. */
  koppen?: string[];
  /** Body in its transfer encoding, CRLF line endings. */
  body: string;
}

/**
 * The outer RFC 5322 message. Only Adressering reaches these headers: the neutral subject, the
 * addresses and ids. Whatever names the case travels inside the encrypted body.
 */
export function buitenBericht(adressering: Adressering, inhoud: BuitenInhoud): Buffer {
  const koppen = [
    `From: ${adresKop(adressering.van)}`,
    `To: ${adresKop(adressering.aan)}`,
    kop('Subject', adressering.buitenOnderwerp),
    `Date: ${datumKop(adressering.datum)}`,
    `Message-ID: ${messageIdKop(adressering.messageId)}`,
    // RFC 3834 5: machine-made, so vacation responders and other robots do not answer it.
    'Auto-Submitted: auto-generated',
    'MIME-Version: 1.0',
    inhoud.contentType,
    ...(inhoud.koppen ?? []),
  ];
  return Buffer.from(`${koppen.join(CRLF)}${CRLF}${CRLF}${naarCrlf(inhoud.body)}`, 'utf8');
}

/** RFC 2045 6.8: base64 in lines of 76 characters. */
export function base64Regels(data: Buffer): string {
  return (data.toString('base64').match(/.{1,76}/g) ?? []).join(CRLF) + CRLF;
}
