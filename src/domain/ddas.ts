// The national data model for vroegsignalering, DDAS (VNG Realisatie, uitwisselspecificatie v0.9),
// where our feedback speaks its terms. The outcome of a case (vroegsignaalzaak.resultaat) is one of
// EnumEindresultaat, in DDAS's own wording. What the sending corporation may learn of it is less:
// DDAS lets the signal partner know a signal was not picked up, but not why when the reason is
// "andere reden"; and the outcome of help (debt counselling, other care) is about the person, not
// about the arrears, so the corporation learns only that the case was picked up and closed
// (convenant 004 Bijlage 2 §6: no content of conversations goes back).

/** EnumEindresultaat, in DDAS's order and wording. */
export const EINDRESULTATEN = [
  'Niet opgepakt: herhaalde melding',
  'Niet opgepakt: onterecht signaal',
  'Inwoner is overleden',
  'Persoon is geen inwoner (meer) in de gemeente',
  'Niet opgepakt: andere reden',
  'Inwoner al bekend bij schuldhulpverlening',
  'Inwoner heeft al een ander lopend traject',
  'Definitief geen contact kunnen krijgen',
  'Geen reactie na eerder contact',
  'Inwoner hoeft geen hulp vanuit vroegsignalering',
  'Inwoner heeft zelf al betaald/betalingsregeling getroffen',
  '(Budget)advies en/of quick fix',
  'Vervolghulp en/of verwijzing financieel',
  'Verwijzing zonder contact',
  'Vervolghulp en/of verwijzing niet financieel',
] as const;
export type Eindresultaat = (typeof EINDRESULTATEN)[number];

/** What the corporation sees of an outcome: the DDAS value itself only where DDAS says it is fed back. */
export const EINDRESULTAAT_VOOR_CORPORATIE = [
  'Niet opgepakt: herhaalde melding',
  'Niet opgepakt: onterecht signaal',
  'Inwoner is overleden',
  'Persoon is geen inwoner (meer) in de gemeente',
  'Niet opgepakt',
  'Opgepakt en afgesloten',
] as const;
export type EindresultaatVoorCorporatie = (typeof EINDRESULTAAT_VOOR_CORPORATIE)[number];

/** The outcomes DDAS feeds back to the signal partner as they are. */
const TERUG_AAN_PARTNER: ReadonlySet<Eindresultaat> = new Set([
  'Niet opgepakt: herhaalde melding', 'Niet opgepakt: onterecht signaal', 'Inwoner is overleden', 'Persoon is geen inwoner (meer) in de gemeente',
]);

export function eindresultaatVoorCorporatie(r: Eindresultaat): EindresultaatVoorCorporatie {
  if (TERUG_AAN_PARTNER.has(r)) return r as EindresultaatVoorCorporatie;
  // DDAS: for "andere reden" the partner may only learn that the signal was not picked up.
  if (r === 'Niet opgepakt: andere reden') return 'Niet opgepakt';
  return 'Opgepakt en afgesloten';
}

/** EnumContactsoort: how a contact attempt was made. */
export const CONTACTSOORTEN = ['Mail', 'Brief', 'SMS/Whatsapp', 'Telefoon', 'Huisbezoek', 'Kaartje', 'Overige', 'Administratief'] as const;
/** EnumDagdeel: part of the day of a contact attempt. */
export const DAGDELEN = ['Ochtend', 'Middag', 'Avond'] as const;
/** EnumSignaalstatus without "Nog niet opgepakt": why a signal was not picked up. */
export const REDENEN_NIET_OPGEPAKT = [
  'Niet opgepakt: herhaalde melding',
  'Niet opgepakt: onterecht signaal',
  'Inwoner is overleden',
  'Persoon is geen inwoner (meer) in de gemeente',
  'Niet opgepakt: andere reden',
] as const;
export type RedenNietOpgepakt = (typeof REDENEN_NIET_OPGEPAKT)[number];

/** What the corporation sees of a reason not to pick up: never the reason when it is "andere reden". */
export function redenVoorCorporatie(r: RedenNietOpgepakt): RedenNietOpgepakt | 'Niet opgepakt' {
  return r === 'Niet opgepakt: andere reden' ? 'Niet opgepakt' : r;
}
