// Deadlines of the convenant: each case's timers live in one sorted set (planned at intake, in the
// same step as the case). A BullMQ delayed job per timer is only the alarm clock, and a sweep every
// few seconds catches any timer whose alarm was lost. Whoever fires first claims the timer atomically
// (the transition's gate), so a reminder or escalation happens exactly once, also with several
// workers, after restarts, and when feedback races the deadline.
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { Casus } from '../domain/overgangen.js';
import { termijnLid, timerMomenten, uitLid, type Termijnactie } from '../domain/termijnen.js';
import { OPEN } from '../domain/status.js';
import { SignaalbrugError } from '../errors.js';
import type { MeldingenStore } from '../store/meldingen.js';
import { termijnJobId, type TermijnJob } from '../store/wachtrijen.js';
import type { Casussen } from './casussen.js';

export interface TermijnDeps {
  casussen: Casussen;
  store: MeldingenStore;
  log: Logger;
  klok: () => Date;
  /** The alarm clocks (made on first use: only the worker role sets them). */
  queue: () => Queue<TermijnJob>;
}

export type Termijnuitkomst = 'niet-meer-open' | 'nog-niet' | 'geen-melding' | 'verstreken' | 'herinnerd' | 'geescaleerd' | 'al-gedaan';

export function createTermijnen({ casussen, store, log, klok, queue }: TermijnDeps) {
  /** Set the alarm clock of every timer of a new case (idempotent: same job ids). */
  async function zetWekkers(meta: Pick<Casus, 'id' | 'terugkoppelingUiterlijk' | 'ontvangenOp' | 'status'> & Partial<Pick<Casus, 'gemeente' | 'wijkteam'>>): Promise<void> {
    // A case answered or withdrawn before the relay saw it has no timers left (fire checks again).
    if (!OPEN.includes(meta.status)) return;
    const nu = klok().getTime();
    await queue().addBulk(timerMomenten(meta, casussen.regelsVoor(meta)).map(([actie, op]) => ({
      name: 'termijn', data: { meldingId: meta.id, actie }, opts: { jobId: termijnJobId(meta.id, actie), delay: Math.max(0, op - nu) },
    })));
  }

  /** How long until a pending timer is due on the service clock (0 when due, undefined when gone). */
  async function resterend(meldingId: string, actie: Termijnactie): Promise<number | undefined> {
    const op = await store.termijn(termijnLid(meldingId, actie));
    return op === undefined ? undefined : Math.max(0, op - klok().getTime());
  }

  /**
   * Fire one timer if it is due and still pending; returns what happened. The service clock rules:
   * a timer fires only once `klok()` has reached its moment, whatever the clock of Redis or BullMQ says.
   */
  async function voerUit(meldingId: string, actie: Termijnactie): Promise<Termijnuitkomst> {
    const lid = termijnLid(meldingId, actie);
    const op = await store.termijn(lid);
    if (op === undefined) return 'niet-meer-open';
    const nu = klok();
    if (op > nu.getTime()) return 'nog-niet';
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

  /** Every timer that is due now, oldest first. */
  async function sweep(): Promise<number> {
    let n = 0;
    for (const lid of await store.verstrekenTermijnen(klok().getTime())) {
      const t = uitLid(lid);
      if (t && (await voerUit(t.meldingId, t.actie)) !== 'nog-niet') n++;
    }
    return n;
  }

  return { zetWekkers, voerUit, resterend, sweep };
}

export type Termijnen = ReturnType<typeof createTermijnen>;
