// The outbox stream, read by the relay in a consumer group. Its connection is dedicated: XREADGROUP
// BLOCK holds it while waiting.
import type { Redis } from 'ioredis';
import type { RedisNamen } from './redis-namen.js';

const GROEP = 'relay';
type Entries = [string, string[]][];
const alsVelden = (entries: Entries): [string, Record<string, string>][] =>
  entries.filter((e) => e && e[1]).map(([id, velden]) => [id, Object.fromEntries(velden.flatMap((x, i) => (i % 2 ? [] : [[x, velden[i + 1]!]])))]);

export class OutboxStore {
  constructor(private readonly redis: Redis, private readonly namen: RedisNamen) {}

  async maakGroep(): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.namen.outbox(), GROEP, '0', 'MKSTREAM');
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
  }

  async lees(consumer: string, aantal: number, blokMs: number) {
    const res = (await this.redis.xreadgroup('GROUP', GROEP, consumer, 'COUNT', aantal, 'BLOCK', blokMs, 'STREAMS', this.namen.outbox(), '>')) as [string, Entries][] | null;
    return res ? alsVelden(res[0]![1]) : [];
  }

  async claim(consumer: string, minIdleMs: number, aantal: number) {
    const [, geclaimd] = (await this.redis.xautoclaim(this.namen.outbox(), GROEP, consumer, minIdleMs, '0-0', 'COUNT', aantal)) as [string, Entries];
    return alsVelden(geclaimd);
  }

  async bevestig(ids: string[]): Promise<void> {
    if (ids.length) await this.redis.multi().xack(this.namen.outbox(), GROEP, ...ids).xdel(this.namen.outbox(), ...ids).exec();
  }

  stop(): void {
    this.redis.disconnect();
  }
}
