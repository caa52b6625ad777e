// Small helpers every Redis repository shares: a stable fingerprint of a value, and the one place
// where a failure of Redis itself becomes the 503 problem callers see.
import { SignaalbrugError } from '../errors.js';

/** Canonical JSON (sorted keys) so the same melding always has the same fingerprint. */
export function canoniek(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canoniek).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canoniek((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/**
 * Run a Redis call; any failure of Redis itself becomes a 503 problem. A write whose reply was lost
 * may still have landed, which is safe: the caller retries and gets the idempotent replay.
 */
export async function opslag<T>(werk: () => Promise<T>): Promise<T> {
  try {
    return await werk();
  } catch (err) {
    if (err instanceof SignaalbrugError) throw err;
    throw new SignaalbrugError('SB_OPSLAG_ONBEREIKBAAR', 'de opslag is tijdelijk niet bereikbaar; probeer het later opnieuw', undefined, err);
  }
}
