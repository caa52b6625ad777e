// Retention (003 "Bewaartermijnen"): a BullMQ job scheduler in the worker role removes the personal
// data of every case whose time has come, with everything that leads to it (secure link, queued
// deliveries, timers and their alarms), and trims the logboek to its configured years. The same
// removal serves the tenant's request for erasure (`signaalbrug verwijder`).
import { Queue, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { termijnLid, type Termijnactie } from '../domain/termijnen.js';
import type { Spoor } from '../domain/verwerking.js';
import type { LinkRepo } from '../store/links.js';
import type { Logboek } from '../store/logboek.js';
import { meldFouten } from '../store/redis.js';
import type { Wisreden, Wisser, Wisuitkomst } from '../store/wissen.js';
import { jobId, type BezorgOpdracht, type Ontvangerrol } from './bezorging.js';
import { BERICHTSOORTEN } from './sjablonen.js';
import { termijnJobId } from './termijnen.js';

export const PRIVACY_QUEUE = 'privacy';
const ROLLEN: Ontvangerrol[] = ['wijkteam', 'troubleshooter', 'corporatie'];

export interface OpruimDeps {
  config: Config;
  wisser: Wisser;
  links: Pick<LinkRepo, 'verwijder'>;
  logboek: Pick<Logboek, 'trim'>;
  bezorgingen: Pick<Queue, 'remove'>;
  termijnen: Pick<Queue, 'remove'>;
  klok: () => Date;
  log: Logger;
}

export function createOpruimer(deps: OpruimDeps) {
  const { config, wisser, klok } = deps;
  const acties = (): Termijnactie[] => ['herinnering', 'escalatie', ...config.convenant.extraTermijnen.map((e) => `extra:${e.naam}` as const)];
  /** Every delivery a case can have: job ids, which are also its delivered-markers. */
  const berichten = (id: string) => BERICHTSOORTEN.flatMap((bericht) => ROLLEN.map((ontvanger) => jobId({ meldingId: id, bericht, ontvanger } as BezorgOpdracht)));

  /** Remove the case's personal data and every way to it. Idempotent: a retry finishes what a crash left. */
  async function wis(id: string, reden: Wisreden, door: { oin?: string; spoor?: Spoor; kanaal: 'werker' | 'cli' }): Promise<Wisuitkomst> {
    const uitkomst = await wisser.wis(id, {
      reden, op: klok(), ...door, timers: acties().map((a) => termijnLid(id, a)), markers: berichten(id),
    });
    await deps.links.verwijder(id);
    // Queued or delayed jobs hold ids only, but would still try to act on the case: withdraw them.
    // A job running right now is locked (remove gives 0); it finds no melding and skips.
    await Promise.all([
      ...berichten(id).map((j) => deps.bezorgingen.remove(j)),
      ...acties().map((a) => deps.termijnen.remove(termijnJobId(id, a))),
    ]);
    await wisser.klaar(id);
    return uitkomst;
  }

  /** One round: every case due now, then the logboek beyond its years. */
  async function ruimOp(): Promise<{ gewist: number; logboekIngekort: number }> {
    const nu = klok();
    let gewist = 0;
    for (let ronde = 0; ronde < 1000; ronde++) {
      const ids = await wisser.verlopen(nu, 100);
      if (!ids.length) break;
      for (const id of ids) if ((await wis(id, 'bewaartermijn', { kanaal: 'werker' })) === 'gewist') gewist++;
    }
    const grens = new Date(nu);
    grens.setUTCFullYear(grens.getUTCFullYear() - config.privacy.logboekJaren);
    const logboekIngekort = await deps.logboek.trim(grens);
    if (gewist || logboekIngekort) deps.log.info({ gewist, logboekIngekort }, 'bewaartermijn: persoonsgegevens verwijderd');
    return { gewist, logboekIngekort };
  }

  return { wis, ruimOp };
}

export type Opruimer = ReturnType<typeof createOpruimer>;

export function privacyQueue(config: Config, connection: object) {
  return new Queue(PRIVACY_QUEUE, {
    connection, prefix: `${config.redis.prefix}:bull`,
    defaultJobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } },
  });
}

/** The job scheduler: one retention round every `privacy.opruimSeconden`, on whichever worker is free. */
export async function startOpruimWorker(config: Config, opruimer: Opruimer, queue: Queue, connection: object, log: Logger) {
  await queue.upsertJobScheduler('bewaartermijnen', { every: config.privacy.opruimSeconden * 1000 }, { name: 'opruimen', data: {} });
  const worker = new Worker(PRIVACY_QUEUE, async () => opruimer.ruimOp(), {
    connection, prefix: `${config.redis.prefix}:bull`, concurrency: 1,
  });
  meldFouten(worker, log, 'opruimworker');
  return worker;
}
