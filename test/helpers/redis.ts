// A real redis-server for a test: own port, own data dir, AOF on with fsync always, noeviction.
// It can be killed (SIGKILL, like a crash) and restarted on the same data.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

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
    '--appendonly', 'yes', '--appendfsync', 'always', '--maxmemory-policy', 'noeviction', '--daemonize', 'no', ...extraArgs,
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
