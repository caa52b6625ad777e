// The BullMQ queues and their job ids, in one place. Job payloads hold ids only (never personal
// data); job ids are derived from what a job is about, so planning twice queues once.
import { Queue } from 'bullmq';
import type { Config } from '../config.js';
import type { BezorgOpdracht } from '../domain/berichten.js';
import type { RedisNamen } from './redis-namen.js';

export const BEZORG_QUEUE = 'bezorging';
export const PRIVACY_QUEUE = 'privacy';

export type { BezorgOpdracht };

/** Also the delivered-marker of the message (store: `bezorgd`). */
export function jobId(o: Pick<BezorgOpdracht, 'meldingId' | 'bericht' | 'ontvanger' | 'versie' | 'fase'>): string {
  return `${o.meldingId}.${o.bericht}.${o.ontvanger}${o.versie ? `.${o.versie}` : ''}${o.fase ? `.${o.fase}` : ''}`;
}

export function bezorgQueue(config: Config, namen: RedisNamen, connection: object) {
  return new Queue<BezorgOpdracht>(BEZORG_QUEUE, {
    connection,
    prefix: namen.bull(),
    defaultJobOptions: {
      attempts: config.bezorging.pogingen,
      backoff: { type: 'exponential', delay: config.bezorging.eersteWachttijdSeconden * 1000 },
      // Kept for a week so a re-planned job id is recognised as already done.
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    },
  });
}

export function privacyQueue(namen: RedisNamen, connection: object) {
  return new Queue(PRIVACY_QUEUE, {
    connection, prefix: namen.bull(),
    defaultJobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } },
  });
}

export interface Wachtrijen {
  bezorging: Queue<BezorgOpdracht>;
  privacy: Queue;
}
