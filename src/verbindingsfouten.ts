// Telling a lost connection from a real error, and logging the errors of BullMQ's queues, workers and
// QueueEvents without flooding the log during an outage. Shared by the store and the workers.
import type { Logger } from 'pino';

const VERBINDINGSCODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** An error that only says the connection to Redis is gone or not back yet (what a reconnect solves). */
export function isVerbindingsfout(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as NodeJS.ErrnoException).code;
  return (code !== undefined && VERBINDINGSCODES.has(code)) || err.message === 'Connection is closed.' || err.name === 'ConnectionClosedError' ||
    // Sentinel mode: no sentinel named a primary that answered (during a failover, or all away).
    err.message.startsWith('All sentinels are unreachable');
}

interface FoutBron {
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/**
 * The 'error' listener of a BullMQ queue, worker or QueueEvents (BullMQ prints errors to stderr when
 * there is none). They repeat every error of their connections; an outage is reported once by
 * bewaakVerbinding on the connection they share, so here connection errors go to debug. Other errors
 * are warnings, one per kind a minute with the count of those left out: after an outage BullMQ
 * reports a lost lock for every job that was running ("Missing lock for job <id>. moveToFinished").
 */
export function meldFouten(bron: FoutBron, log: Logger, naam: string): void {
  const soorten = new Map<string, { gemeld: number; weggelaten: number }>();
  bron.on('error', (err: Error) => {
    if (isVerbindingsfout(err)) return log.debug({ bron: naam, err: err.message }, 'bullmq: verbindingsfout');
    const soort = err.message.replace(/\S*\d\S*/g, '#'); // job ids and counts vary, the kind does not
    const nu = Date.now();
    const s = soorten.get(soort);
    if (s && nu - s.gemeld < 60_000) {
      s.weggelaten++;
      return;
    }
    if (!s && soorten.size >= 100) soorten.clear();
    log.warn({ bron: naam, err: err.message, weggelaten: s?.weggelaten }, 'bullmq-fout');
    soorten.set(soort, { gemeld: nu, weggelaten: 0 });
  });
}

