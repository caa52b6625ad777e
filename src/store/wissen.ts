// Removing the personal data of a case, for retention and for the tenant's right to erasure (AVG
// art. 17). One script removes everything personal that belongs to the case (encrypted melding and
// feedback, idempotency key, pseudonymous index entry, feed entry, delivered-markers, pending
// timers) and logs the deletion in the same step. What stays is metadata for the counts of 004
// art. 9.5: soort, wijkteam, OINs, dates, status and the events (which hold no personal data).
import type { Redis } from 'ioredis';
import { nieuwSpoor, verwerking, type Spoor } from '../domain/verwerking.js';
import { LOGBOEK_LUA, logboekVelden } from './logboek-lua.js';
import { opslag } from './opslag.js';

export type Wisreden = 'bewaartermijn' | 'verzoek-betrokkene';
export type Wisuitkomst = 'gewist' | 'al-gewist' | 'onbekend';

// KEYS: case, events, logboek. ARGV: id, now (ISO), reden, logboek ms, logboek fields (JSON),
// JSON {timers, markers}, key prefix. Keys of indexes are built from the prefix, as in links-lua.ts.
const WIS_LUA = `${LOGBOEK_LUA}
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('HEXISTS', KEYS[1], 'verwijderdOp') == 1 then return 0 end
local p = ARGV[7]
local h = redis.call('HMGET', KEYS[1], 'betrokkene', 'idem', 'oin', 'feedId')
local x = cjson.decode(ARGV[6])
redis.call('HDEL', KEYS[1], 'gegevens', 'terugkoppeling', 'idem', 'feedId')
redis.call('HSET', KEYS[1], 'verwijderdOp', ARGV[2], 'verwijderReden', ARGV[3])
redis.call('RPUSH', KEYS[2], cjson.encode({soort = 'gegevens-verwijderd', op = ARGV[2], reden = ARGV[3]}))
if h[1] then redis.call('SREM', p .. ':idx:betrokkene:' .. h[1], ARGV[1]) end
if h[2] then
  local idem = p .. ':idem:' .. h[2]
  local v = redis.call('GET', idem)
  if v and string.sub(v, 1, #ARGV[1] + 1) == ARGV[1] .. ' ' then redis.call('DEL', idem) end
end
if h[3] and h[4] then redis.call('XDEL', p .. ':feed:' .. h[3], h[4]) end
for _, lid in ipairs(x.timers) do redis.call('ZREM', p .. ':termijnen', lid) end
for _, m in ipairs(x.markers) do redis.call('DEL', p .. ':bezorgd:' .. m) end
logboek(KEYS[3], ARGV[4], cjson.decode(ARGV[5]))
return 1
`;

export interface Wisopdracht {
  reden: Wisreden;
  op: Date;
  /** Who acted; by default the corporation that sent the melding (the controller). */
  oin?: string;
  spoor?: Spoor;
  kanaal: 'werker' | 'cli';
  /** Timer members (`<id>|<actie>`) and delivered-markers (job ids) the case may have. */
  timers: string[];
  markers: string[];
}

export class Wisser {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly register: string,
  ) {
    redis.defineCommand('sbWis', { numberOfKeys: 3, lua: WIS_LUA });
  }

  private key(...delen: string[]): string {
    return [this.prefix, ...delen].join(':');
  }

  async wis(id: string, o: Wisopdracht): Promise<Wisuitkomst> {
    const [betrokkene, traceId, spanId, oin] = await opslag(() =>
      this.redis.hmget(this.key('melding', id), 'betrokkene', 'traceId', 'spanId', 'oin'));
    const span = verwerking({
      actie: 'gegevens-verwijderd', register: this.register, betrokkene: betrokkene ?? 'onbekend', oin: o.oin ?? oin ?? 'onbekend',
      meldingId: id, start: o.op, spoor: o.spoor ?? (traceId ? { traceId, ...(spanId ? { parentSpanId: spanId } : {}) } : nieuwSpoor()),
      extra: { kanaal: o.kanaal, reden: o.reden },
    });
    const r = (await opslag(() => (this.redis as unknown as { sbWis(...a: unknown[]): Promise<number> }).sbWis(
      this.key('melding', id), this.key('melding', id, 'gebeurtenissen'), this.key('logboek'),
      id, o.op.toISOString(), o.reden, o.op.getTime(), JSON.stringify(logboekVelden(span)),
      JSON.stringify({ timers: o.timers, markers: o.markers }), this.prefix)));
    return r === 1 ? 'gewist' : r === 0 ? 'al-gewist' : 'onbekend';
  }

  /** Cases whose personal data is due for removal at `nu`, oldest first. */
  async verlopen(nu: Date, max = 100): Promise<string[]> {
    return opslag(() => this.redis.zrangebyscore(this.key('bewaartermijnen'), '-inf', nu.getTime(), 'LIMIT', 0, max));
  }

  /** When the case will lose its personal data (ms), if planned. */
  async gepland(id: string): Promise<number | undefined> {
    const s = await opslag(() => this.redis.zscore(this.key('bewaartermijnen'), id));
    return s === null ? undefined : Number(s);
  }

  /** Everything of the case is gone (also its links and jobs): take it off the retention list. */
  async klaar(id: string): Promise<void> {
    await opslag(() => this.redis.zrem(this.key('bewaartermijnen'), id));
  }
}
