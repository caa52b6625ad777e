// A case's timers as the store keeps them (fields `t:<actie>` of its hash; the case in the timers'
// sorted set by its earliest), for tests that look at them or move one.
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
  await r.zadd(namen.termijnen(), 'LT', ms, id);
  return true;
}
