// The BullMQ worker of deadlines: fires a timer when its alarm rings, and runs the sweep (a job
// scheduler) that catches any timer whose alarm was lost.
import { DelayedError, Worker, type Job, type Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { Termijnactie } from '../domain/termijnen.js';
import type { Termijnen } from '../diensten/termijnen.js';
import { meldFouten } from '../verbindingsfouten.js';

interface TermijnJob {
  meldingId?: string;
  actie?: Termijnactie;
}

export async function startTermijnwerker(o: { termijnen: Termijnen; queue: Queue<TermijnJob>; connection: object; prefix: string; sweepSeconden: number; log: Logger }) {
  if (o.sweepSeconden > 0) await o.queue.upsertJobScheduler('sweep', { every: o.sweepSeconden * 1000 }, { name: 'sweep', data: {} });
  else await o.queue.removeJobScheduler('sweep');
  const worker = new Worker<TermijnJob>(o.queue.name, async (job: Job<TermijnJob>, token?: string) => {
    if (job.name === 'sweep') return { verwerkt: await o.termijnen.sweep() };
    const { meldingId, actie } = job.data as Required<TermijnJob>;
    const uitkomst = await o.termijnen.voerUit(meldingId, actie);
    if (uitkomst === 'nog-niet') {
      // The alarm rang early by the service clock (BullMQ counts its delay on the clock of the host
      // that planned it; hosts differ by seconds): set it again for the time that is left on ours,
      // so a timer never fires early and never waits for the sweep.
      const rest = await o.termijnen.resterend(meldingId, actie);
      if (rest !== undefined) {
        await job.moveToDelayed(Date.now() + Math.max(rest, 50), token);
        throw new DelayedError();
      }
    }
    return { uitkomst };
  }, { connection: o.connection, prefix: o.prefix, concurrency: 4 });
  meldFouten(worker, o.log, 'termijnworker');
  return worker;
}
