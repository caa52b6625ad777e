// The Redis connection that is our system of record. Commands fail fast while Redis is away,
// so the API answers 503 at once instead of queueing a write it cannot promise.
import { readFileSync } from 'node:fs';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { ConfigError, type Config } from '../config.js';
import { SignaalbrugError } from '../errors.js';
import { isVerbindingsfout } from '../verbindingsfouten.js';

export { isVerbindingsfout, meldFouten } from '../verbindingsfouten.js';

/**
 * Where and how to reach Redis, resolved once from the config: one server (url) or the primary the
 * sentinels name, with ACL user, password and TLS. Every connection the service makes is built from
 * this by createRedis, BullMQ's included. The passwords live only here (not enumerable, so a logged
 * or printed object never shows them).
 */
export interface RedisDoel {
  /** For messages: the server or the sentinels, never a password. */
  readonly omschrijving: string;
  readonly opties: RedisOptions;
}

function geheim(bestand: string | undefined, envNaam: string | undefined, env: NodeJS.ProcessEnv, veld: string): string | undefined {
  if (bestand) {
    let w: string;
    try {
      w = readFileSync(bestand, 'utf8').trim();
    } catch (err) {
      throw new ConfigError(`redis.${veld}Bestand: kan niet gelezen worden: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    if (!w) throw new ConfigError(`redis.${veld}Bestand: het bestand is leeg`);
    return w;
  }
  if (envNaam) {
    const w = env[envNaam];
    if (!w) throw new ConfigError(`redis.${veld}Env: de omgevingsvariabele ${envNaam} is niet gezet of leeg`);
    return w;
  }
  return undefined;
}

/** Resolve the redis block (passwords from their file or environment variable); a ConfigError when that fails. */
export function redisDoel(cfg: Config['redis'], env: NodeJS.ProcessEnv = process.env): RedisDoel {
  const wachtwoord = geheim(cfg.wachtwoordBestand, cfg.wachtwoordEnv, env, 'wachtwoord');
  const sentinelWachtwoord = geheim(cfg.sentinelWachtwoordBestand, cfg.sentinelWachtwoordEnv, env, 'sentinelWachtwoord');
  const tls = cfg.tls ? { ca: cfg.tls.ca.map((f) => readFileSync(f, 'utf8')), ...(cfg.tls.servername ? { servername: cfg.tls.servername } : {}) } : undefined;
  const opties: RedisOptions = cfg.sentinels
    ? {
      sentinels: cfg.sentinels.map((s) => ({ host: s.host, port: s.port })), name: cfg.naam!,
      ...(tls ? { tls, enableTLSForSentinelMode: true, sentinelTLS: tls } : {}),
      // Ask the sentinels again soon when none answers. A killed primary closes the connections (they
      // ask the sentinels for the new one); a demoted one answers READONLY (see reconnectOnError).
      // No failoverDetector: its sentinel subscriptions outlive a quit in ioredis 6 and keep retrying.
      sentinelRetryStrategy: (n: number) => Math.min(100 * 2 ** Math.min(n, 4), 1000),
    }
    : { ...urlOpties(cfg.url!), ...(tls ? { tls } : cfg.url!.startsWith('rediss://') ? { tls: {} } : {}) };
  if (cfg.gebruiker) opties.username = cfg.gebruiker;
  const doel = {
    omschrijving: cfg.sentinels ? `sentinels ${cfg.sentinels.map((s) => `${s.host}:${s.port}`).join(', ')} (master ${cfg.naam})` : new URL(cfg.url!).host,
    opties,
  };
  // Not enumerable: JSON.stringify, pino and util.inspect of the options leave them out.
  if (wachtwoord) Object.defineProperty(opties, 'password', { value: wachtwoord, enumerable: false });
  if (sentinelWachtwoord) Object.defineProperty(opties, 'sentinelPassword', { value: sentinelWachtwoord, enumerable: false });
  return doel;
}

/** host, port, db, user and password of a redis:// URL (a password in the URL is the operator's choice). */
function urlOpties(url: string): RedisOptions {
  const u = new URL(url);
  const db = u.pathname.replace(/^\//, '');
  return {
    host: u.hostname || '127.0.0.1', port: Number(u.port || 6379),
    ...(db ? { db: Number(db) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
  };
}

/** How often a connection was lost: a write and its WAIT must have run on the same connection. */
const verbroken = new WeakMap<Redis, number>();
export const generatie = (redis: Redis): number => verbroken.get(redis) ?? 0;

/**
 * A connection to Redis. The API's (default): commands fail fast while Redis is away, so the API
 * answers 503 at once instead of queueing a write it cannot promise. BullMQ's (`bullmq: true`):
 * commands wait for the connection to come back (BullMQ requires maxRetriesPerRequest null).
 */
export function createRedis(doel: RedisDoel, opts: { naam: string; bullmq?: boolean }): Redis {
  const basis = doel.opties;
  const eigen: RedisOptions = opts.bullmq
    ? { maxRetriesPerRequest: null }
    : {
      enableOfflineQueue: false,
      // Commands issued in the same tick go out in one write: under load many requests share a syscall.
      enableAutoPipelining: true,
      maxRetriesPerRequest: 1,
      commandTimeout: 5000,
      lazyConnect: true,
      retryStrategy: (n) => Math.min(100 * 2 ** Math.min(n, 4), 1000),
    };
  // The passwords are not enumerable in the doel (so it never prints them): ioredis gets them plainly.
  const opties: RedisOptions = {
    ...basis, connectionName: `signaalbrug:${opts.naam}`, connectTimeout: 5000, ...eigen,
    // A primary demoted by a failover refuses writes (READONLY): reconnect, through the sentinels to
    // the new primary. The refused command fails (the API answers 503; the client's retry is safe).
    reconnectOnError: (err) => (err.message.startsWith('READONLY') ? 1 : false),
    ...(basis.password ? { password: basis.password } : {}),
    ...(basis.sentinelPassword ? { sentinelPassword: basis.sentinelPassword } : {}),
  };
  const r = new Redis(opties);
  r.on('close', () => verbroken.set(r, generatie(r) + 1));
  return r;
}

/** What `redis.replicaBevestiging` asks: WAIT for this many replicas, at most this long. */
export type Replicabevestiging = NonNullable<Config['redis']['replicaBevestiging']>;

/**
 * Acknowledge only what reached the replicas: WAIT on the connection that wrote (WAIT counts the
 * replicas that have every write of this connection so far). `sinds` is the connection's generation
 * before the write: when it was lost in between, the WAIT would run on a new connection (perhaps to a
 * new primary) and prove nothing about the write, so that is not acknowledged either. `schrijfEerst` (a channel
 * name): the caller found its write already done (a retry); a write of its own (PUBLISH, which replicas
 * receive) first makes the WAIT cover whatever the primary had, the earlier write included.
 * Throws the 503 problem when not confirmed: the write stays (it is on the primary) and a retry with
 * the same referentie is an idempotent replay.
 */
export async function wachtOpReplicas(redis: Redis, b: Replicabevestiging, sinds: number, o: { schrijfEerst?: string } = {}): Promise<void> {
  let bevestigd = 0;
  try {
    if (o.schrijfEerst) await redis.publish(o.schrijfEerst, '');
    bevestigd = Number(await redis.call('WAIT', b.replicas, b.timeoutMs));
  } catch (err) {
    throw new SignaalbrugError('SB_OPSLAG_ONBEREIKBAAR', 'de opslag is tijdelijk niet bereikbaar; probeer het later opnieuw', undefined, err);
  }
  if (generatie(redis) !== sinds || bevestigd < b.replicas)
    throw new SignaalbrugError('SB_OPSLAG_ONBEREIKBAAR',
      'de wijziging is opgeslagen maar nog niet door een tweede Redis bevestigd; probeer het opnieuw met dezelfde gegevens (dat is veilig)');
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
  /** Redis's largest value and most fields a hash keeps in its compact encoding (hash-max-listpack-value, -entries). */
  hashMaxListpackValue: string;
  hashMaxListpackEntries: string;
  /** The most members a sorted set keeps in its compact encoding (zset-max-listpack-entries). */
  zsetMaxListpackEntries: string;
  /** Settings that cost memory, not data (logged as GEHEUGEN). */
  geheugen: string[];
}

/**
 * The smallest `hash-max-listpack-value` that keeps a case in Redis's compact hash encoding: its
 * fields include the encrypted melding and its events (hundreds of bytes); at Redis's default of 64
 * every case hash is a hash table and takes several hundred bytes more.
 */
export const HASH_MAX_LISTPACK_VALUE = 2048;

/**
 * The smallest `hash-max-listpack-entries` that keeps the buckets of keyed lookups (idempotency, data
 * subject; 4096 each, see EMMER) compact up to about a million entries each (some 250 per bucket);
 * Redis's default of 128 turns them into hash tables from about half a million.
 */
export const HASH_MAX_LISTPACK_ENTRIES = 512;

/**
 * The smallest `zset-max-listpack-entries` that keeps the timers' buckets (4096, see TERMIJNEMMER)
 * compact up to about a million open cases; Redis's default of 128 turns them into skip lists (about
 * 145 instead of 50 bytes a case) from about half a million.
 */
export const ZSET_MAX_LISTPACK_ENTRIES = 512;

/**
 * Durability: the service checks AOF and noeviction at start and warns loudly if not; and the one
 * settings that decide memory per case (hash-max-listpack-value and -entries, zset-max-listpack-entries).
 * Redis 7.0 (Debian bookworm) has no WAITAOF, so only `appendfsync always` makes every 201 survive a
 * host crash; `everysec` may lose the last second and is reported as a risk.
 */
export async function controleerDuurzaamheid(redis: Redis, log: Logger): Promise<Duurzaamheid> {
  let cfg: Record<string, string> = {};
  try {
    const flat = (await redis.call('CONFIG', 'GET', 'append*', 'maxmemory-policy', 'hash-max-listpack-*', 'zset-max-listpack-entries')) as string[];
    for (let i = 0; i + 1 < flat.length; i += 2) cfg[flat[i]!] = flat[i + 1]!;
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'kan de Redis-configuratie niet lezen: controleer zelf AOF, noeviction en de listpack-grenzen');
    cfg = {};
  }
  const d: Duurzaamheid = {
    appendonly: cfg.appendonly ?? 'onbekend',
    appendfsync: cfg.appendfsync ?? 'onbekend',
    maxmemoryPolicy: cfg['maxmemory-policy'] ?? 'onbekend',
    problemen: [],
    hashMaxListpackValue: cfg['hash-max-listpack-value'] ?? 'onbekend',
    hashMaxListpackEntries: cfg['hash-max-listpack-entries'] ?? 'onbekend',
    zsetMaxListpackEntries: cfg['zset-max-listpack-entries'] ?? 'onbekend',
    geheugen: [],
  };
  if (d.appendonly !== 'yes') d.problemen.push('appendonly staat niet aan: een herstart van Redis verliest meldingen');
  if (d.appendfsync === 'no') d.problemen.push('appendfsync no: het besturingssysteem bepaalt wanneer data op schijf komt');
  if (d.appendfsync === 'everysec') d.problemen.push('appendfsync everysec: bij een crash van de Redis-host kan de laatste seconde verloren gaan');
  if (d.maxmemoryPolicy !== 'noeviction') d.problemen.push(`maxmemory-policy ${d.maxmemoryPolicy}: Redis kan meldingen weggooien; zet noeviction`);
  for (const p of d.problemen) log.warn({ redis: d }, `DUURZAAMHEID: ${p}`);
  if (Number(d.hashMaxListpackValue) < HASH_MAX_LISTPACK_VALUE)
    d.geheugen.push(`hash-max-listpack-value ${d.hashMaxListpackValue}: een casus kost zo honderden bytes meer; zet ${HASH_MAX_LISTPACK_VALUE}`);
  if (Number(d.hashMaxListpackEntries) < HASH_MAX_LISTPACK_ENTRIES)
    d.geheugen.push(`hash-max-listpack-entries ${d.hashMaxListpackEntries}: bij veel meldingen kosten de opzoekingen meer geheugen; zet ${HASH_MAX_LISTPACK_ENTRIES}`);
  if (Number(d.zsetMaxListpackEntries) < ZSET_MAX_LISTPACK_ENTRIES)
    d.geheugen.push(`zset-max-listpack-entries ${d.zsetMaxListpackEntries}: bij veel open meldingen kosten de termijnen meer geheugen; zet ${ZSET_MAX_LISTPACK_ENTRIES}`);
  for (const p of d.geheugen) log.warn({ redis: d }, `GEHEUGEN: ${p}`);
  return d;
}

/** The primary's view of its replicas (INFO replication). */
export interface Replicastand {
  rol: string;
  /** Replicas connected (connected_slaves). */
  verbonden: number;
  /** Of those, online and acknowledged within the last 2 seconds (they ack every second). */
  inSync: number;
}

/** Read INFO replication: whether this is the primary and how many replicas keep up with it. */
export async function replicaStand(redis: Redis): Promise<Replicastand> {
  const info = await redis.info('replication');
  const velden = new Map(info.split(/\r?\n/).map((r) => r.split(':', 2) as [string, string]).filter((r) => r.length === 2));
  let inSync = 0;
  for (const [k, v] of velden) {
    if (!/^slave\d+$/.test(k)) continue;
    const r = new Map(v.split(',').map((d) => d.split('=') as [string, string]));
    if (r.get('state') === 'online' && Number(r.get('lag')) <= 2) inSync++;
  }
  return { rol: velden.get('role') ?? 'onbekend', verbonden: Number(velden.get('connected_slaves') ?? 0), inSync };
}
