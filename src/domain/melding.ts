// The melding a corporation sends: only the data the convenant allows (data minimisation).
// Sources: Haarlem convenant (004) Bijlage 2 §1, Hilversum protocol (003) fase B,
// Besluit gemeentelijke schuldhulpverlening art. 2 (the four steps before a signal).
import { z } from 'zod';
import '../taal.js';
import { zodraGeldig, type Veldpad } from './invoerfouten.js';

export const SOORTEN = [
  'huurachterstand',
  'meer-dan-huurachterstand',
  'complexe-problematiek',
  'betalingsregeling-niet-nagekomen',
  'ontruimingsdatum-bekend',
] as const;
export type Soort = (typeof SOORTEN)[number];

/** The convenant article behind each soort (004), for templates and the API. */
export const ARTIKEL: Record<Soort, string> = {
  huurachterstand: 'art. 3.4',
  'meer-dan-huurachterstand': 'art. 3.2',
  'complexe-problematiek': 'art. 3.3',
  'betalingsregeling-niet-nagekomen': 'art. 3.9',
  'ontruimingsdatum-bekend': 'art. 8.1',
};

const datum = z.iso.date({ error: 'verwacht een bestaande datum als JJJJ-MM-DD' });
const tekst = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'mag niet leeg zijn')
    .max(max, `hoogstens ${max} tekens`)
    // Names and street names: letters, digits and the punctuation Dutch names use; no markup or control chars.
    .regex(/^[\p{L}\p{M}0-9 .,'’\-/()]+$/u, 'bevat tekens die niet zijn toegestaan');

const huurder = z.strictObject({
  relatienummer: z.string().regex(/^[A-Za-z0-9-]{1,32}$/, 'letters, cijfers en -, hoogstens 32 tekens'),
  voorletters: z.string().regex(/^(\p{Lu}\.?){1,10}$/u, 'voorletters als "J." of "J.P."'),
  tussenvoegsel: tekst(20).optional(),
  achternaam: tekst(100),
  geboortedatum: datum,
  telefoonnummer: z
    .string()
    .regex(/^(\+31|0)[1-9]\d{8}$/, 'een Nederlands telefoonnummer als 0612345678 of +31612345678')
    .optional(),
  emailadres: z.email('geen geldig e-mailadres').max(254).optional(),
});

const adres = z.strictObject({
  straatnaam: tekst(100),
  huisnummer: z.number().int().min(1).max(99999),
  huisnummertoevoeging: z.string().regex(/^[A-Za-z0-9 -]{1,6}$/, 'hoogstens 6 letters of cijfers').optional(),
  postcode: z
    .string()
    .regex(/^[1-9]\d{3} ?[A-Za-z]{2}$/, 'een postcode als 2011DE')
    .transform((p) => p.replace(' ', '').toUpperCase()),
  woonplaats: tekst(80),
});

const huishouden = z.strictObject({
  aantalBewoners: z.number().int().min(1).max(30),
  // convenant art. 3.6: households with children get priority
  kinderenOnder18: z.boolean().optional(),
});

const achterstand = z.strictObject({
  bedragInCenten: z.number().int().min(0).max(100_000_000),
  ontstaanOp: datum,
  aantalMaanden: z.number().min(0).max(120).multipleOf(0.5),
});

// Besluit gemeentelijke schuldhulpverlening art. 2: the four steps before a landlord may signal.
const stappen = z.strictObject({
  persoonlijkContactGezocht: z.boolean(),
  gewezenOpSchuldhulp: z.boolean(),
  herinneringVerstuurdOp: datum,
  geenBezwaarHuurder: z.boolean(),
});

const toestemming = z.strictObject({
  gegevenOp: datum,
  vastgelegdDoor: tekst(100),
});

const basis = z.strictObject({
  referentie: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, cijfers, . _ en -, hoogstens 64 tekens'),
  soort: z.enum(SOORTEN),
  huurder,
  adres,
  huishouden,
  achterstand: achterstand.optional(),
  stappen: stappen.optional(),
  toestemming: toestemming.optional(),
  ontruimingsdatum: datum.optional(),
  vorigeMelding: z.uuid('verwacht het id van een eerdere melding').optional(),
});
type Basis = z.output<typeof basis>;

/**
 * A per-soort rule: `fout` is an error at `pad`. It runs also when other fields failed, as soon as the
 * fields it reads (`leest`) parsed cleanly, so one 400 lists the base and the per-soort errors together.
 */
const regel = (leest: Veldpad[], pad: Veldpad, message: string, fout: (m: Basis) => boolean) =>
  z.superRefine<Basis>((m, ctx) => {
    if (fout(m)) ctx.addIssue({ code: 'custom', path: [...pad], message });
  }, { when: zodraGeldig(...leest) });

// Besluit gemeentelijke schuldhulpverlening art. 2: the steps that must have been taken (herinneringVerstuurdOp is a date).
const GEZETTE_STAPPEN = ['persoonlijkContactGezocht', 'gewezenOpSchuldhulp', 'geenBezwaarHuurder'] as const;

export const meldingSchema = basis.check(
  // convenant art. 3.4 and the Besluit: arrears and all four steps are required.
  regel([['soort'], ['achterstand']], ['achterstand'], 'verplicht bij soort huurachterstand (convenant art. 3.4)',
    (m) => m.soort === 'huurachterstand' && m.achterstand === undefined),
  regel([['soort'], ['stappen']], ['stappen'], 'verplicht bij soort huurachterstand (Besluit schuldhulpverlening art. 2)',
    (m) => m.soort === 'huurachterstand' && m.stappen === undefined),
  ...GEZETTE_STAPPEN.map((k) =>
    regel([['soort'], ['stappen', k]], ['stappen', k], 'moet true zijn: zonder deze stap mag niet worden gesignaleerd (Besluit schuldhulpverlening art. 2)',
      (m) => m.soort === 'huurachterstand' && m.stappen !== undefined && m.stappen[k] !== true)),
  // convenant art. 3.3: complex problems without arrears only with the tenant's consent.
  regel([['soort'], ['toestemming']], ['toestemming'], 'verplicht bij soort complexe-problematiek: toestemming van de huurder (convenant art. 3.3)',
    (m) => m.soort === 'complexe-problematiek' && m.toestemming === undefined),
  regel([['soort'], ['ontruimingsdatum']], ['ontruimingsdatum'], 'verplicht bij soort ontruimingsdatum-bekend (convenant art. 8.1)',
    (m) => m.soort === 'ontruimingsdatum-bekend' && m.ontruimingsdatum === undefined),
);

export type Melding = z.output<typeof meldingSchema>;
export type MeldingInvoer = z.input<typeof meldingSchema>;

/** The PC4 part of a normalised postcode, for routing. */
export function pc4(postcode: string): number {
  return Number(postcode.slice(0, 4));
}
