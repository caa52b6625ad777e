// Archiving the logboek dataverwerkingen: its records stay for years, two or more per case, and in
// the stream each takes about 500 B of Redis. The worker role moves the records that are older than
// `logboek.archiveerNaSeconden` on the service clock, oldest first, into compressed blocks of
// `logboek.blokRecords` records (store/logboek-blok.ts, about a fifth of the size), still in Redis
// and replicated like the stream. Moving a block is one compare-and-set script, so two workers, a
// retry, or the retention at the same moment never lose or repeat a record; readers see the same
// records in the same order before and after (LogboekStore.lees).
import type { Config } from '../config.js';
import type { LogboekStore } from '../store/logboek.js';

export interface LogboekarchiefDeps {
  config: Pick<Config, 'logboek'>;
  logboek: Pick<LogboekStore, 'archiveer'>;
  klok: () => Date;
}

/** A refused step (another archiver was first) is tried again at most this often in one round. */
const POGINGEN = 3;

export function createLogboekarchief({ config, logboek, klok }: LogboekarchiefDeps) {
  /**
   * Every whole block that is old enough, one after the other; returns how many records moved.
   * `verder` is asked between blocks (the worker renews its lease there; false ends the round).
   */
  async function archiveer(o: { verder?: () => Promise<boolean> } = {}): Promise<{ records: number; blokken: number; bytes: number }> {
    const uit = { records: 0, blokken: 0, bytes: 0 };
    let geweigerd = 0;
    for (;;) {
      const voor = new Date(klok().getTime() - config.logboek.archiveerNaSeconden * 1000);
      const r = await logboek.archiveer({ voor, max: config.logboek.blokRecords, min: config.logboek.blokRecords });
      if (r === 'geweigerd') {
        if (++geweigerd >= POGINGEN) return uit;
      } else {
        if (!r.aantal) return uit;
        uit.records += r.aantal;
        uit.blokken++;
        uit.bytes += r.bytes;
      }
      if (o.verder && !(await o.verder())) return uit;
    }
  }

  return { archiveer };
}

export type Logboekarchief = ReturnType<typeof createLogboekarchief>;
