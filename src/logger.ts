// JSON logs (pino) with personal data redacted centrally: whatever a log call passes, these paths
// never reach stdout. Our own log calls pass ids and codes only; this is the safety net.
import { pino, type Logger, type LoggerOptions } from 'pino';

export const REDACT_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["set-cookie"]', 'body', '*.body', 'gegevens', '*.gegevens',
  'huurder', '*.huurder', 'adres', '*.adres', 'melding', '*.melding', 'telefoonnummer', '*.telefoonnummer', 'emailadres', '*.emailadres',
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
