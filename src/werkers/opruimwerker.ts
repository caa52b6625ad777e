// The retention job scheduler: one round every `privacy.opruimSeconden`, on whichever worker is free.
import { Worker, type Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { Opruimer } from '../diensten/opruimen.js';
import { meldFouten } from '../verbindingsfouten.js';

export async function startOpruimwerker(o: { opruimer: Opruimer; queue: Queue; connection: object; prefix: string; elkeSeconden: number; log: Logger }) {
  await o.queue.upsertJobScheduler('bewaartermijnen', { every: o.elkeSeconden * 1000 }, { name: 'opruimen', data: {} });
  const worker = new Worker(o.queue.name, async () => o.opruimer.ruimOp(), { connection: o.connection, prefix: o.prefix, concurrency: 1 });
  meldFouten(worker, o.log, 'opruimworker');
  return worker;
}
