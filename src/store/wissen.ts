// Removing the personal data of a case, for retention and for the tenant's right to erasure (AVG
// art. 17). One script removes everything personal that belongs to the case (encrypted melding and
// feedback, idempotency key, pseudonymous index entry, feed entry, delivered-markers, pending
// timers) and logs the deletion in the same step. What stays is metadata for the counts of 004
// art. 9.5: soort, wijkteam, OINs, dates, status and the events (which hold no personal data).
import type { Redis } from 'ioredis';
import type { Verwerking } from '../domain/verwerking.js';
import { logboekVelden } from './logboek-velden.js';
import { definieerScripts, SCRIPTS, voerScriptUit } from './lua.js';
import { opslag } from './opslag.js';
import type { RedisNamen } from './redis-namen.js';

export type Wisreden = 'bewaartermijn' | 'verzoek-betrokkene';
export type Wisuitkomst = 'gewist' | 'al-gewist' | 'onbekend';

export interface Wisopdracht {
  reden: Wisreden;
  op: Date;
  /** The logboek record of the deletion, built by the service. */
  logboek: Verwerking;
  /** Timer members (`<id>|<actie>`) and delivered-markers (job ids) the case may have. */
  timers: string[];
  markers: string[];
}

export class WisStore {
  constructor(private readonly redis: Redis, private readonly namen: RedisNamen) {
    definieerScripts(redis);
  }

  async wis(id: string, o: Wisopdracht): Promise<Wisuitkomst> {
    const k = this.namen;
    const r = await opslag(() => voerScriptUit(this.redis, SCRIPTS.wis,
      { melding: k.melding(id), gebeurtenissen: k.gebeurtenissen(id), logboek: k.logboek(), termijnen: k.termijnen(),
        gegevens: k.meldingBlob(id, 'gegevens'), herhaling: k.meldingBlob(id, 'herhaling') },
      { id, op: o.op.toISOString(), reden: o.reden, ms: o.op.getTime(), extra: JSON.stringify({
        logboek: logboekVelden(o.logboek), timers: o.timers, markers: o.markers,
        betrokkeneBasis: k.betrokkeneIndexBasis(), idemBasis: k.idemBasis(), feedBasis: k.feedBasis(), bezorgdBasis: k.bezorgdBasis(),
      }) }));
    return r === 1 ? 'gewist' : r === 0 ? 'al-gewist' : 'onbekend';
  }

  /** Cases whose personal data is due for removal at `nu`, oldest first. */
  async verlopen(nu: Date, max = 100): Promise<string[]> {
    return opslag(() => this.redis.zrangebyscore(this.namen.bewaartermijnen(), '-inf', nu.getTime(), 'LIMIT', 0, max));
  }

  /** When the case will lose its personal data (ms), if planned. */
  async gepland(id: string): Promise<number | undefined> {
    const s = await opslag(() => this.redis.zscore(this.namen.bewaartermijnen(), id));
    return s === null ? undefined : Number(s);
  }

  /** Everything of the case is gone (also its links and jobs): take it off the retention list. */
  async klaar(id: string): Promise<void> {
    await opslag(() => this.redis.zrem(this.namen.bewaartermijnen(), id));
  }
}
