// Run the real `signaalbrug` CLI in a child process: the compiled bin, as users run it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './root.js';

export function cliProces(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): ChildProcess {
  return spawn(process.execPath, [path.join(ROOT, 'bin/signaalbrug.js'), ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function cli(args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = cliProces(args, opts);
    let stdout = '';
    let stderr = '';
    p.stdout!.on('data', (d: Buffer) => (stdout += d));
    p.stderr!.on('data', (d: Buffer) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Stop a child process and wait until it is gone (a teardown that does not wait leaves it running
 * into the next steps, e.g. reconnecting to a Redis that is stopped next). SIGKILL after `ms`.
 */
export async function stopProces(p: ChildProcess, signaal: NodeJS.Signals = 'SIGTERM', ms = 15_000): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const weg = new Promise<void>((resolve) => p.once('exit', () => resolve()));
  p.kill(signaal);
  const noodrem = setTimeout(() => p.kill('SIGKILL'), ms);
  await weg;
  clearTimeout(noodrem);
}
