// The scheduler of deadlines: one loop per worker that every `sweepSeconden` takes a short lease on
// the round and fires every due timer of the sorted set (diensten/termijnen). Workers without the
// lease skip that round; a worker that dies holding it delays the timers by at most the lease.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Termijnen } from '../diensten/termijnen.js';

export interface Termijnslot {
  termijnslot(token: string, ms: number, actie: 'neem' | 'verleng' | 'geef-vrij'): Promise<boolean>;
}

export function startTermijnwerker(o: { termijnen: Termijnen; slot: Termijnslot; sweepSeconden: number; log: Logger }) {
  const token = `${process.pid}-${randomUUID()}`;
  const interval = o.sweepSeconden * 1000;
  // Long enough for one batch on a busy machine (renewed after each), short enough that a holder
  // that died costs the other workers little.
  const lease = Math.max(10_000, 3 * interval);
  let gestopt = false;
  let wekker: NodeJS.Timeout | undefined;
  let stil = false;

  async function ronde(): Promise<void> {
    try {
      if (!(await o.slot.termijnslot(token, lease, 'neem'))) return;
      try {
        await o.termijnen.sweep({ verder: async () => !gestopt && o.slot.termijnslot(token, lease, 'verleng') });
      } finally {
        await o.slot.termijnslot(token, lease, 'geef-vrij');
      }
      if (stil) o.log.info('termijnplanner: loopt weer');
      stil = false;
    } catch (err) {
      // Timers stay in the set: the next round fires them. Said once per standstill.
      if (!stil) o.log.error({ alarm: 'termijnplanner', err: (err as Error).message }, 'termijnplanner: ronde mislukt, volgende ronde opnieuw');
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
