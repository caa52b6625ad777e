// How a case's events are kept (lines of its hash field `gebeurtenissen`): compactly, since they
// stay for the case's whole life (years, when the retention term is long) and a million open cases
// hold several each. Writing keeps the event's own keys and order but spells the keys the domain
// writes on every event in one letter, the moment `op` as epoch milliseconds (when that reads back as
// the same ISO string), the kinds of event, message and channel as numbers and the delivery's TLS
// statement as a code. Reading restores the event exactly as the domain built it, and still reads
// events written before the compact form (plain JSON, as retention's Lua script writes its own
// event) or before the numbers.
import type { Gebeurtenis } from '../domain/overgangen.js';

/** The mark of the compact form: a plain event is a JSON object and starts with `{`. */
const COMPACT = '~';

/** One-letter names of the keys the domain writes most; any other key is kept as it is. */
const KORT: Record<string, string> = {
  soort: 's', op: 'o', bericht: 'b', kanaal: 'k', ontvanger: 'r', poging: 'p', smtpAntwoord: 'a', tls: 't', messageId: 'm',
  door: 'd', reden: 'n', versleuteld: 'v',
};
const LANG: Record<string, string> = Object.fromEntries(Object.entries(KORT).map(([l, k]) => [k, l]));

/** Values written on every delivery, by their code. */
const WAARDEN: Record<string, string> = { 'STARTTLS (TLS 1.2+ vereist, certificaat gecontroleerd)': '1' };
const CODES: Record<string, string> = Object.fromEntries(Object.entries(WAARDEN).map(([w, c]) => [c, w]));

/**
 * The domain's names for kinds of event, message and channel, written as a number: its place in
 * this list, counting from 1. The domain's values are always text, so a number is always a code,
 * and an event written before with the text reads as before. The lists only grow at their end: a
 * code once written keeps its meaning.
 */
const GETALLEN: Record<string, readonly string[]> = {
  soort: ['ontvangen', 'verzonden', 'bericht-verzonden', 'bezorgpoging-mislukt', 'bezorging-mislukt', 'gelezen', 'herinnering-verzonden',
    'waarschuwing', 'termijn-verstreken', 'link-vergrendeld', 'teruggekoppeld', 'terugkoppeling-gewijzigd', 'geescaleerd', 'escalatie-opgepakt',
    'escalatie-uitkomst', 'tweede-escalatie', 'aanvulling', 'ingetrokken', 'afgesloten', 'gegevens-verwijderd'],
  bericht: ['melding-aan-wijkteam', 'herinnering', 'escalatie', 'ontruimingsdatum', 'intrekking', 'terugkoppeling', 'notificatie-beveiligd-bericht',
    'toegangscode', 'aanvulling', 'signaal-aan-wijkteam'],
  kanaal: ['smime', 'pgp', 'beveiligde-link', 'portaal', 'werkplek', 'api', 'cli'],
};
const GETAL: Record<string, Record<string, number>> = Object.fromEntries(
  Object.entries(GETALLEN).map(([sleutel, lijst]) => [sleutel, Object.fromEntries(lijst.map((w, i) => [w, i + 1]))]));

/** The stored text of one event. */
export function gebeurtenisTekst(g: Gebeurtenis): string {
  const uit: Record<string, unknown> = {};
  for (const [sleutel, waarde] of Object.entries(g)) {
    // A one-letter key of the event's own would read back as a long one: keep such an event as it is.
    if (sleutel.length === 1) return JSON.stringify(g);
    if (sleutel === 'op' && typeof waarde === 'string') {
      const ms = Date.parse(waarde);
      uit.o = Number.isFinite(ms) && new Date(ms).toISOString() === waarde ? ms : waarde;
    } else if (sleutel === 'tls' && typeof waarde === 'string' && WAARDEN[waarde]) uit.t = WAARDEN[waarde];
    else uit[KORT[sleutel] ?? sleutel] = (typeof waarde === 'string' && GETAL[sleutel]?.[waarde]) || waarde;
  }
  return COMPACT + JSON.stringify(uit);
}

/** The event of one list entry, in either form. */
export function uitGebeurtenisTekst(tekst: string): Gebeurtenis {
  if (!tekst.startsWith(COMPACT)) return JSON.parse(tekst) as Gebeurtenis;
  const g: Record<string, unknown> = {};
  for (const [sleutel, waarde] of Object.entries(JSON.parse(tekst.slice(COMPACT.length)) as Record<string, unknown>)) {
    const lang = LANG[sleutel] ?? sleutel;
    g[lang] = lang === 'op' && typeof waarde === 'number' ? new Date(waarde).toISOString()
      : lang === 'tls' && typeof waarde === 'string' && CODES[waarde] ? CODES[waarde]
      : typeof waarde === 'number' && GETALLEN[lang]?.[waarde - 1] !== undefined ? GETALLEN[lang]![waarde - 1] : waarde;
  }
  return g as Gebeurtenis;
}

/**
 * A case's event texts, oldest first: those of the list key it had before (events went there while
 * it existed) and then the lines of its field `gebeurtenissen` (a compact or JSON event never holds
 * a raw newline: JSON escapes it).
 */
export function gebeurtenisRegels(lijst: readonly string[] | null | undefined, regels: string | null | undefined): string[] {
  return regels ? [...(lijst ?? []), ...regels.split('\n')] : [...(lijst ?? [])];
}
