// The load generator, in its own process so it does not share the event loop with the server under
// test (as wrk would run beside a server). Reads its job from argv, prints one JSON line.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import path from 'node:path';
import { voorbeeldMelding } from '../test/helpers/build.js';

interface Opdracht { port: number; pki: string; n: number; gelijktijdig: number; keepAlive: boolean; prefix: string }

function percentiel(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

async function belast(o: Opdracht) {
  const agent = new Agent({ keepAlive: o.keepAlive, maxSockets: o.gelijktijdig });
  const opties = {
    host: '127.0.0.1', port: o.port, method: 'POST', path: '/v1/meldingen', servername: 'localhost', agent,
    ca: readFileSync(path.join(o.pki, 'ca.crt')), cert: readFileSync(path.join(o.pki, 'clients/elan-wonen.crt')), key: readFileSync(path.join(o.pki, 'clients/elan-wonen.key')),
    headers: { 'content-type': 'application/json' },
  };
  const lichamen = Array.from({ length: o.n }, (_, i) => JSON.stringify(voorbeeldMelding({
    // Each melding its own tenant, as in real life: a repeat signal (the same tenant again) is rare.
    referentie: `${o.prefix}-${i}`, huurder: { ...voorbeeldMelding().huurder, relatienummer: `${o.prefix}-${i}`.slice(-32) },
  })));
  const duren: number[] = [];
  let volgende = 0;
  let fouten = 0;
  const begin = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(Array.from({ length: o.gelijktijdig }, async () => {
    while (volgende < o.n) {
      const i = volgende++;
      const t0 = performance.now();
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(opties, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); });
        req.on('error', reject);
        req.end(lichamen[i]);
      });
      if (status !== 201) fouten++;
      duren.push(performance.now() - t0);
    }
  }));
  const s = (performance.now() - begin) / 1000;
  const cpu = process.cpuUsage(cpu0);
  agent.destroy();
  return { perSecond: Math.round(o.n / s), cpuMsPerRequest: +((cpu.user + cpu.system) / 1000 / o.n).toFixed(3), p50Ms: +percentiel(duren, 50).toFixed(2), p99Ms: +percentiel(duren, 99).toFixed(2), fouten };
}

belast(JSON.parse(process.argv[2]!) as Opdracht).then((r) => {
  process.stdout.write(JSON.stringify(r) + '\n');
  process.exit(0);
}, (err) => {
  console.error(err);
  process.exit(1);
});
