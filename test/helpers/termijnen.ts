// A case's timers as the store keeps them (fields `t:<actie>` of its hash; the case in its bucket of
// the timers by its earliest), for tests that look at them or move one.
import type { Redis } from 'ioredis';
import { termijnLid, type Termijnactie } from '../../src/domain/termijnen.js';
import type { RedisNamen } from '../../src/store/redis-namen.js';

/** The case's pending timers: `<id>|<actie>` and their moment (ms). */
export async function timersVan(r: Redis, namen: RedisNamen, id: string): Promise<Record<string, number>> {
  const h = await r.hgetall(namen.melding(id));
  return Object.fromEntries(Object.entries(h).flatMap(([veld, ms]) => (veld.startsWith('t:') ? [[termijnLid(id, veld.slice(2) as Termijnactie), Number(ms)]] : [])));
}

/** Move a pending timer earlier (e.g. to now), as if its day had come; false when it was not pending. */
export async function vervroegTimer(r: Redis, namen: RedisNamen, id: string, actie: Termijnactie, ms: number): Promise<boolean> {
  if (!(await r.hexists(namen.melding(id), `t:${actie}`))) return false;
  await r.hset(namen.melding(id), `t:${actie}`, String(ms));
  await r.zadd(namen.termijnEmmer(id), 'LT', ms, id);
  await r.zadd(namen.termijnEmmers(), 'LT', ms, namen.termijnEmmer(id));
  return true;
}

/** The case's place among the timers (its earliest timer, ms), or null when it has none. */
export async function termijnPlek(r: Redis, namen: RedisNamen, id: string): Promise<number | null> {
  const s = await r.zscore(namen.termijnEmmer(id), id);
  return s === null ? null : Number(s);
}

/** Every case (and member of before) among the timers: the buckets and the shared set of before. */
export async function alleTermijnleden(r: Redis, namen: RedisNamen): Promise<string[]> {
  const emmers = await r.zrange(namen.termijnEmmers(), '0', '-1');
  const leden = await Promise.all([namen.termijnen(), ...emmers].map((k) => r.zrange(k, '0', '-1')));
  return leden.flat();
}
