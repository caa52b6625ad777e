// The werkplek's login records and sessions in Redis. Keys are keyed hashes of the state and of the
// session id (the caller hashes), values are sealed by the caller; this store only executes.
import type { Redis } from 'ioredis';
import type { RedisNamen } from './redis-namen.js';

export class WerkplekSessieStore {
  constructor(private readonly redis: Redis, private readonly namen: RedisNamen) {}

  /** A login in progress (state, nonce, PKCE verifier), valid for `ms`. */
  async bewaarLogin(hash: string, waarde: string, ms: number): Promise<void> {
    await this.redis.set(this.namen.werkplekLogin(hash), waarde, 'PX', ms);
  }

  /** Take a login record: read and delete in one command, so a state works once. */
  async neemLogin(hash: string): Promise<string | null> {
    return this.redis.getdel(this.namen.werkplekLogin(hash));
  }

  async bewaarSessie(hash: string, waarde: string, ms: number): Promise<void> {
    await this.redis.set(this.namen.werkplekSessie(hash), waarde, 'PX', ms);
  }

  async leesSessie(hash: string): Promise<string | null> {
    return this.redis.get(this.namen.werkplekSessie(hash));
  }

  /** Write a session back only if it still exists (a logout in between wins). */
  async vernieuwSessie(hash: string, waarde: string, ms: number): Promise<boolean> {
    return (await this.redis.set(this.namen.werkplekSessie(hash), waarde, 'PX', ms, 'XX')) === 'OK';
  }

  async verwijderSessie(hash: string): Promise<boolean> {
    return (await this.redis.del(this.namen.werkplekSessie(hash))) > 0;
  }
}
