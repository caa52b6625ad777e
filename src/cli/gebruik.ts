// What every `signaalbrug` subcommand shares: the usage error (exit code 2) and parsing of the
// values people type on a command line, each refused with a message that names the option.
import { eindeVanDag, isGeldigeDatum } from '../domain/werkdagen.js';

export class GebruikFout extends Error {}

/** An ISO-8601 instant (`2026-11-23T10:00:00Z`, with offset) or a date (its start, Europe/Amsterdam). */
export function tijdstip(s: string | undefined, optie: string): Date | undefined {
  if (s === undefined) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/.exec(s);
  const dagErvoor = () => new Date(Date.parse(`${s}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const d = m?.[2] ? new Date(s) : m && isGeldigeDatum(m[1]!) ? eindeVanDag(dagErvoor()) : new Date(NaN);
  if (!m || !isGeldigeDatum(m[1]!) || Number.isNaN(d.getTime()))
    throw new GebruikFout(`--${optie}: geen geldig ISO-8601 tijdstip (bijvoorbeeld 2026-11-23T10:00:00Z): ${s}`);
  return d;
}

export function verplicht(waarde: string | undefined, optie: string, gebruik: string): string {
  if (waarde === undefined || waarde.trim() === '') throw new GebruikFout(`--${optie} ontbreekt\ngebruik: ${gebruik}`);
  return waarde.trim();
}

export function jaNee(s: string | undefined, optie: string): boolean | null | undefined {
  if (s === undefined) return undefined;
  if (s === 'ja') return true;
  if (s === 'nee') return false;
  if (s === 'onbekend') return null;
  throw new GebruikFout(`--${optie}: ja, nee of onbekend, niet ${s}`);
}
