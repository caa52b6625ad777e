// What acknowledging only after a replica has the write costs: intake throughput and latency with
// redis.replicaBevestiging off and with WAIT 1 on, each against its own primary + replica (and the
// three sentinels the service finds them through, the production topology), measured with the same
// load generator (bench/last.ts: mTLS keep-alive, POST /v1/meldingen, separate process) as the
// intake figure of bench/run.ts. Run alone: `node dist/bench/wacht.js [--quick]`.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from '../test/helpers/build.js';

export interface WachtMeting { perSecond: number; p50Ms: number; p99Ms: number }

export interface WachtFiguur {
  aantal: number;
  gelijktijdig: number;
  /** WAIT off (the default). */
  zonder: WachtMeting;
  /** WAIT 1 <timeoutMs>: a 201 only once a replica has the melding. */
  met: WachtMeting & { replicas: number; timeoutMs: number };
  /** met / zonder throughput. */
  ratio: number;
}

function generator(port: number, pki: string, n: number, gelijktijdig: number, prefix: string): Promise<WachtMeting> {
  return new Promise((resolve, reject) => {
    const kind = spawn(process.execPath, [new URL('./last.js', import.meta.url).pathname, JSON.stringify({ port, pki, n, gelijktijdig, keepAlive: true, prefix })],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    let uit = '';
    kind.stdout.on('data', (d: Buffer) => (uit += d));
    kind.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited ${code}`));
      const r = JSON.parse(uit) as WachtMeting & { fouten: number };
      if (r.fouten) return reject(new Error(`${r.fouten} requests did not get 201`));
      resolve({ perSecond: r.perSecond, p50Ms: r.p50Ms, p99Ms: r.p99Ms });
    });
  });
}

/** Intake with WAIT off and on; `n` meldingen each from `gelijktijdig` clients. */
export async function meetWacht(o: { n?: number; gelijktijdig?: number; timeoutMs?: number } = {}): Promise<WachtFiguur> {
  const n = o.n ?? 20_000;
  const gelijktijdig = o.gelijktijdig ?? 50;
  const bevestiging = { replicas: 1, timeoutMs: o.timeoutMs ?? 500 };
  const meet = async (wait: boolean, prefix: string): Promise<WachtMeting> => {
    const teardowns: (() => unknown)[] = [];
    try {
      const app = await build({ teardown: (f) => void teardowns.push(f) }, {
        sentinel: true, klok: () => new Date(), logNaar: createWriteStream('/dev/null'),
        configAanpassen: (d) => { if (wait) d.redis.replicaBevestiging = bevestiging; },
      });
      await generator(app.apiPort, app.pki, 200, gelijktijdig, `${prefix}-warm`);
      return await generator(app.apiPort, app.pki, n, gelijktijdig, prefix);
    } finally {
      for (const f of teardowns.reverse()) await f();
    }
  };
  const zonder = await meet(false, 'zonder');
  const met = await meet(true, 'met');
  return { aantal: n, gelijktijdig, zonder, met: { ...met, ...bevestiging }, ratio: +(met.perSecond / zonder.perSecond).toFixed(2) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const f = await meetWacht({ n: process.argv.includes('--quick') ? 2000 : 20_000 });
  console.log(JSON.stringify(f));
  console.log(`\n| intake (mTLS keep-alive, ${f.gelijktijdig} clients) | per second | p50 | p99 |\n| --- | --- | --- | --- |`);
  console.log(`| WAIT off | ${f.zonder.perSecond}/s | ${f.zonder.p50Ms} ms | ${f.zonder.p99Ms} ms |`);
  console.log(`| WAIT ${f.met.replicas} ${f.met.timeoutMs} ms | ${f.met.perSecond}/s | ${f.met.p50Ms} ms | ${f.met.p99Ms} ms |`);
  console.log(`ratio WAIT on / off: ${f.ratio}`);
  process.exit(0);
}
