// The melding a corporation sends: only the data the convenant allows (data minimisation).
// Sources: Haarlem convenant (004) Bijlage 2 §1, Hilversum protocol (003) fase B,
// Besluit gemeentelijke schuldhulpverlening art. 2 (the four steps before a signal).
import { z } from 'zod';
import '../taal.js';
import { zodraGeldig, type Veldpad } from './invoerfouten.js';
import { SIGNAALSOORTEN, type Signaalsoort } from './signaalpartner.js';

/** The soorten of a corporation's melding (signaalpartner Huur). */
export const HUURSOORTEN = [
  'huurachterstand',
  'meer-dan-huurachterstand',
  'complexe-problematiek',
  'betalingsregeling-niet-nagekomen',
  'ontruimingsdatum-bekend',
] as const;
export type Huursoort = (typeof HUURSOORTEN)[number];
/** Every soort a case can have: a corporation's melding or another signal partner's signal (./signaal.ts). */
export const SOORTEN = [...HUURSOORTEN, ...SIGNAALSOORTEN] as const;
export type Soort = Huursoort | Signaalsoort;

/**
 * The rule behind each soort, for templates and the API: the convenant article (004) for a corporation's
 * melding; for other partners the Wet gemeentelijke schuldhulpverlening (art. 3a) and, for energy and
 * water, the rules on disconnection that make the signal part of the steps before cutting off supply.
 */
export const ARTIKEL: Record<Soort, string> = {
  huurachterstand: 'art. 3.4',
  'meer-dan-huurachterstand': 'art. 3.2',
  'complexe-problematiek': 'art. 3.3',
  'betalingsregeling-niet-nagekomen': 'art. 3.9',
  'ontruimingsdatum-bekend': 'art. 8.1',
  'betalingsachterstand-energie': 'Wgs art. 3a; Regeling afsluitbeleid kleinverbruikers',
  'betalingsachterstand-water': 'Wgs art. 3a; afsluitbeleid drinkwater',
  'premieachterstand-zorgverzekering': 'Wgs art. 3a',
};

/**
 * Grounds a convenant may select a melding on besides the months of arrears (003 Hilversum fase A):
 * a broken payment arrangement, new arrears within 12 months of an earlier arrangement, direct debit
 * stopped after the third reversal, an intended hand-over to collection.
 */
export const SELECTIEGRONDEN = [
  'betalingsregeling-verbroken',
  'nieuwe-achterstand-binnen-12-maanden-na-regeling',
  'automatische-incasso-gestopt-na-derde-storno',
  'voorgenomen-overdracht-incasso',
] as const;
export type Selectiegrond = (typeof SELECTIEGRONDEN)[number];

export const datum = z.iso.date({ error: 'verwacht een bestaande datum als JJJJ-MM-DD' });

// Names and street names: letters, digits and the punctuation Dutch names use; no markup or control chars.
const TOEGESTAAN = /^[\p{L}\p{M}0-9 .,'’\-/()]+$/u;
// Characters that render as nothing (Unicode Default_Ignorable_Code_Point): the Hangul fillers
// U+115F, U+1160, U+3164 and U+FFA0 are letters (Lo) by category, zero-width spaces and joiners are not.
const ONZICHTBAAR = /\p{Default_Ignorable_Code_Point}/u;
// A combining mark belongs on a letter; at the start or after a space, digit or punctuation it stands alone.
const LOS_TEKEN = /(?:^|[^\p{L}\p{M}])\p{M}/u;
// Zalgo-style stacks: Vietnamese needs two marks on one letter, nothing real needs four.
const GESTAPELD = /\p{M}{4}/u;

/**
 * Why `s` (trimmed, NFC) is not a plausible name, or undefined. A name reaches mails and pages, so it
 * must show: at least one letter of a script, and nothing invisible or floating.
 */
export function naamFout(s: string): string | undefined {
  if (ONZICHTBAAR.test(s)) return 'bevat een onzichtbaar teken';
  if (!TOEGESTAAN.test(s)) return 'bevat tekens die niet zijn toegestaan';
  if (LOS_TEKEN.test(s)) return 'bevat een los accentteken zonder letter ervoor';
  if (GESTAPELD.test(s)) return 'bevat te veel accenttekens op één letter';
  if (!/\p{L}/u.test(s)) return 'moet minstens één letter bevatten';
  return undefined;
}

export const tekst = (max: number) =>
  z
    .string()
    .trim()
    // One form for one name: "É" typed as E + U+0301 and as U+00C9 is the same name (and fingerprint).
    .normalize('NFC')
    .min(1, 'mag niet leeg zijn')
    .max(max, `hoogstens ${max} tekens`)
    // One reason per field, and only for a value of the right length.
    .superRefine((s, ctx) => {
      const fout = naamFout(s);
      if (fout) ctx.addIssue({ code: 'custom', message: fout, input: s });
    }, { when: (payload) => payload.issues.length === 0 })
    // The OpenAPI document shows the characters naamFout allows.
    .meta({ pattern: TOEGESTAAN.source });

export const huurder = z.strictObject({
  relatienummer: z.string().regex(/^[A-Za-z0-9-]{1,32}$/, 'letters, cijfers en -, hoogstens 32 tekens'),
  voorletters: z.string().normalize('NFC').regex(/^(\p{Lu}\.?){1,10}$/u, 'voorletters als "J." of "J.P."'),
  tussenvoegsel: tekst(20).optional(),
  achternaam: tekst(100),
  geboortedatum: datum,
  telefoonnummer: z
    .string()
    .regex(/^(\+31|0)[1-9]\d{8}$/, 'een Nederlands telefoonnummer als 0612345678 of +31612345678')
    .optional(),
  emailadres: z.email('geen geldig e-mailadres').max(254).optional(),
});

export const adres = z.strictObject({
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
  // Whole or half months. multipleOf alone lets 1e-320 through (it allows for float error), so the
  // exact test runs beside it; it documents the step in the OpenAPI document.
  aantalMaanden: z.number().min(0).max(120).multipleOf(0.5)
    .refine((n) => Number.isInteger(n * 2), { message: 'in hele of halve maanden', when: (payload) => payload.issues.length === 0 }),
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
  soort: z.enum(HUURSOORTEN),
  huurder,
  adres,
  huishouden,
  achterstand: achterstand.optional(),
  stappen: stappen.optional(),
  toestemming: toestemming.optional(),
  ontruimingsdatum: datum.optional(),
  vorigeMelding: z.uuid('verwacht het id van een eerdere melding').optional(),
  /** Why the melding meets the convenant's selection criteria beyond the months of arrears (optional). */
  selectiegrond: z.enum(SELECTIEGRONDEN).optional(),
});
type Basis = z.output<typeof basis>;

/**
 * A cross-field rule: `toets` adds its errors to `ctx`. It runs also when other fields failed, as soon as
 * the fields it reads parsed cleanly (`geldig`, a refinement's `when`), so one 400 lists the base and the
 * per-soort errors together.
 */
interface Regel {
  geldig: (payload: z.core.ParsePayload) => boolean;
  toets: (m: Basis, ctx: z.RefinementCtx<Basis>) => void;
}

/** A per-soort rule: `fout` is an error at `pad`, once the fields it reads (`leest`) parsed cleanly. */
const regel = (leest: Veldpad[], pad: Veldpad, message: string, fout: (m: Basis) => boolean): Regel => ({
  geldig: zodraGeldig(...leest),
  toets: (m, ctx) => {
    if (fout(m)) ctx.addIssue({ code: 'custom', path: [...pad], message });
  },
});

/**
 * Rules as one refinement: each in turn, its `geldig` asked against the errors so far, as zod asks a
 * refinement's `when` between refinements (the same errors, in the same order). Zod runs every
 * refinement of a schema on every parse and allocates for each, and a melding has some fifteen.
 */
const regels = (lijst: readonly Regel[]) =>
  z.superRefine<Basis>((m, ctx) => {
    for (const r of lijst) if (r.geldig(ctx)) r.toets(m, ctx);
  }, { when: () => true });

const GEBOREN_VANAF = '1900-01-01';
const ZAAK_VANAF = '2000-01-01';

/** Where each date of the melding is, and how to read it. */
const DATUMVELDEN = {
  geboortedatum: { pad: ['huurder', 'geboortedatum'], lees: (m: Basis) => m.huurder.geboortedatum },
  ontstaanOp: { pad: ['achterstand', 'ontstaanOp'], lees: (m: Basis) => m.achterstand?.ontstaanOp },
  herinneringVerstuurdOp: { pad: ['stappen', 'herinneringVerstuurdOp'], lees: (m: Basis) => m.stappen?.herinneringVerstuurdOp },
  gegevenOp: { pad: ['toestemming', 'gegevenOp'], lees: (m: Basis) => m.toestemming?.gegevenOp },
  ontruimingsdatum: { pad: ['ontruimingsdatum'], lees: (m: Basis) => m.ontruimingsdatum },
} as const satisfies Record<string, { pad: Veldpad; lees: (m: Basis) => string | undefined }>;

interface Bereik { vanaf?: string; tot?: string; vanafReden?: string; totReden?: string }

/** One rule per date field: at most one error each (a date is never both too early and too late). */
function datumregels(bereiken: Partial<Record<keyof typeof DATUMVELDEN, Bereik>>): Regel[] {
  return Object.entries(bereiken).map(([veld, b]) => {
    const { pad, lees } = DATUMVELDEN[veld as keyof typeof DATUMVELDEN];
    return {
      geldig: zodraGeldig(pad),
      toets: (m, ctx) => {
        const d = lees(m);
        if (d === undefined) return;
        if (b.vanaf !== undefined && d < b.vanaf) ctx.addIssue({ code: 'custom', path: [...pad], message: b.vanafReden ?? `mag niet vóór ${b.vanaf} liggen` });
        else if (b.tot !== undefined && d > b.tot) ctx.addIssue({ code: 'custom', path: [...pad], message: b.totReden ?? `mag niet na vandaag (${b.tot}) liggen` });
      },
    };
  });
}

/** The calendar date `n` days after `datum` (both YYYY-MM-DD). */
function plusDagen(datum: string, n: number): string {
  const d = new Date(`${datum}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

// Besluit gemeentelijke schuldhulpverlening art. 2: the steps that must have been taken (herinneringVerstuurdOp is a date).
const GEZETTE_STAPPEN = ['persoonlijkContactGezocht', 'gewezenOpSchuldhulp', 'geenBezwaarHuurder'] as const;

export const meldingSchema = basis.check(regels([
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
  // Plausible dates on any day: nobody alive was born before 1900, and no case of this kind (arrears,
  // reminders, consent) predates 2000. Dates compare as strings: z.iso.date has four-digit years.
  ...datumregels({
    geboortedatum: { vanaf: GEBOREN_VANAF },
    ontstaanOp: { vanaf: ZAAK_VANAF },
    herinneringVerstuurdOp: { vanaf: ZAAK_VANAF },
    gegevenOp: { vanaf: ZAAK_VANAF },
  }),
]));

export type Melding = z.output<typeof meldingSchema>;
export type MeldingInvoer = z.input<typeof meldingSchema>;

/** Days an ontruimingsdatum may lie in the past (a melding sent just after a date set by the court). */
export const ONTRUIMING_VERLEDEN_DAGEN = 14;
/** Days an ontruimingsdatum may lie ahead (about two years: no court sets an eviction date further away). */
export const ONTRUIMING_VOORUIT_DAGEN = 730;

const perDag = new Map<string, typeof meldingSchema>();

/**
 * The melding as the API accepts it on `vandaag` (the Europe/Amsterdam date of the service clock,
 * YYYY-MM-DD): `meldingSchema` plus the dates checked against that day. Kept for the last two days asked
 * (around midnight requests may straddle them); each is built once.
 */
export function meldingSchemaOp(vandaag: string): typeof meldingSchema {
  const bekend = perDag.get(vandaag);
  if (bekend) return bekend;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(vandaag)) throw new RangeError(`geen datum als JJJJ-MM-DD: ${vandaag}`);
  const schema = meldingSchema.check(regels(datumregels({
    geboortedatum: { tot: vandaag },
    ontstaanOp: { tot: vandaag },
    herinneringVerstuurdOp: { tot: vandaag },
    gegevenOp: { tot: vandaag },
    ontruimingsdatum: {
      vanaf: plusDagen(vandaag, -ONTRUIMING_VERLEDEN_DAGEN), vanafReden: `ligt meer dan ${ONTRUIMING_VERLEDEN_DAGEN} dagen in het verleden`,
      tot: plusDagen(vandaag, ONTRUIMING_VOORUIT_DAGEN), totReden: 'ligt meer dan 2 jaar in de toekomst',
    },
  })));
  perDag.set(vandaag, schema);
  for (const dag of perDag.keys()) if (perDag.size > 2) perDag.delete(dag);
  return schema;
}

/** The PC4 part of a normalised postcode, for routing. */
export function pc4(postcode: string): number {
  return Number(postcode.slice(0, 4));
}
