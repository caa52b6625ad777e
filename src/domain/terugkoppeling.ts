// Terugkoppeling from the gemeente to the corporation: structured, no free text.
// Haarlem convenant (004) Bijlage 2 §6 and Hilversum (003) fase D. The content of conversations
// (background, medical data) may not be fed back without written consent, so there is no field for it.
import { z } from 'zod';
import '../taal.js';
import { CONTACTSOORTEN, DAGDELEN, REDENEN_NIET_OPGEPAKT, redenVoorCorporatie } from './ddas.js';
import { zodraGeldig } from './invoerfouten.js';

const datum = z.iso.date({ error: 'verwacht een bestaande datum als JJJJ-MM-DD' });

export const terugkoppelingSchema = z
  .strictObject({
    /** 004 §6: whether contact with the tenant was made. */
    contactGelegd: z.boolean(),
    /** 004 §6: whether the melding is taken into treatment (art. 3.7: feedback also when not). */
    inBehandeling: z.boolean(),
    /** 004 §6: whether the corporation may resume collection. */
    incassoHervatten: z.boolean(),
    /** 004 §6: the agreed date on which rent payment resumes. */
    hervattingBetalingOp: datum.nullable().optional(),
    /** 003 fase D: dates of the contact attempts (at most 10). */
    contactpogingen: z.array(datum).max(10).optional(),
    /** 003 fase D: payment arrangement made. */
    betalingsafspraak: z.boolean().nullable().optional(),
    /** 003 fase D: the tenant wants help. */
    wilHulp: z.boolean().nullable().optional(),
    /** 003 fase D: not picked up because the tenant moved or died. */
    nietOpgepakt: z.enum(['verhuisd', 'overleden']).nullable().optional(),
  })
  .superRefine((k, ctx) => {
    if (k.nietOpgepakt && k.inBehandeling)
      ctx.addIssue({ code: 'custom', path: ['inBehandeling'], message: 'kan niet true zijn als de melding niet is opgepakt (nietOpgepakt)' });
  }, { when: zodraGeldig(['nietOpgepakt'], ['inBehandeling']) }); // also beside other errors: every error at once

export type Terugkoppeling = z.output<typeof terugkoppelingSchema>;

/**
 * The eerste terugkoppeling on DDAS's terms (the preferred shape): picked up or not (with DDAS's
 * reason), the date it was picked up, the contact attempts as DDAS contactpogingen, and the fields
 * of 004 Bijlage 2 §6 the corporation needs. Told apart from the convenant's own shape by `opgepakt`.
 */
export const eersteTerugkoppelingSchema = z
  .strictObject({
    opgepakt: z.boolean(),
    /** DDAS vroegsignaalzaak.datum_opgepakt: when opgepakt. */
    datumOpgepakt: datum.optional(),
    /** DDAS EnumSignaalstatus: when not opgepakt. */
    redenNietOpgepakt: z.enum(REDENEN_NIET_OPGEPAKT).optional(),
    /** DDAS contactpogingen (at most 20). */
    contactpogingen: z.array(z.strictObject({
      soort: z.enum(CONTACTSOORTEN),
      bereikt: z.boolean(),
      datum,
      dagdeel: z.enum(DAGDELEN).optional(),
    })).max(20).default([]),
    /** 004 §6: whether the corporation may resume collection. */
    incassoHervatten: z.boolean(),
    /** 004 §6: the agreed date on which rent payment resumes. */
    hervattingBetalingOp: datum.nullable().optional(),
  })
  .superRefine((k, ctx) => {
    if (k.opgepakt && !k.datumOpgepakt) ctx.addIssue({ code: 'custom', path: ['datumOpgepakt'], message: 'verplicht als de melding is opgepakt' });
    if (k.opgepakt && k.redenNietOpgepakt) ctx.addIssue({ code: 'custom', path: ['redenNietOpgepakt'], message: 'alleen als de melding niet is opgepakt' });
    if (!k.opgepakt && !k.redenNietOpgepakt) ctx.addIssue({ code: 'custom', path: ['redenNietOpgepakt'], message: 'verplicht als de melding niet is opgepakt' });
    if (!k.opgepakt && k.datumOpgepakt) ctx.addIssue({ code: 'custom', path: ['datumOpgepakt'], message: 'alleen als de melding is opgepakt' });
  }, { when: zodraGeldig(['opgepakt'], ['datumOpgepakt'], ['redenNietOpgepakt']) });

export type EersteTerugkoppeling = z.output<typeof eersteTerugkoppelingSchema>;

/** Feedback as stored: the convenant's fields always (so every reader keeps working), DDAS's when given. */
export type TerugkoppelingMetDdas = Terugkoppeling & { ddas?: Omit<EersteTerugkoppeling, 'incassoHervatten' | 'hervattingBetalingOp'> };

/** Either shape of the body; the DDAS one when it says `opgepakt`. */
export function terugkoppelingInvoerSchema(body: unknown): z.ZodType<Terugkoppeling | EersteTerugkoppeling> {
  return body && typeof body === 'object' && 'opgepakt' in body ? eersteTerugkoppelingSchema : terugkoppelingSchema;
}

/** The DDAS shape with the convenant's fields derived from it. */
export function naarTerugkoppeling(k: Terugkoppeling | EersteTerugkoppeling): TerugkoppelingMetDdas {
  if (!('opgepakt' in k)) return k;
  const { incassoHervatten, hervattingBetalingOp, ...ddas } = k;
  return {
    contactGelegd: k.contactpogingen.some((p) => p.bereikt),
    inBehandeling: k.opgepakt,
    incassoHervatten,
    hervattingBetalingOp: hervattingBetalingOp ?? null,
    contactpogingen: [...new Set(k.contactpogingen.map((p) => p.datum))].sort().slice(-10),
    nietOpgepakt: k.redenNietOpgepakt === 'Inwoner is overleden' ? 'overleden'
      : k.redenNietOpgepakt === 'Persoon is geen inwoner (meer) in de gemeente' ? 'verhuisd' : null,
    ddas,
  };
}

type Ddas = NonNullable<TerugkoppelingMetDdas['ddas']>;
export type VoorCorporatie<K extends TerugkoppelingMetDdas> = Omit<K, 'ddas'> & {
  ddas?: Omit<Ddas, 'redenNietOpgepakt'> & { redenNietOpgepakt?: ReturnType<typeof redenVoorCorporatie> };
};

/** What the corporation sees of the feedback: DDAS's "andere reden" only as "Niet opgepakt". */
export function terugkoppelingVoorCorporatie<K extends TerugkoppelingMetDdas>(k: K): VoorCorporatie<K> {
  if (!k.ddas?.redenNietOpgepakt) return k;
  return { ...k, ddas: { ...k.ddas, redenNietOpgepakt: redenVoorCorporatie(k.ddas.redenNietOpgepakt) } };
}
