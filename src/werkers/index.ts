// The worker role: outbox relay, delivery and retention workers on BullMQ, the deadline scheduler and
// the logboek's archiver, built from the composition root's services. Stopped in reverse order so jobs
// in progress finish before their connections close (the root closes the connections after).
import type { Signaalbrug } from '../signaalbrug.js';
import { startBezorgwerker } from './bezorgwerker.js';
import { startLogboekwerker } from './logboekwerker.js';
import { startOpruimwerker } from './opruimwerker.js';
import { OutboxRelay } from './outbox-relay.js';
import { startTermijnwerker } from './termijnwerker.js';

export async function startWerkers(sb: Signaalbrug) {
  const { config, log, diensten } = sb;
  const d = await sb.werkdelen();
  const relay = new OutboxRelay({
    outbox: d.outbox, meta: diensten.casussen.meta,
    bezorgingen: d.wachtrijen.bezorging, jobId: d.jobId, log,
  });
  await relay.start();
  const bezorger = startBezorgwerker({
    bezorging: d.bezorging, queue: d.wachtrijen.bezorging, connection: d.verbinding, connectionVoorEvents: d.bullVerbinding('bullmq-events', true),
    prefix: d.prefix, gelijktijdig: config.bezorging.gelijktijdig, lockSeconden: config.bezorging.lockSeconden, log,
  });
  const termijnwerker = startTermijnwerker({ termijnen: diensten.termijnen, slot: d.termijnslot, sweepSeconden: config.termijnen.sweepSeconden, log });
  const logboekwerker = startLogboekwerker({ archief: diensten.logboekarchief, slot: d.logboekslot, elkeSeconden: config.logboek.archiveerElkeSeconden, log });
  const opruimwerker = await startOpruimwerker({
    opruimer: diensten.opruimer, queue: d.wachtrijen.privacy, connection: d.verbinding, prefix: d.prefix, elkeSeconden: config.privacy.opruimSeconden, log,
  });
  return {
    /** The channels' key material (tests count its file reads). */
    materiaal: d.materiaal,
    async stop() {
      await relay.stop();
      await termijnwerker.close();
      await logboekwerker.close();
      await opruimwerker.close();
      await bezorger.close(); // waits for the jobs in progress
    },
  };
}
