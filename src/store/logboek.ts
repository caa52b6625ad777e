// The logboek dataverwerkingen: an append-only Redis Stream (RedisNamen.logboek). Entry ids carry the
// service clock (`<ms>-*`), so retention can trim by MINID and exports can filter by time without
// parsing. The service clock rules, never Redis's: a writer whose clock lags the newest entry appends
// at that entry's millisecond, so ids stay monotonic and nothing is trimmed before its time.
import type { Redis } from 'ioredis';
import type { Actie, Verwerking } from '../domain/verwerking.js';
import { logboekVelden, uitLogboekVelden } from './logboek-velden.js';
import { definieerScripts, SCRIPTS, voerScriptUit } from './lua.js';
import { opslag } from './opslag.js';
import type { RedisNamen } from './redis-namen.js';

export interface Logboekfilter {
  sinds?: Date;
  tot?: Date;
  melding?: string;
  /** The span name (e.g. `melding-ontvangen`) or the processing activity (e.g. `vroegsignalering`). */
  activiteit?: string;
  betrokkene?: string;
}

export class LogboekStore {
  constructor(private readonly redis: Redis, private readonly namen: RedisNamen) {
    definieerScripts(redis);
  }

  private get key(): string {
    return this.namen.logboek();
  }

  /** A record for an action that changes no case (e.g. a reading, inzage): on its own. */
  async schrijf(v: Verwerking): Promise<void> {
    await opslag(() => voerScriptUit(this.redis, SCRIPTS.logboek, { logboek: this.key }, { ms: Date.parse(v.endTime), velden: JSON.stringify(logboekVelden(v)) }));
  }

  /** Records in time order, filtered; read in pages so a long logboek never sits in memory at once. */
  async *lees(f: Logboekfilter = {}): AsyncGenerator<Verwerking> {
    let start = f.sinds ? String(f.sinds.getTime()) : '-';
    const eind = f.tot ? String(f.tot.getTime()) : '+';
    for (;;) {
      const pagina = (await opslag(() => this.redis.xrange(this.key, start, eind, 'COUNT', 500))) as [string, string[]][];
      for (const [, velden] of pagina) {
        const v = Object.fromEntries(velden.flatMap((x, i) => (i % 2 ? [] : [[x, velden[i + 1]!]]))) as Record<string, string>;
        if (f.melding && v.melding !== f.melding) continue;
        if (f.betrokkene && v.betrokkene !== f.betrokkene) continue;
        const span = uitLogboekVelden(v);
        if (f.activiteit && span.name !== f.activiteit && !span.attributes['dpl.core.processing_activity_id']?.endsWith(`#${f.activiteit}`)) continue;
        yield span;
      }
      if (pagina.length < 500) return;
      start = `(${pagina.at(-1)![0]}`;
    }
  }

  /** Retention of the logboek itself: drop records older than `voor` (whole records, by entry id). */
  async trim(voor: Date): Promise<number> {
    return (await opslag(() => this.redis.xtrim(this.key, 'MINID', voor.getTime()))) as number;
  }
}

export type { Actie, Verwerking };
