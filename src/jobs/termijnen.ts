// Deadlines of the convenant (art. 3.5, 3.7): the deadline lives on the case and in a sorted set of
// pending timers; a BullMQ delayed job per timer is only the alarm clock, and a job scheduler sweep
// every few minutes catches any timer whose alarm was lost. Whoever fires first claims the timer
// atomically (ZREM inside the state change), so a reminder or escalation happens exactly once,
// also with several workers, after restarts, and when feedback races the deadline.
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { eindeVanDag } from '../domain/werkdagen.js';
import { extraTermijnDatum, termijnLid, termijnMomenten, uitLid, werkdagenTeLaat, type Termijnactie } from '../domain/termijnen.js';
import { OPEN, type Status } from '../domain/status.js';
import { SignaalbrugError } from '../errors.js';
import type { MeldingenRepo, MeldingRecord } from '../store/meldingen.js';
import { meldFouten } from '../store/redis.js';

export const TERMIJN_QUEUE = 'termijnen';

/** BullMQ job ids may not contain ':'. */
export const termijnJobId = (meldingId: string, actie: Termijnactie) => `${meldingId}.${actie.replace(':', '-')}`;

interface TermijnJob {
  meldingId?: string;
  actie?: Termijnactie;
}

export interface TermijnDeps {
  config: Config;
  repo: MeldingenRepo;
  log: Logger;
  klok: () => Date;
}

export function termijnQueue(config: Config, connection: object) {
  return new Queue<TermijnJob>(TERMIJN_QUEUE, {
    connection,
    prefix: `${config.redis.prefix}:bull`,
    defaultJobOptions: { attempts: 10, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } },
  });
}

export function createTermijnen(deps: TermijnDeps, queue: Queue<TermijnJob>) {
  const { config, repo, klok, log } = deps;
  const kalender = { extraVrijeDagen: config.convenant.extraVrijeDagen };

  /** Plan every timer of a new case (idempotent: same members, same job ids). */
  async function plan(meta: Pick<MeldingRecord, 'id' | 'terugkoppelingUiterlijk' | 'ontvangenOp' | 'status'>): Promise<void> {
    // A case answered or withdrawn before the relay saw it gets no timers (voerUit checks again).
    if (!OPEN.includes(meta.status)) return;
    const momenten = termijnMomenten(meta.terugkoppelingUiterlijk, config.convenant.herinneringUur);
    const acties: [Termijnactie, number][] = [
      ...(Object.entries(momenten) as [Termijnactie, number][]),
      ...config.convenant.extraTermijnen.map((e): [Termijnactie, number] =>
        [`extra:${e.naam}`, eindeVanDag(extraTermijnDatum(e, new Date(meta.ontvangenOp), kalender)).getTime()]),
    ];
    await repo.plan(acties.map(([actie, op]) => [termijnLid(meta.id, actie), op]));
    const nu = klok().getTime();
    await queue.addBulk(acties.map(([actie, op]) => ({
      name: 'termijn', data: { meldingId: meta.id, actie }, opts: { jobId: termijnJobId(meta.id, actie), delay: Math.max(0, op - nu) },
    })));
  }

  /** How long until a pending timer is due on the service clock (0 when due, undefined when gone). */
  async function resterend(meldingId: string, actie: Termijnactie): Promise<number | undefined> {
    const op = await repo.termijn(termijnLid(meldingId, actie));
    return op === undefined ? undefined : Math.max(0, op - klok().getTime());
  }

  /**
   * Fire one timer if it is due and still pending; returns what happened. The service clock rules:
   * a timer fires only once `klok()` has reached its moment, whatever the clock of Redis or BullMQ says.
   */
  async function voerUit(meldingId: string, actie: Termijnactie): Promise<string> {
    const lid = termijnLid(meldingId, actie);
    const op = await repo.termijn(lid);
    if (op === undefined) return 'niet-meer-open';
    const nu = klok();
    if (op > nu.getTime()) return 'nog-niet';
    const meta = await repo.haalMeta(meldingId);
    if (!meta) {
      await repo.stopTermijnen([lid]); // orphan of a deleted case
      return 'geen-melding';
    }
    try {
      return await vuur(meldingId, actie, lid, meta, nu);
    } catch (err) {
      // Answered or withdrawn meanwhile: the timer has nothing left to do.
      if (err instanceof SignaalbrugError && err.code === 'SB_CONFLICT') {
        await repo.stopTermijnen([lid]);
        return 'niet-meer-open';
      }
      throw err;
    }
  }

  async function vuur(meldingId: string, actie: Termijnactie, lid: string, meta: Omit<MeldingRecord, 'gegevens'>, nu: Date): Promise<string> {
    const tijd = nu.toISOString();
    const alleenVanuit: readonly Status[] = OPEN;
    if (actie.startsWith('extra:')) {
      const e = config.convenant.extraTermijnen.find((x) => `extra:${x.naam}` === actie);
      const r = await repo.registreer(meldingId, { soort: 'termijn-verstreken', op: tijd, termijn: e?.naam ?? actie.slice(6), artikel: e?.artikel ?? null }, { poort: lid, alleenVanuit });
      return r ? 'verstreken' : 'al-gedaan';
    }
    if (actie === 'herinnering') {
      const r = await repo.registreer(meldingId, { soort: 'herinnering-verzonden', op: tijd }, { poort: lid, alleenVanuit, outbox: { melding: meldingId, actie: 'herinneren' } });
      return r ? 'herinnerd' : 'al-gedaan';
    }
    const teLaat = werkdagenTeLaat(meta.terugkoppelingUiterlijk, nu, kalender);
    // convenant art. 3.7 broken: the troubleshooter hears of it (escalation), exactly once per case.
    const r = await repo.registreer(meldingId, { soort: 'geescaleerd', op: tijd, werkdagenTeLaat: teLaat, termijn: meta.terugkoppelingUiterlijk }, {
      poort: lid, alleenVanuit, stop: [termijnLid(meldingId, 'herinnering')], outbox: { melding: meldingId, actie: 'escaleren', werkdagenTeLaat: String(teLaat) },
      logboek: { actie: 'melding-geescaleerd', oin: meta.oin, extra: { kanaal: 'werker', werkdagenTeLaat: String(teLaat) } },
    });
    if (r) log.info({ meldingId, werkdagenTeLaat: teLaat }, 'termijn verstreken: geëscaleerd naar de troubleshooter');
    return r ? 'geescaleerd' : 'al-gedaan';
  }

  async function sweep(): Promise<number> {
    let n = 0;
    for (const lid of await repo.verstrekenTermijnen(klok().getTime())) {
      const t = uitLid(lid);
      if (t && (await voerUit(t.meldingId, t.actie)) !== 'nog-niet') n++;
    }
    return n;
  }

  return { plan, voerUit, resterend, sweep };
}

export type Termijnen = ReturnType<typeof createTermijnen>;

export async function startTermijnWorker(deps: TermijnDeps, termijnen: Termijnen, queue: Queue<TermijnJob>, connection: object) {
  if (deps.config.termijnen.sweepSeconden > 0)
    await queue.upsertJobScheduler('sweep', { every: deps.config.termijnen.sweepSeconden * 1000 }, { name: 'sweep', data: {} });
  else await queue.removeJobScheduler('sweep');
  const worker = new Worker<TermijnJob>(TERMIJN_QUEUE, async (job: Job<TermijnJob>, token?: string) => {
    if (job.name === 'sweep') return { verwerkt: await termijnen.sweep() };
    const { meldingId, actie } = job.data as Required<TermijnJob>;
    const uitkomst = await termijnen.voerUit(meldingId, actie);
    if (uitkomst === 'nog-niet') {
      // The alarm rang early by the service clock (BullMQ counts its delay on the clock of the host
      // that planned it; hosts differ by seconds): set it again for the time that is left on ours,
      // so a timer never fires early and never waits for the sweep.
      const rest = await termijnen.resterend(meldingId, actie);
      if (rest !== undefined) {
        await job.moveToDelayed(Date.now() + Math.max(rest, 50), token);
        throw new DelayedError();
      }
    }
    return { uitkomst };
  }, { connection, prefix: `${deps.config.redis.prefix}:bull`, concurrency: 4 });
  meldFouten(worker, deps.log, 'termijnworker');
  return worker;
}
