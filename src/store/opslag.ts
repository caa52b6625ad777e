// Small helpers every Redis repository shares: a stable fingerprint of a value, and the one place
// where a failure of Redis becomes the problem callers see: 503 when Redis is away (a retry helps),
// 500 when Redis refused the command itself (a retry never helps).
import { SignaalbrugError } from '../errors.js';
import { isVerbindingsfout } from './redis.js';

/** Canonical JSON (sorted keys) so the same melding always has the same fingerprint. */
export function canoniek(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canoniek).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canoniek((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** ioredis's own words for a connection that is gone, not yet back, or too slow to answer. */
const ONBEREIKBAAR = [
  "Stream isn't writeable and enableOfflineQueue options is false", 'Command timed out', 'connect ETIMEDOUT', 'Socket timeout',
];
/** ioredis's errors for commands lost with their connection (AbortError and MaxRetriesPerRequestError). */
const AFGEBROKEN = new Set(['AbortError', 'InterruptError', 'MaxRetriesPerRequestError']);
/** Redis replies that say "not now" (loading after a restart, a script running long, a failover, full memory). */
const TIJDELIJK = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|READONLY|NOREPLICAS|MISCONF|OOM)\b/;

/** Whether a failed command says Redis is away or busy for now (503) rather than that it refused the command (500). */
export function isStoring(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (isVerbindingsfout(err) || AFGEBROKEN.has(err.name) || ONBEREIKBAAR.some((m) => err.message.startsWith(m))) return true;
  return err.name === 'ReplyError' && TIJDELIJK.test(err.message);
}

/**
 * Run a Redis call. Redis away becomes a 503 problem with Retry-After: a write whose reply was lost
 * may still have landed, which is safe, because the caller retries and gets the idempotent replay.
 * Any other failure (WRONGTYPE, a script error, a bug of ours) is a 500 without internals: retrying
 * would fail the same way forever. The cause goes along for the log.
 */
export async function opslag<T>(werk: () => Promise<T>): Promise<T> {
  try {
    return await werk();
  } catch (err) {
    if (err instanceof SignaalbrugError) throw err;
    if (isStoring(err))
      throw new SignaalbrugError('SB_OPSLAG_ONBEREIKBAAR', 'de opslag is tijdelijk niet bereikbaar; probeer het later opnieuw', undefined, err);
    throw new SignaalbrugError('SB_INTERN', 'er ging iets mis aan onze kant; het is gelogd', undefined, err);
  }
}

/**
 * A moment as the case hash keeps it: epoch milliseconds (13 digits, which Redis stores as an
 * integer of 8 bytes instead of 24 characters) when that reads back as the very same ISO string,
 * else the string itself.
 */
export function momentVeld(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && new Date(ms).toISOString() === iso ? String(ms) : iso;
}

/** The ISO string of a moment kept by momentVeld (or written as ISO before). */
export function uitMomentVeld(s: string): string;
export function uitMomentVeld(s: string | null | undefined): string | undefined;
export function uitMomentVeld(s: string | null | undefined): string | undefined {
  if (s === null || s === undefined || s === '') return undefined;
  return /^\d+$/.test(s) ? new Date(Number(s)).toISOString() : s;
}
