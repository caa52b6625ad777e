// The logboek's archiver: one loop per worker that every `logboek.archiveerElkeSeconden` takes a short
// lease on the round (as the timer scheduler does) and moves every whole block of old records out of
// the stream into the archive (diensten/logboekarchief). Workers without the lease skip that round;
// should two archive at once anyway, the compare-and-set of each block keeps every record once. When
// a round fails the records stay in the stream: the next round archives them.
import type { Logger } from 'pino';
import type { Logboekarchief } from '../diensten/logboekarchief.js';
import { startLeaselus, type Leaseactie } from './leaselus.js';

export interface Logboekslot {
  logboekslot(token: string, ms: number, actie: Leaseactie): Promise<boolean>;
}

export function startLogboekwerker(o: { archief: Logboekarchief; slot: Logboekslot; elkeSeconden: number; log: Logger }) {
  return startLeaselus({
    naam: 'logboekarchief', lease: (token, ms, actie) => o.slot.logboekslot(token, ms, actie), elkeSeconden: o.elkeSeconden, log: o.log,
    werk: async (verder) => {
      const r = await o.archief.archiveer({ verder });
      if (r.blokken) o.log.debug(r, 'logboek: records gearchiveerd');
    },
  });
}
