// The logboek dataverwerkingen: an append-only Redis Stream `${prefix}:logboek`. Entry ids carry the
// service clock (`<ms>-*`), so retention can trim by MINID and exports can filter by time without
// parsing. The service clock rules, never Redis's: a writer whose clock lags the newest entry appends
// at that entry's millisecond, so ids stay monotonic and nothing is trimmed before its time.
import type { Redis } from 'ioredis';
import { nieuwSpoor, verwerking, type Actie, type Spoor, type Verwerking } from '../domain/verwerking.js';
import { LOGBOEK_LUA, logboekVelden } from './logboek-lua.js';
import { opslag } from './meldingen.js';

export interface Logboekfilter {
  sinds?: Date;
  tot?: Date;
  melding?: string;
  /** The span name (e.g. `melding-ontvangen`) or the processing activity (e.g. `vroegsignalering`). */
  activiteit?: string;
  betrokkene?: string;
}

const SCHRIJF_LUA = `${LOGBOEK_LUA}
logboek(KEYS[1], ARGV[1], cjson.decode(ARGV[2]))
return 1`;

export class Logboek {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** Base URI of the register of processing activities (config privacy.verwerkingsregister). */
    readonly register = 'urn:signaalbrug:verwerkingsregister',
  ) {
    redis.defineCommand('sbLogboek', { numberOfKeys: 1, lua: SCHRIJF_LUA });
  }

  get key(): string {
    return `${this.prefix}:logboek`;
  }

  /** A record for an action that changes no case (e.g. inzage): on its own. */
  async schrijf(v: Verwerking): Promise<void> {
    await opslag(() => (this.redis as unknown as { sbLogboek(...a: unknown[]): Promise<unknown> })
      .sbLogboek(this.key, Date.parse(v.endTime), JSON.stringify(logboekVelden(v))));
  }

  /**
   * A record about one melding outside a state change (e.g. a repeated reading in the portal): its
   * subject and trace come from the case; nothing is written for a case that does not exist.
   */
  async vastleggen(meldingId: string, a: { actie: Actie; oin: string; op: Date; spoor?: Spoor; extra?: Record<string, string | undefined> }): Promise<void> {
    const [betrokkene, traceId, spanId] = await opslag(() =>
      this.redis.hmget(`${this.prefix}:melding:${meldingId}`, 'betrokkene', 'traceId', 'spanId'));
    if (!betrokkene) return;
    const spoor = a.spoor ?? (traceId ? { traceId, ...(spanId ? { parentSpanId: spanId } : {}) } : nieuwSpoor());
    await this.schrijf(verwerking({ actie: a.actie, spoor, register: this.register, betrokkene, oin: a.oin, meldingId, start: a.op, extra: a.extra }));
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
        const span = JSON.parse(v.span!) as Verwerking;
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
