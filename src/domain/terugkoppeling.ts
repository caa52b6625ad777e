// Terugkoppeling from the gemeente to the corporation: structured, no free text.
// Haarlem convenant (004) Bijlage 2 §6 and Hilversum (003) fase D. The content of conversations
// (background, medical data) may not be fed back without written consent, so there is no field for it.
import { z } from 'zod';
import '../taal.js';
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
