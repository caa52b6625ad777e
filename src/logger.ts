// JSON logs (pino) with personal data redacted centrally: whatever a log call passes, these fields
// never reach stdout. Our own log calls pass ids and codes only; this is the safety net.
import { pino, type Logger, type LoggerOptions } from 'pino';

/** Every field of the melding and the terugkoppeling that says something about a person (004 Bijlage 2). */
const PERSOONLIJK = [
  'gegevens', 'huurder', 'adres', 'melding', 'terugkoppeling', 'huishouden', 'achterstand', 'toestemming', 'relatienummer', 'voorletters',
  'tussenvoegsel', 'achternaam', 'geboortedatum', 'telefoonnummer', 'emailadres', 'straatnaam', 'huisnummer', 'huisnummertoevoeging',
  'postcode', 'woonplaats', 'ontruimingsdatum', 'wilHulp', 'nietOpgepakt', 'referentie',
];

/** Field names whose values are never logged, at any depth: personal data, request bodies and credentials. */
export const GEHEIME_VELDEN: ReadonlySet<string> = new Set([...PERSOONLIJK, 'body', 'authorization', 'cookie', 'set-cookie']);

const CENSUUR = '[verwijderd]';
const MAX_DIEPTE = 8;

/**
 * The log object with every secret field replaced, at any depth. Copy on write: an object without
 * secrets is returned as it is, so the usual small log object costs one walk over its keys. Class
 * instances other than errors (a Fastify request, a socket) are left to pino's serializers, which
 * pick safe fields from them.
 */
export function schoon(waarde: unknown, diepte = 0): unknown {
  if (waarde === null || typeof waarde !== 'object') return waarde;
  if (diepte >= MAX_DIEPTE) return '[te diep]';
  if (Array.isArray(waarde)) {
    let uit: unknown[] | undefined;
    waarde.forEach((w, i) => {
      const s = schoon(w, diepte + 1);
      if (s !== w) (uit ??= [...waarde])[i] = s;
    });
    return uit ?? waarde;
  }
  const proto = Object.getPrototypeOf(waarde) as object | null;
  const isFout = waarde instanceof Error;
  if (proto !== Object.prototype && proto !== null && !isFout) return waarde;
  const bron = waarde as Record<string, unknown>;
  let uit: Record<string, unknown> | undefined;
  for (const k of Object.keys(bron)) {
    const w = bron[k];
    const s = GEHEIME_VELDEN.has(k) ? CENSUUR : schoon(w, diepte + 1);
    if (s === w) continue;
    uit ??= isFout ? { type: (waarde as Error).name, message: (waarde as Error).message, stack: (waarde as Error).stack, ...bron } : { ...bron };
    uit[k] = s;
  }
  return uit ?? waarde;
}

export function loggerOpties(level = process.env.LOG_LEVEL ?? 'info'): LoggerOptions {
  return {
    level,
    base: { service: 'signaalbrug' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { log: (object) => schoon(object) as Record<string, unknown> },
  };
}

export function createLogger(destination?: NodeJS.WritableStream, level?: string): Logger {
  return destination ? pino(loggerOpties(level), destination) : pino(loggerOpties(level));
}
