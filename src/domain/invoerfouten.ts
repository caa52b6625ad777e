// Turns schema issues into the invalidParams list of NL API Design Rules, and names the fields
// that data minimisation refuses outright so the sender learns *why*, not just "unknown field".
import type { z } from 'zod';

export interface InvalidParam {
  name: string;
  reason: string;
}

const BSN = 'een BSN mag niet worden verwerkt: het is voor dit doel niet nodig (dataminimalisatie, AVG art. 5; convenant Bijlage 2)';
const MEDISCH = 'medische gegevens mogen niet worden gedeeld (convenant Bijlage 1 en 2; bijzondere persoonsgegevens, AVG art. 9)';
const VRIJE_TEKST = 'vrije tekst is niet toegestaan: alleen de gegevens van convenant Bijlage 2 (dataminimalisatie)';

/** Field names refused by name, lower-cased. */
const GEWEIGERD: ReadonlyMap<string, string> = new Map([
  ...['bsn', 'burgerservicenummer', 'sofinummer', 'sofi'].map((k) => [k, BSN] as const),
  ...['medisch', 'medischegegevens', 'medischeinformatie', 'diagnose', 'gezondheid', 'ziekte', 'beperking', 'handicap', 'verslaving', 'ggz', 'medicatie']
    .map((k) => [k, MEDISCH] as const),
  ...['toelichting', 'opmerking', 'opmerkingen', 'notitie', 'notities', 'achtergrond', 'omschrijving', 'beschrijving', 'vrijetekst',
    'memo', 'bijzonderheden', 'reden', 'gespreksverslag', 'verslag', 'inhoud', 'samenvatting', 'commentaar']
    .map((k) => [k, VRIJE_TEKST] as const),
]);

export function weigeringsreden(veld: string): string | undefined {
  return GEWEIGERD.get(veld.toLowerCase());
}

const pad = (p: readonly PropertyKey[]) => p.map(String).join('.');
const naam = (prefix: string, key: string) => (prefix ? `${prefix}.${key}` : key);

/** A path into the input, as zod reports it. */
export type Veldpad = readonly PropertyKey[];

/** Whether an issue says something about the value at `veld`: it lies at, under or above that path. */
function raakt(issue: z.core.$ZodRawIssue, veld: Veldpad): boolean {
  // unrecognized_keys only names extra keys; the object it sits on is parsed all the same.
  if (issue.code === 'unrecognized_keys') return false;
  const plek = issue.path ?? [];
  for (let i = 0; i < Math.min(plek.length, veld.length); i++) if (plek[i] !== veld[i]) return false;
  return true;
}

/**
 * The `when` of a cross-field rule (zod 4 refinement option): run it even if other fields failed, so one
 * 400 lists every error at once (README "The API"), but only when each field it reads parsed cleanly.
 * An issue above a field (a body or parent that is not an object) or on or under it means its value
 * can't be trusted, and the sender already hears about that field.
 */
export function zodraGeldig(...velden: Veldpad[]): (payload: z.core.ParsePayload) => boolean {
  // Loops, not some(): it runs for every rule on every parse, mostly over no issues at all.
  return (payload) => {
    for (const issue of payload.issues) for (const veld of velden) if (raakt(issue, veld)) return false;
    return true;
  };
}

/** At most this many errors are listed; a body of 5000 unknown keys would otherwise get a 294 KB answer. */
export const MAX_INVALID_PARAMS = 50;
/** Names are echoed from the input: a key of 60 000 characters is shortened. */
const MAX_NAAM = 200;
/** The name of the last entry when errors were left out (like "(body)": never a field of the input). */
export const MEER_FOUTEN = '(meer)';

const kort = (s: string) => (s.length > MAX_NAAM ? `${s.slice(0, MAX_NAAM - 1)}…` : s);

/**
 * The first MAX_INVALID_PARAMS errors in input order; when there were more, one last entry named
 * MEER_FOUTEN says how many were left out.
 */
export function invalidParams(issues: readonly z.core.$ZodIssue[]): InvalidParam[] {
  const out: InvalidParam[] = [];
  let totaal = 0;
  const voegToe = (name: string, reason: () => string) => {
    if (++totaal <= MAX_INVALID_PARAMS) out.push({ name: kort(name), reason: reason() });
  };
  for (const issue of issues) {
    const prefix = pad(issue.path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) voegToe(naam(prefix, key), () => weigeringsreden(key) ?? 'onbekend veld: niet toegestaan');
    } else if (issue.code === 'invalid_type' && issue.input === undefined) {
      voegToe(prefix, () => 'verplicht veld ontbreekt');
    } else {
      voegToe(prefix || '(body)', () => issue.message);
    }
  }
  if (totaal > MAX_INVALID_PARAMS)
    out.push({ name: MEER_FOUTEN, reason: `nog ${totaal - MAX_INVALID_PARAMS} fouten niet getoond (hoogstens ${MAX_INVALID_PARAMS} per antwoord; ${totaal} in totaal)` });
  return out;
}
