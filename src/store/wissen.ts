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
import { EMMER, EMMERVELD, type RedisNamen } from './redis-namen.js';

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
        gegevens: k.meldingBlob(id, 'gegevens'), herhaling: k.meldingBlob(id, 'herhaling'), termijnEmmer: k.termijnEmmer(id), termijnEmmers: k.termijnEmmers() },
      { id, op: o.op.toISOString(), reden: o.reden, ms: o.op.getTime(), extra: JSON.stringify({
        logboek: logboekVelden(o.logboek), timers: o.timers, markers: o.markers,
        betrokkeneBasis: k.betrokkeneIndexBasis(), idemBasis: k.idemBasis(), emmer: EMMER, emmerveld: EMMERVELD, feedBasis: k.feedBasis(), bezorgdBasis: k.bezorgdBasis(),
      }) }));
    return r === 1 ? 'gewist' : r === 0 ? 'al-gewist' : 'onbekend';
  }

  /**
   * Cases whose personal data is due for removal at `nu`, oldest first, as planned in the retention
   * set before the moment became a timer of the case (`t:bewaar`, fired by the timers' scheduler).
   */
  async verlopen(nu: Date, max = 100): Promise<string[]> {
    return opslag(() => this.redis.zrangebyscore(this.namen.bewaartermijnen(), '-inf', nu.getTime(), 'LIMIT', 0, max));
  }

  /** When the case will lose its personal data (ms), if planned: its retention timer, or the earlier retention set. */
  async gepland(id: string): Promise<number | undefined> {
    const [veld, oud] = await opslag(() => Promise.all([
      this.redis.hget(this.namen.melding(id), 't:bewaar'), this.redis.zscore(this.namen.bewaartermijnen(), id)]));
    const momenten = [veld, oud].filter((s): s is string => s !== null).map(Number);
    return momenten.length ? Math.min(...momenten) : undefined;
  }

  /** Everything of the case is gone (also its links and jobs): its retention timer stops. */
  async klaar(id: string): Promise<void> {
    await opslag(() => Promise.all([
      voerScriptUit(this.redis, SCRIPTS.termijnStop, { melding: this.namen.melding(id), termijnen: this.namen.termijnen(),
        termijnEmmer: this.namen.termijnEmmer(id), termijnEmmers: this.namen.termijnEmmers() }, { id, leden: JSON.stringify([`${id}|bewaar`]) }),
      this.redis.zrem(this.namen.bewaartermijnen(), id),
    ]));
  }
}
