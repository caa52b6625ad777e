// The signal a fixed-cost partner other than a corporation sends (energy, drinking water, health
// insurance): only the data the rules allow it (data minimisation). Wet gemeentelijke
// schuldhulpverlening art. 3a and the Besluit gemeentelijke schuldhulpverlening: name, address, contact
// details, the amount owed and since when; for energy and water the Regeling afsluitbeleid adds that the
// supplier tried to reach the customer in person at least twice and offered a payment arrangement
// before it signals (the signal is one of the steps before cutting off supply). Nothing about the home:
// no tenant, household, consent or eviction date, which belong to a corporation's melding (./melding.ts).
import { z } from 'zod';
import '../taal.js';
import { type Veldpad, zodraGeldig } from './invoerfouten.js';
import { adres, datum, huurder, HUURSOORTEN, type Melding, type Soort } from './melding.js';
import {
  partnerVanSignaalsoort, SIGNAALSOORTEN, SIGNAALSOORTEN_PER_PARTNER, type Signaalpartner, type Signaalsoort, type Vastelastenpartner,
} from './signaalpartner.js';

/** The customer: the tenant's identifying fields, with the partner's own customer (or policy) number. */
const klant = huurder.omit({ relatienummer: true, geboortedatum: true }).extend({
  klantnummer: z.string().regex(/^[A-Za-z0-9-]{1,32}$/, 'letters, cijfers en -, hoogstens 32 tekens'),
  geboortedatum: datum.optional(),
});

const achterstand = z.strictObject({
  bedragInCenten: z.number().int().min(1).max(100_000_000),
  /** The due date of the oldest unpaid bill or premium. */
  ontstaanOp: datum,
});

/** Besluit gemeentelijke schuldhulpverlening art. 2: the steps before a creditor may signal. */
const stappenBasis = {
  herinneringVerstuurdOp: datum,
  persoonlijkContactGezocht: z.boolean(),
  gewezenOpSchuldhulp: z.boolean(),
  geenBezwaarKlant: z.boolean(),
};
/** Regeling afsluitbeleid: at least two attempts at personal contact, and a payment arrangement offered. */
const stappenAfsluitbeleid = z.strictObject({
  ...stappenBasis,
  contactpogingen: z.array(datum).min(2, 'minstens twee pogingen tot persoonlijk contact (Regeling afsluitbeleid)').max(10),
  betalingsregelingAangeboden: z.boolean(),
});
const stappenZorg = z.strictObject(stappenBasis);

const referentie = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, cijfers, . _ en -, hoogstens 64 tekens');

function schemaVoor<P extends Vastelastenpartner>(partner: P) {
  return z.strictObject({
    referentie,
    soort: z.enum(SIGNAALSOORTEN_PER_PARTNER[partner] as unknown as readonly [Signaalsoort, ...Signaalsoort[]]),
    klant,
    adres,
    achterstand,
    stappen: partner === 'Zorg' ? stappenZorg : stappenAfsluitbeleid,
  });
}

// Steps the Besluit asks for: each must be true, as for a corporation's melding.
const GEZETTE_STAPPEN = ['persoonlijkContactGezocht', 'gewezenOpSchuldhulp', 'geenBezwaarKlant'] as const;
const GEBOREN_VANAF = '1900-01-01';
const ZAAK_VANAF = '2000-01-01';

type Ruw = z.output<ReturnType<typeof schemaVoor>> & { stappen: { contactpogingen?: string[]; betalingsregelingAangeboden?: boolean } };

function regels(partner: Vastelastenpartner, vandaag?: string) {
  const regel = (pad: Veldpad, message: string, fout: (s: Ruw) => boolean) =>
    z.superRefine<Ruw>((s, ctx) => {
      if (fout(s)) ctx.addIssue({ code: 'custom', path: [...pad], message });
    }, { when: zodraGeldig(pad) });
  const datumIn = (pad: Veldpad, lees: (s: Ruw) => readonly (string | undefined)[], vanaf: string) =>
    z.superRefine<Ruw>((s, ctx) => {
      lees(s).forEach((d, i) => {
        const plek = lees(s).length > 1 || pad.at(-1) === 'contactpogingen' ? [...pad, i] : [...pad];
        if (d === undefined) return;
        if (d < vanaf) ctx.addIssue({ code: 'custom', path: plek, message: `mag niet vóór ${vanaf} liggen` });
        else if (vandaag !== undefined && d > vandaag) ctx.addIssue({ code: 'custom', path: plek, message: `mag niet na vandaag (${vandaag}) liggen` });
      });
    }, { when: zodraGeldig(pad) });
  return [
    ...GEZETTE_STAPPEN.map((k) => regel(['stappen', k], 'moet true zijn: zonder deze stap mag niet worden gesignaleerd (Besluit schuldhulpverlening art. 2)',
      (s) => s.stappen[k] !== true)),
    ...(partner === 'Zorg' ? [] : [regel(['stappen', 'betalingsregelingAangeboden'],
      'moet true zijn: eerst een betalingsregeling aanbieden (Regeling afsluitbeleid)', (s) => s.stappen.betalingsregelingAangeboden !== true)]),
    datumIn(['klant', 'geboortedatum'], (s) => [s.klant.geboortedatum], GEBOREN_VANAF),
    datumIn(['achterstand', 'ontstaanOp'], (s) => [s.achterstand.ontstaanOp], ZAAK_VANAF),
    datumIn(['stappen', 'herinneringVerstuurdOp'], (s) => [s.stappen.herinneringVerstuurdOp], ZAAK_VANAF),
    ...(partner === 'Zorg' ? [] : [datumIn(['stappen', 'contactpogingen'], (s) => s.stappen.contactpogingen ?? [], ZAAK_VANAF)]),
  ];
}

/** The signal schema of each partner type, without the checks against today (for the OpenAPI document). */
export const SIGNAALSCHEMAS = {
  Energie: schemaVoor('Energie').check(...regels('Energie')),
  Water: schemaVoor('Water').check(...regels('Water')),
  Zorg: schemaVoor('Zorg').check(...regels('Zorg')),
} as const;

/** A signal as stored: the partner's data with its partner type, which tells it from a corporation's melding. */
export type Signaal = z.output<(typeof SIGNAALSCHEMAS)[Vastelastenpartner]> & {
  signaalpartner: Vastelastenpartner;
  stappen: { contactpogingen?: string[]; betalingsregelingAangeboden?: boolean };
};
export type SignaalInvoer = z.input<(typeof SIGNAALSCHEMAS)['Energie']>;

/** The personal data of a case: a corporation's melding or another partner's signal. */
export type Gegevens = Melding | Signaal;

/** Whether the case data is a signal of a partner other than a corporation. */
export function isSignaal(g: Gegevens): g is Signaal {
  return 'signaalpartner' in g && g.signaalpartner !== undefined;
}

/** The partner type behind a case's soort. */
export function partnerVanSoort(soort: Soort): Signaalpartner {
  return (HUURSOORTEN as readonly string[]).includes(soort) ? 'Huur' : partnerVanSignaalsoort(soort as Signaalsoort);
}

/** The fields that belong to a corporation's melding only, by path: a signal that carries one is refused by name. */
export const HUURVELDEN: readonly string[] = [
  'huurder', 'huishouden', 'toestemming', 'ontruimingsdatum', 'vorigeMelding', 'stappen.geenBezwaarHuurder', 'achterstand.aantalMaanden',
];

const perDag = new Map<string, z.ZodType<unknown>>();

function schemaOp(partner: Vastelastenpartner, vandaag: string): z.ZodType<unknown> {
  const sleutel = `${partner}:${vandaag}`;
  const bekend = perDag.get(sleutel);
  if (bekend) return bekend;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(vandaag)) throw new RangeError(`geen datum als JJJJ-MM-DD: ${vandaag}`);
  const schema = schemaVoor(partner).check(...regels(partner, vandaag));
  perDag.set(sleutel, schema);
  // Kept for the last two days asked, per partner (around midnight requests may straddle them).
  for (const k of perDag.keys()) if (perDag.size > 6) perDag.delete(k);
  return schema;
}

export type SignaalUitkomst = { success: true; data: Signaal } | { success: false; issues: z.core.$ZodIssue[] };

/**
 * A partner's signal as the API accepts it on `vandaag` (Europe/Amsterdam, YYYY-MM-DD). A field of a
 * corporation's melding (HUURVELDEN) or a soort of one is named as not allowed for this partner type,
 * rather than as an unknown field, so the sender learns why.
 */
export function parseSignaal(partner: Vastelastenpartner, invoer: unknown, vandaag: string): SignaalUitkomst {
  const r = schemaOp(partner, vandaag).safeParse(invoer, { reportInput: true });
  if (r.success) return { success: true, data: { ...(r.data as Signaal), signaalpartner: partner } };
  const reden = `niet toegestaan voor signaalpartner ${partner}: een gegeven van de melding van een woningcorporatie`;
  const issues = r.error.issues.flatMap((issue): z.core.$ZodIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      const huur = issue.keys.filter((k) => HUURVELDEN.includes([...issue.path, k].join('.')));
      const rest = issue.keys.filter((k) => !huur.includes(k));
      return [
        ...huur.map((k): z.core.$ZodIssue => ({ code: 'custom', path: [...issue.path, k], message: reden, input: undefined })),
        ...(rest.length ? [{ ...issue, keys: rest }] : []),
      ];
    }
    if (issue.path.length === 1 && issue.path[0] === 'soort' && (HUURSOORTEN as readonly unknown[]).includes(issue.input))
      return [{ ...issue, code: 'custom', message: `${String(issue.input)}: ${reden}` } as z.core.$ZodIssue];
    return [issue];
  });
  return { success: false, issues };
}

export { SIGNAALSOORTEN };
