// The Redis connection that is our system of record. Commands fail fast while Redis is away,
// so the API answers 503 at once instead of queueing a write it cannot promise.
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { isVerbindingsfout } from '../verbindingsfouten.js';

export { isVerbindingsfout, meldFouten } from '../verbindingsfouten.js';

export function createRedis(url: string, opts: { naam: string }): Redis {
  return new Redis(url, {
    connectionName: `signaalbrug:${opts.naam}`,
    enableOfflineQueue: false,
    // Commands issued in the same tick go out in one write: under load many requests share a syscall.
    enableAutoPipelining: true,
    maxRetriesPerRequest: 1,
    commandTimeout: 5000,
    connectTimeout: 5000,
    lazyConnect: true,
    retryStrategy: (n) => Math.min(100 * 2 ** Math.min(n, 4), 1000),
  });
}

/**
 * Logs each outage of a connection once: a warning when it is lost, info when it is back. ioredis
 * emits 'error' for every reconnect attempt (and prints each to stderr when nobody listens), so a
 * minute without Redis would otherwise be hundreds of lines. Other errors are logged as they come.
 */
export function bewaakVerbinding<C extends Redis>(redis: C, log: Logger): C {
  // The name the connection already carries (CLIENT LIST shows it too), without our prefix.
  const naam = (redis.options.connectionName ?? '').replace(/^signaalbrug:/, '');
  let storing: { sinds: number; pogingen: number } | undefined;
  const verloren = (err?: Error) => {
    if (storing) return storing;
    log.warn({ verbinding: naam, err: err?.message }, 'redis-verbinding verloren: opnieuw verbinden');
    return (storing = { sinds: Date.now(), pogingen: 0 });
  };
  redis.on('error', (err: Error) => {
    if (isVerbindingsfout(err)) verloren(err);
    else log.warn({ verbinding: naam, err: err.message }, 'redis-fout');
  });
  // Before every reconnect attempt (never after our own quit or disconnect), also when no error came first.
  redis.on('reconnecting', () => void verloren().pogingen++);
  redis.on('ready', () => {
    if (!storing) return;
    log.info({ verbinding: naam, ms: Date.now() - storing.sinds, pogingen: storing.pogingen }, 'redis-verbinding hersteld');
    storing = undefined;
  });
  return redis;
}

/** Wait until the client is ready (it keeps retrying in the background while Redis is down). */
export async function verbind(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return;
  if (redis.status === 'wait') {
    await redis.connect();
    return;
  }
  await new Promise<void>((resolve) => redis.once('ready', () => resolve()));
}

export interface Duurzaamheid {
  appendonly: string;
  appendfsync: string;
  maxmemoryPolicy: string;
  problemen: string[];
}

/**
 * Durability: the service checks AOF and noeviction at start and warns loudly if not.
 * Redis 7.0 (Debian bookworm) has no WAITAOF, so only `appendfsync always` makes every 201 survive a
 * host crash; `everysec` may lose the last second and is reported as a risk.
 */
export async function controleerDuurzaamheid(redis: Redis, log: Logger): Promise<Duurzaamheid> {
  let cfg: Record<string, string> = {};
  try {
    const flat = (await redis.call('CONFIG', 'GET', 'append*', 'maxmemory-policy')) as string[];
    for (let i = 0; i + 1 < flat.length; i += 2) cfg[flat[i]!] = flat[i + 1]!;
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'kan de Redis-configuratie niet lezen: controleer zelf AOF en noeviction');
    cfg = {};
  }
  const d: Duurzaamheid = {
    appendonly: cfg.appendonly ?? 'onbekend',
    appendfsync: cfg.appendfsync ?? 'onbekend',
    maxmemoryPolicy: cfg['maxmemory-policy'] ?? 'onbekend',
    problemen: [],
  };
  if (d.appendonly !== 'yes') d.problemen.push('appendonly staat niet aan: een herstart van Redis verliest meldingen');
  if (d.appendfsync === 'no') d.problemen.push('appendfsync no: het besturingssysteem bepaalt wanneer data op schijf komt');
  if (d.appendfsync === 'everysec') d.problemen.push('appendfsync everysec: bij een crash van de Redis-host kan de laatste seconde verloren gaan');
  if (d.maxmemoryPolicy !== 'noeviction') d.problemen.push(`maxmemory-policy ${d.maxmemoryPolicy}: Redis kan meldingen weggooien; zet noeviction`);
  for (const p of d.problemen) log.warn({ redis: d }, `DUURZAAMHEID: ${p}`);
  return d;
}
