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

export function invalidParams(issues: readonly z.core.$ZodIssue[]): InvalidParam[] {
  const out: InvalidParam[] = [];
  for (const issue of issues) {
    const prefix = pad(issue.path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        out.push({ name: naam(prefix, key), reason: weigeringsreden(key) ?? 'onbekend veld: niet toegestaan' });
    } else if (issue.code === 'invalid_type' && issue.input === undefined) {
      out.push({ name: prefix, reason: 'verplicht veld ontbreekt' });
    } else {
      out.push({ name: prefix || '(body)', reason: issue.message });
    }
  }
  return out;
}
