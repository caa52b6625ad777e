// The scheduler of deadlines: one loop per worker that every `sweepSeconden` takes a short lease on
// the round and fires every due timer of the sorted set (diensten/termijnen). Workers without the
// lease skip that round; a worker that dies holding it delays the timers by at most the lease.
// Timers stay in the set when a round fails: the next round fires them.
import type { Logger } from 'pino';
import type { Termijnen } from '../diensten/termijnen.js';
import { startLeaselus, type Leaseactie } from './leaselus.js';

export interface Termijnslot {
  termijnslot(token: string, ms: number, actie: Leaseactie): Promise<boolean>;
}

export function startTermijnwerker(o: { termijnen: Termijnen; slot: Termijnslot; sweepSeconden: number; log: Logger }) {
  return startLeaselus({
    naam: 'termijnplanner', lease: (token, ms, actie) => o.slot.termijnslot(token, ms, actie), elkeSeconden: o.sweepSeconden, log: o.log,
    werk: async (verder) => void (await o.termijnen.sweep({ verder })),
  });
}
