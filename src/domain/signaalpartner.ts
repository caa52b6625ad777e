// Who may send a signal, and which soorten each kind of partner sends. The partner types are DDAS's
// EnumSignaalpartner (Uitwisselmodel Vroegsignalering v0.9, vendor/ddas/); the ones with a data set
// here are those the Besluit gemeentelijke schuldhulpverlening names as fixed-cost creditors: landlords
// (Huur), energy companies (Energie), drinking-water companies (Water) and health insurers (Zorg).

/** Every signal partner type DDAS knows (EnumSignaalpartner), spelled as DDAS spells it. */
export const DDAS_SIGNAALPARTNERS = [
  'Energie', 'Huur', 'Hypotheek', 'CAK Zorgverzekeringen', 'Zorg', 'Water', 'DUO', 'Belastingdienst', 'CAK Eigen bijdrage', 'Overige', 'Dienst Toeslagen',
] as const;
export type DdasSignaalpartner = (typeof DDAS_SIGNAALPARTNERS)[number];

/** The types that have a data set in this service: Huur is the corporations' melding, the others a signal. */
export const SIGNAALPARTNERS = ['Huur', 'Energie', 'Water', 'Zorg'] as const satisfies readonly DdasSignaalpartner[];
export type Signaalpartner = (typeof SIGNAALPARTNERS)[number];
/** The partners that send a signal rather than a corporation's melding. */
export type Vastelastenpartner = Exclude<Signaalpartner, 'Huur'>;
export const VASTELASTENPARTNERS = ['Energie', 'Water', 'Zorg'] as const satisfies readonly Vastelastenpartner[];

/**
 * The soorten of a signal, one per partner (DDAS: energy and water from 30 days of arrears, health
 * insurance premium from 30 to 100 days). Each soort belongs to exactly one partner type, so a case's
 * soort tells its partner type without storing it.
 */
export const SIGNAALSOORTEN_PER_PARTNER = {
  Energie: ['betalingsachterstand-energie'],
  Water: ['betalingsachterstand-water'],
  Zorg: ['premieachterstand-zorgverzekering'],
} as const satisfies Record<Vastelastenpartner, readonly string[]>;
export const SIGNAALSOORTEN = [
  ...SIGNAALSOORTEN_PER_PARTNER.Energie, ...SIGNAALSOORTEN_PER_PARTNER.Water, ...SIGNAALSOORTEN_PER_PARTNER.Zorg,
] as const;
export type Signaalsoort = (typeof SIGNAALSOORTEN)[number];

/** The partner type of a signal soort. */
export function partnerVanSignaalsoort(soort: Signaalsoort): Vastelastenpartner {
  return VASTELASTENPARTNERS.find((p) => (SIGNAALSOORTEN_PER_PARTNER[p] as readonly string[]).includes(soort))!;
}

/** How the person a signal is about is called, per partner type (mails and pages never say "huurder" for them). */
export const BETROKKENE_NOEMER: Record<Signaalpartner, { enkelvoud: string; hoofdletter: string }> = {
  Huur: { enkelvoud: 'huurder', hoofdletter: 'Huurder' },
  Energie: { enkelvoud: 'klant', hoofdletter: 'Klant' },
  Water: { enkelvoud: 'klant', hoofdletter: 'Klant' },
  Zorg: { enkelvoud: 'verzekerde', hoofdletter: 'Verzekerde' },
};

/** What the partner is, in a sentence ("Energie Noord-Holland, energieleverancier, meldt ..."). */
export const PARTNER_OMSCHRIJVING: Record<Signaalpartner, string> = {
  Huur: 'woningcorporatie',
  Energie: 'energieleverancier',
  Water: 'drinkwaterbedrijf',
  Zorg: 'zorgverzekeraar',
};
