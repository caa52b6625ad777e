// The BullMQ worker of deliveries: it runs the delivery service per job, and reports final failures
// (attempts used up, or stalled too often) once, through QueueEvents, which also sees the jobs that
// BullMQ's stalled checker fails and which never reach a worker's 'failed' event.
import { Job, QueueEvents, Worker, type Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { BezorgOpdracht } from '../domain/berichten.js';
import { GEMELD, metHerhaling, type Bezorging } from '../diensten/bezorging.js';
import { meldFouten } from '../verbindingsfouten.js';

export interface BezorgwerkerOpties {
  bezorging: Bezorging;
  queue: Queue<BezorgOpdracht>;
  connection: object;
  /** QueueEvents blocks on its connection (XREAD BLOCK), so it gets one of its own. */
  connectionVoorEvents: object;
  prefix: string;
  gelijktijdig: number;
  lockSeconden: number;
  log: Logger;
}

export function startBezorgwerker(o: BezorgwerkerOpties) {
  const worker = new Worker<BezorgOpdracht>(o.queue.name, o.bezorging.verwerk, {
    connection: o.connection,
    prefix: o.prefix,
    concurrency: o.gelijktijdig,
    lockDuration: o.lockSeconden * 1000,
    stalledInterval: o.lockSeconden * 1000,
    maxStalledCount: 5,
  });
  const events = new QueueEvents(o.queue.name, { connection: o.connectionVoorEvents, prefix: o.prefix });
  events.on('failed', ({ jobId: id, failedReason }) => {
    if (failedReason?.startsWith(GEMELD)) return;
    void (async () => {
      const job = await Job.fromId<BezorgOpdracht>(o.queue, id);
      if (job) await metHerhaling(() => o.bezorging.mislukt(job.data, 'POGINGEN_OP', `na ${job.attemptsMade} pogingen: ${failedReason?.slice(0, 100)}`));
    })().catch((e: Error) => o.log.error({ alarm: 'bezorging-mislukt', err: e.message, jobId: id }, 'kon bezorging-mislukt niet vastleggen'));
  });
  meldFouten(events, o.log, 'bezorging-events');
  meldFouten(worker, o.log, 'bezorgworker');
  return {
    async close() {
      await worker.close(); // waits for the jobs in progress
      await events.close();
    },
  };
}
