// Small shared parts of the privacy officer's, the beheerder's and the figures pages: the posted form
// and the query as plain strings, Amsterdam wall-clock moments from and for `datetime-local` fields,
// the errors of a form as the page shows them (next to the field and in a summary at the top).
import { amsterdamDatum } from '../../../domain/werkdagen.js';
import { datum, tijdstip } from '../weergave.js';

export { amsterdamDatum, datum, tijdstip };

/** The posted form as one string per field (the first, when repeated); nothing else. */
export function formulier(body: unknown): Record<string, string> {
  const uit: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      const w = Array.isArray(v) ? v[0] : v;
      if (typeof w === 'string') uit[k] = w;
    }
  }
  return uit;
}

/** A query parameter as one trimmed string, or undefined when absent or empty. */
export function param(query: unknown, naam: string): string | undefined {
  const v = query && typeof query === 'object' ? (query as Record<string, unknown>)[naam] : undefined;
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s.trim() ? s.trim() : undefined;
}

const WANDTIJD = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

/** A moment as the value of a `datetime-local` field: Amsterdam wall-clock time, `JJJJ-MM-DDTuu:mm`. */
export function alsInvoerMoment(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : WANDTIJD.format(d).replace(' ', 'T');
}

/**
 * The instant of a `datetime-local` value read as Amsterdam wall-clock time; undefined when it is not
 * one, or names a time that does not exist there (the hour skipped when summer time starts). In the
 * hour that occurs twice when it ends, the first (summer time) is meant.
 */
export function leesInvoerMoment(waarde: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2})?$/.exec(waarde.trim());
  if (!m) return undefined;
  const [, j, mo, d, u, mi] = m.map(Number) as number[];
  const alsUtc = Date.UTC(j!, mo! - 1, d!, u!, mi!);
  const gezocht = `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}`;
  for (const uren of [2, 1]) {
    const kandidaat = new Date(alsUtc - uren * 3_600_000);
    if (WANDTIJD.format(kandidaat) === gezocht) return kandidaat;
  }
  return undefined;
}

/** A form's errors per field id, as the page shows them: each next to its field and linked from the summary. */
export function foutoverzicht(fouten: Record<string, string>, labels: Record<string, string>): { href: string; tekst: string }[] | null {
  const lijst = Object.entries(fouten).map(([id, tekst]) => ({ href: `#${id}`, tekst: `${labels[id] ?? id}: ${tekst}` }));
  return lijst.length ? lijst : null;
}

/** A relatienummer as the convenant's corporations use it: letters, digits and -, at most 32. */
export const RELATIENUMMER = /^[A-Za-z0-9-]{1,32}$/;
