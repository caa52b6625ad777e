// JSON logs (pino) with personal data redacted centrally: whatever a log call passes, these paths
// never reach stdout. Our own log calls pass ids and codes only; this is the safety net.
import { pino, type Logger, type LoggerOptions } from 'pino';

/** Every field of the melding and the terugkoppeling that says something about a person (004 Bijlage 2). */
const PERSOONLIJK = [
  'gegevens', 'huurder', 'adres', 'melding', 'terugkoppeling', 'huishouden', 'achterstand', 'toestemming', 'relatienummer', 'voorletters',
  'tussenvoegsel', 'achternaam', 'geboortedatum', 'telefoonnummer', 'emailadres', 'straatnaam', 'huisnummer', 'huisnummertoevoeging',
  'postcode', 'woonplaats', 'ontruimingsdatum', 'wilHulp', 'nietOpgepakt', 'referentie',
];

// Up to three levels deep (pino's wildcards match one level each), plus request bodies and credentials.
export const REDACT_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["set-cookie"]', 'body', '*.body',
  ...PERSOONLIJK.flatMap((v) => [v, `*.${v}`, `*.*.${v}`]),
];

export function loggerOpties(level = process.env.LOG_LEVEL ?? 'info'): LoggerOptions {
  return {
    level,
    base: { service: 'signaalbrug' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: '[verwijderd]' },
  };
}

export function createLogger(destination?: NodeJS.WritableStream, level?: string): Logger {
  return destination ? pino(loggerOpties(level), destination) : pino(loggerOpties(level));
}
