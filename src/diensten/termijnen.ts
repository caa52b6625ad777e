// Deadlines of the convenant: each case's timers are fields of its hash, and the case is once in one
// of the timers' buckets (small sorted sets), scored by its earliest timer (planned at intake, in the
// same step as the case; moments on the service clock). There is no alarm per timer: one scheduler
// loop in the worker role reads the due buckets every `termijnen.sweepSeconden` (a few seconds) and
// fires what it finds in batches, a bounded number at a time, so a reminder or escalation is at most
// one interval late and memory per open case is one compact sorted-set member and a short field per
// timer. Several workers take turns: a short lease per round keeps two of them from reading the same batch, and whoever fires a
// timer claims it atomically (the transition's gate, HDEL in the same script), so a reminder or
// escalation happens exactly once, also when a lease runs out mid-round, after restarts, and when
// feedback races the deadline.
import type { Logger } from 'pino';
import { termijnLid, uitLid, type Termijnactie } from '../domain/termijnen.js';
import { SignaalbrugError } from '../errors.js';
import type { MeldingenStore } from '../store/meldingen.js';
import type { Casussen } from './casussen.js';

export interface TermijnDeps {
  casussen: Casussen;
  store: MeldingenStore;
  log: Logger;
  klok: () => Date;
  /** The case's retention moment came (timer `bewaar`): remove its personal data (opruimen). */
  bewaartermijn?: (meldingId: string) => Promise<unknown>;
}

export type Termijnuitkomst = 'niet-meer-open' | 'nog-niet' | 'geen-melding' | 'verstreken' | 'herinnerd' | 'geescaleerd' | 'al-gedaan';

/** How many due timers one read takes, and how many of them fire at the same time. */
export const BATCH = 500;
export const GELIJKTIJDIG = 16;

export function createTermijnen({ casussen, store, log, klok, bewaartermijn }: TermijnDeps) {
  /**
   * Fire one timer if it is due and still pending; returns what happened. The service clock rules:
   * a timer fires only once `klok()` has reached its moment, whatever the clock of Redis says.
   * `op` is the timer's moment when the caller just read it from the set (saves a read).
   */
  async function voerUit(meldingId: string, actie: Termijnactie, op?: number): Promise<Termijnuitkomst> {
    const lid = termijnLid(meldingId, actie);
    const moment = op ?? (await store.termijn(lid));
    if (moment === undefined) return 'niet-meer-open';
    const nu = klok();
    if (moment > nu.getTime()) return 'nog-niet';
    if (!(await casussen.meta(meldingId))) {
      await store.stopTermijnen([lid]); // orphan of a deleted case
      return 'geen-melding';
    }
    try {
      const r = await casussen.pasToe(meldingId, { soort: 'termijn', actie }, nu);
      if (!r) return 'al-gedaan';
      if (actie === 'escalatie')
        log.info({ meldingId, werkdagenTeLaat: r.overgang.gebeurtenis.werkdagenTeLaat }, 'termijn verstreken: geëscaleerd naar de troubleshooter');
      return actie === 'herinnering' ? 'herinnerd' : actie === 'escalatie' ? 'geescaleerd' : 'verstreken';
    } catch (err) {
      // Answered or withdrawn meanwhile: the timer has nothing left to do.
      if (err instanceof SignaalbrugError && err.code === 'SB_CONFLICT') {
        await store.stopTermijnen([lid]);
        return 'niet-meer-open';
      }
      throw err;
    }
  }

  /**
   * Every timer that is due now, oldest first, in batches of `batch` cases with at most `gelijktijdig`
   * timers at once; returns how many fired. A timer that fails stays with its case for the next round
   * (and the case is skipped for the rest of this one). `verder` is asked between batches (the
   * scheduler renews its lease there; false ends the round).
   */
  async function sweep(o: { batch?: number; gelijktijdig?: number; verder?: () => Promise<boolean> } = {}): Promise<number> {
    const batch = o.batch ?? BATCH;
    const gelijktijdig = o.gelijktijdig ?? GELIJKTIJDIG;
    const nu = klok().getTime();
    let gevuurd = 0;
    const overgeslagen = new Set<string>(); // members still due after this round's attempt: read past them
    for (;;) {
      const groepen = await store.verstrekenTermijnen(nu, batch, overgeslagen);
      // Each due timer with the case it belongs to; a case with nothing due to us is read past.
      const due = groepen.flatMap((g, i) => g.timers.map(([lid, op]) => ({ lid, op, i })));
      const blijft = new Set(groepen.flatMap((g, i) => (g.timers.length ? [] : [i])));
      let volgende = 0;
      await Promise.all(Array.from({ length: Math.min(gelijktijdig, due.length) }, async () => {
        while (volgende < due.length) {
          const { lid, op, i } = due[volgende++]!;
          const [meldingId = '', actie] = lid.split('|');
          if (actie === 'bewaar' && bewaartermijn) {
            // The retention timer: its removal stops it (WisStore.klaar), or it stays for the next round.
            try {
              await bewaartermijn(meldingId);
              gevuurd++;
            } catch (err) {
              blijft.add(i);
              log.warn({ meldingId, actie, err: (err as Error).message }, 'bewaartermijn niet uitgevoerd, volgende ronde opnieuw');
            }
            continue;
          }
          const t = uitLid(lid);
          if (!t) {
            blijft.add(i); // not ours to judge: left alone
            continue;
          }
          try {
            if ((await voerUit(t.meldingId, t.actie, op)) !== 'nog-niet') gevuurd++;
            else blijft.add(i);
          } catch (err) {
            blijft.add(i);
            log.warn({ meldingId: t.meldingId, actie: t.actie, err: (err as Error).message }, 'termijn niet uitgevoerd, volgende ronde opnieuw');
          }
        }
      }));
      for (const i of blijft) overgeslagen.add(groepen[i]!.lid);
      if (groepen.length < batch || (o.verder && !(await o.verder()))) return gevuurd;
    }
  }

  return { voerUit, sweep };
}

export type Termijnen = ReturnType<typeof createTermijnen>;
