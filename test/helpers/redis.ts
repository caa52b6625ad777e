// A real redis-server for a test: own port, own data dir, AOF on with fsync always, noeviction.
// It can be killed (SIGKILL, like a crash) and restarted on the same data.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { HASH_MAX_LISTPACK_ENTRIES, HASH_MAX_LISTPACK_VALUE, ZSET_MAX_LISTPACK_ENTRIES } from '../../src/store/redis.js';

export async function vrijePoort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface TestRedis {
  url: string;
  port: number;
  dir: string;
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface Teardown {
  teardown(fn: () => unknown): void;
}

// Safety net: a test process that ends without its teardowns (tap's timeout, a crash) takes its
// redis-servers along instead of leaving them running.
const levend = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of levend) p.kill('SIGKILL');
});

export async function startRedis(t: Teardown, extraArgs: string[] = []): Promise<TestRedis> {
  const port = await vrijePoort();
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-redis-'));
  let proc: ChildProcess | undefined;
  const args = [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '',
    '--appendonly', 'yes', '--appendfsync', 'always', '--maxmemory-policy', 'noeviction',
    '--hash-max-listpack-value', String(HASH_MAX_LISTPACK_VALUE), '--hash-max-listpack-entries', String(HASH_MAX_LISTPACK_ENTRIES),
    '--zset-max-listpack-entries', String(ZSET_MAX_LISTPACK_ENTRIES),
    '--daemonize', 'no', ...extraArgs,
  ];
  const url = `redis://127.0.0.1:${port}`;

  const beeindig = async (signaal: NodeJS.Signals) => {
    const p = proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    await new Promise<void>((res) => {
      p.once('exit', () => res());
      p.kill(signaal);
    });
  };

  const r: TestRedis = {
    url, port, dir,
    async start() {
      const p = spawn('redis-server', args, { stdio: 'ignore' });
      levend.add(p);
      p.once('exit', () => levend.delete(p));
      proc = p;
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => {});
      for (let i = 0; i < 100; i++) {
        try {
          await probe.connect();
          await probe.ping();
          probe.disconnect();
          return;
        } catch {
          probe.disconnect();
          await new Promise((res) => setTimeout(res, 50));
        }
      }
      throw new Error(`redis-server on ${port} did not start`);
    },
    kill: () => beeindig('SIGKILL'),
    stop: () => beeindig('SIGTERM'),
  };
  await r.start();
  t.teardown(async () => {
    await r.kill();
    rmSync(dir, { recursive: true, force: true });
  });
  return r;
}

/** A Redis Sentinel setup on loopback: a primary, a replica and three sentinels (quorum 2). */
export interface TestSentinel {
  /** The master name the sentinels monitor (config redis.naam). */
  naam: string;
  /** Where the sentinels listen (config redis.sentinels). */
  sentinels: { host: string; port: number }[];
  /** The servers as started: `primary` began as primary, `replica` as its replica; a failover swaps their roles. */
  primary: TestRedis;
  replica: TestRedis;
  /** The server the sentinels name primary now. */
  huidigePrimary(): Promise<TestRedis>;
  /** Wait until the sentinels name another primary than `oud` (a failover); bounded. */
  wachtOpNieuwePrimary(oud: TestRedis, ms?: number): Promise<TestRedis>;
  /** Wait until `server` is a replica whose link to the primary is up and whom the primary lists online (also after it rejoins). */
  wachtOpReplica(server: TestRedis, ms?: number): Promise<void>;
  /** ROLE of a server: 'master' or 'slave'. */
  rol(server: TestRedis): Promise<string>;
}

async function vraagRedis<T>(port: number, werk: (r: Redis) => Promise<T>): Promise<T | undefined> {
  const r = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  r.on('error', () => {});
  try {
    await r.connect();
    return await werk(r);
  } catch {
    return undefined;
  } finally {
    r.disconnect();
  }
}

const WACHTFACTOR = Math.max(1, Number(process.env.SB_TEST_WACHTFACTOR) || 1);

async function wachtTot<T>(wat: string, ms: number, probeer: () => Promise<T | undefined | false>): Promise<T> {
  const eind = Date.now() + ms;
  for (;;) {
    const r = await probeer();
    if (r) return r;
    if (Date.now() > eind) throw new Error(`timed out after ${ms} ms waiting for ${wat}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

/**
 * Start a primary, a replica (--replicaof) and three sentinels (`redis-server <conf> --sentinel`,
 * each with its own writable conf in a temp dir: sentinels rewrite it). A primary that does not answer
 * for `downAfterMs` is failed over by a quorum of two. All on 127.0.0.1 with free ports; killed in the
 * teardown and by the exit safety net.
 */
export async function startRedisSentinel(t: Teardown, o: { naam?: string; downAfterMs?: number; failoverTimeoutMs?: number } = {}): Promise<TestSentinel> {
  const naam = o.naam ?? 'signaalbrug';
  const primary = await startRedis(t);
  const replica = await startRedis(t, ['--replicaof', '127.0.0.1', String(primary.port)]);
  const servers = [primary, replica];
  const rol = async (s: TestRedis) => (await vraagRedis(s.port, async (r) => ((await r.call('ROLE')) as string[])[0])) ?? 'weg';
  // A returned primary is seen by the sentinels within their 10 s INFO period, reconfigured, then fully
  // resynced: about 20 s on a quiet machine, more on a loaded one (bounded, SB_TEST_WACHTFACTOR stretches it).
  // Up on both ends: the replica's link is up, and its primary lists it online. After a full resync
  // the primary puts the replica online only at the replica's first ACK (up to a second later), and
  // until then a WAIT does not count it.
  const wachtOpReplica = (s: TestRedis, ms = 90_000 * WACHTFACTOR) => wachtTot(`${s.port} to replicate`, ms, async () => {
    const info = await vraagRedis(s.port, (r) => r.info('replication'));
    const master = info && /master_link_status:up/.test(info) ? /master_port:(\d+)/.exec(info)?.[1] : undefined;
    if (!master) return false;
    const bijPrimary = await vraagRedis(Number(master), (r) => r.info('replication'));
    return !!bijPrimary && new RegExp(`slave\\d+:ip=[^,]+,port=${s.port},state=online`).test(bijPrimary);
  }).then(() => undefined);
  await wachtOpReplica(replica);

  const dir = mkdtempSync(path.join(tmpdir(), 'sb-sentinel-'));
  const sentinels: { host: string; port: number }[] = [];
  const processen: ChildProcess[] = [];
  for (let i = 0; i < 3; i++) {
    const port = await vrijePoort();
    const conf = path.join(dir, `sentinel-${i}.conf`);
    writeFileSync(conf, [
      `port ${port}`, 'bind 127.0.0.1', `dir ${dir}`,
      `sentinel monitor ${naam} 127.0.0.1 ${primary.port} 2`,
      `sentinel down-after-milliseconds ${naam} ${o.downAfterMs ?? 1000}`,
      `sentinel failover-timeout ${naam} ${o.failoverTimeoutMs ?? 5000}`,
      `sentinel parallel-syncs ${naam} 1`, '',
    ].join('\n'));
    const p = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' });
    levend.add(p);
    p.once('exit', () => levend.delete(p));
    processen.push(p);
    sentinels.push({ host: '127.0.0.1', port });
  }
  t.teardown(async () => {
    await Promise.all(processen.map((p) => (p.exitCode !== null || p.signalCode !== null ? undefined
      : new Promise<void>((res) => { p.once('exit', () => res()); p.kill('SIGKILL'); }))));
    rmSync(dir, { recursive: true, force: true });
  });

  /** The primary's port as a sentinel sees it. */
  const gemeld = (s: { port: number }) => vraagRedis(s.port, async (r) => Number(((await r.call('SENTINEL', 'get-master-addr-by-name', naam)) as string[])[1]));
  const huidigePrimary = async () => {
    const port = await wachtTot('a sentinel to name the primary', 10_000, async () => (await Promise.all(sentinels.map(gemeld))).find((p) => p));
    return servers.find((s) => s.port === port)!;
  };
  // Ready when every sentinel knows the replica and the other sentinels (so a quorum can act).
  await wachtTot('the sentinels to see each other and the replica', 30_000, async () => (await Promise.all(sentinels.map((s) => vraagRedis(s.port, async (r) => {
    const m = (await r.call('SENTINEL', 'master', naam)) as string[];
    const veld = (k: string) => Number(m[m.indexOf(k) + 1]);
    return veld('num-slaves') >= 1 && veld('num-other-sentinels') >= 2;
  })))).every(Boolean));

  return {
    naam, sentinels, primary, replica, huidigePrimary, rol, wachtOpReplica,
    async wachtOpNieuwePrimary(oud, ms = 60_000) {
      const port = await wachtTot('the sentinels to promote a replica', ms, async () => {
        const ports = await Promise.all(sentinels.map(gemeld));
        const nieuw = ports.filter((p) => p && p !== oud.port);
        // A majority agrees and the new one answers as master.
        return nieuw.length >= 2 && (await rol(servers.find((s) => s.port === nieuw[0])!)) === 'master' ? nieuw[0] : undefined;
      });
      return servers.find((s) => s.port === port)!;
    },
  };
}
