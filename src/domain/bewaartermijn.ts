// When the personal data of a case must go (003 "Bewaartermijnen"; docs/domein.md: the adapter is a
// conduit, not the case file). Pure: the moment in ms, from the end of the case and its outcome.
const DAG = 86_400_000;

export interface Bewaarbeleid {
  bewaartermijnDagen: number;
  weigeringBewaartermijnDagen: number;
  uiterlijkeBewaartermijnDagen: number;
}

/** After the case ended (afgesloten, ingetrokken, teruggekoppeld). */
export function verwijderNaEinde(beleid: Bewaarbeleid, einde: Date, uitkomst: { wilHulp?: boolean | null } = {}): number {
  // 003: data of people who refused help, at most 6 months (never longer than the normal term).
  const dagen = uitkomst.wilHulp === false
    ? Math.min(beleid.weigeringBewaartermijnDagen, beleid.bewaartermijnDagen)
    : beleid.bewaartermijnDagen;
  return einde.getTime() + dagen * DAG;
}

/** The cap from receipt: also a case that never ends (no feedback, never withdrawn) is not kept forever. */
export function verwijderUiterlijk(beleid: Bewaarbeleid, ontvangen: Date): number {
  return ontvangen.getTime() + beleid.uiterlijkeBewaartermijnDagen * DAG;
}
