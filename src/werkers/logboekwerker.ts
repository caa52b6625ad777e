// The logboek's archiver: one loop per worker that every `logboek.archiveerElkeSeconden` takes a short
// lease on the round (as the timer scheduler does) and moves every whole block of old records out of
// the stream into the archive (diensten/logboekarchief). Workers without the lease skip that round;
// should two archive at once anyway, the compare-and-set of each block keeps every record once.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Logboekarchief } from '../diensten/logboekarchief.js';

export interface Logboekslot {
  logboekslot(token: string, ms: number, actie: 'neem' | 'verleng' | 'geef-vrij'): Promise<boolean>;
}

export function startLogboekwerker(o: { archief: Logboekarchief; slot: Logboekslot; elkeSeconden: number; log: Logger }) {
  const token = `${process.pid}-${randomUUID()}`;
  const interval = o.elkeSeconden * 1000;
  // Long enough for one block on a busy machine (renewed after each), short enough that a holder
  // that died costs the other workers little.
  const lease = Math.max(10_000, 3 * interval);
  let gestopt = false;
  let wekker: NodeJS.Timeout | undefined;
  let stil = false;

  async function ronde(): Promise<void> {
    try {
      if (!(await o.slot.logboekslot(token, lease, 'neem'))) return;
      try {
        const r = await o.archief.archiveer({ verder: async () => !gestopt && o.slot.logboekslot(token, lease, 'verleng') });
        if (r.blokken) o.log.debug(r, 'logboek: records gearchiveerd');
      } finally {
        await o.slot.logboekslot(token, lease, 'geef-vrij');
      }
      if (stil) o.log.info('logboekarchief: loopt weer');
      stil = false;
    } catch (err) {
      // The records stay in the stream: the next round archives them. Said once per standstill.
      if (!stil) o.log.error({ alarm: 'logboekarchief', err: (err as Error).message }, 'logboekarchief: ronde mislukt, volgende ronde opnieuw');
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
