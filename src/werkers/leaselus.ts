// A loop that several workers share: every interval one of them takes a short Redis lease on the
// round and does the work, renewing the lease between its steps; the others skip that round. A worker
// that dies holding the lease delays the work by at most the lease. A failing round is said once per
// standstill (an alarm for operators) and retried the next round.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';

export type Leaseactie = 'neem' | 'verleng' | 'geef-vrij';

export interface Leaselus {
  /** Its name in log lines and in the alarm. */
  naam: string;
  /** Take, renew or release the round's lease for `token` (true: this worker holds it). */
  lease(token: string, ms: number, actie: Leaseactie): Promise<boolean>;
  elkeSeconden: number;
  /** One round's work; `verder` renews the lease and says whether to go on. */
  werk(verder: () => Promise<boolean>): Promise<void>;
  log: Logger;
}

export function startLeaselus(o: Leaselus): { close(): Promise<void> } {
  const token = `${process.pid}-${randomUUID()}`;
  const interval = o.elkeSeconden * 1000;
  // Long enough for one step on a busy machine (renewed after each), short enough that a holder
  // that died costs the other workers little.
  const lease = Math.max(10_000, 3 * interval);
  let gestopt = false;
  let wekker: NodeJS.Timeout | undefined;
  let stil = false;

  async function ronde(): Promise<void> {
    try {
      if (!(await o.lease(token, lease, 'neem'))) return;
      try {
        await o.werk(async () => !gestopt && o.lease(token, lease, 'verleng'));
      } finally {
        await o.lease(token, lease, 'geef-vrij');
      }
      if (stil) o.log.info(`${o.naam}: loopt weer`);
      stil = false;
    } catch (err) {
      if (!stil) o.log.error({ alarm: o.naam, err: (err as Error).message }, `${o.naam}: ronde mislukt, volgende ronde opnieuw`);
      stil = true;
    }
  }

  let lopend: Promise<void> = Promise.resolve();
  const plan = () => {
    if (gestopt) return;
    wekker = setTimeout(() => {
      lopend = ronde().then(plan);
    }, interval);
  };
  lopend = ronde().then(plan);

  return {
    async close(): Promise<void> {
      gestopt = true;
      clearTimeout(wekker);
      await lopend;
    },
  };
}
