// npm run bench [-- --quick]: figures on this machine, each against a baseline measured in the same
// run (the machine is shared and noisy, so ratios matter more than absolute numbers).
// `--alleen-intake`, `--alleen-bezorging` or `--alleen-geheugen` run one part and only print it;
// `--schaal` adds the memory per open case at a million cases.
// The intake is also measured through Redis Sentinel with WAIT off and with WAIT 1 (bench/wacht.ts).
//  - intake: POST /v1/meldingen over mTLS with keep-alive, 50 concurrent clients from a separate
//    load-generator process (bench/last.ts), against a bare
//    Fastify HTTPS server with the same TLS settings that parses the same JSON and answers 201;
//  - delivery per channel, end to end to a real SMTP sink, against `openssl cms -encrypt` of the
//    same message.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { parseConfig } from '../src/config.js';
import { meldingSchema } from '../src/domain/melding.js';
import { createLogger } from '../src/logger.js';
import { BASIS_TLS } from '../src/pki/tls-materiaal.js';
import { createSignaalbrug } from '../src/signaalbrug.js';
import { Sleutelring } from '../src/store/sleutelring.js';
import { GELIJKTIJDIG, BATCH } from '../src/diensten/termijnen.js';
import { createCasussen } from '../src/diensten/casussen.js';
import { MeldingenStore, type NieuwRecord } from '../src/store/meldingen.js';
import { EMMER, TERMIJNEMMER } from '../src/store/redis-namen.js';
import { jobId } from '../src/store/wachtrijen.js';
import { startRedis, vrijePoort } from '../test/helpers/redis.js';
import { build, testConfigDoc, testPki, voorbeeldMelding, wachtOpVoortgang } from '../test/helpers/build.js';
import { ROOT } from '../test/helpers/root.js';
import { meetWacht } from './wacht.js';

const quick = process.argv.includes('--quick');
const N_INTAKE = quick ? 2000 : 20000;
const N_DELIVERY = quick ? 200 : 1000;
const N_GEHEUGEN = quick ? 10_000 : 100_000;
/** `--schaal`: memory also at a million open cases (minutes, and several GiB of Redis). */
const schaal = process.argv.includes('--schaal');
const N_SCHAAL = 1_000_000;
const N_HANDDRUK = quick ? 300 : 2000;
const CONCURRENCY = 50;

const teardowns: (() => unknown)[] = [];
const t = { teardown: (fn: () => unknown) => teardowns.push(fn) };

/** Throughput and latency, and the CPU each process spent per request (milliseconds). */
interface Meting { perSecond: number; p50Ms: number; p99Ms: number; cpuMsPerRequest: { dienst: number; lastgenerator: number; redis?: number } }

async function redisCpuSeconden(r: Redis): Promise<number> {
  const info = await r.info('cpu');
  return Number(/used_cpu_sys:([\d.]+)/.exec(info)![1]) + Number(/used_cpu_user:([\d.]+)/.exec(info)![1]);
}

/**
 * Run the load generator and measure what the server in this process spent on it (the bench
 * process only waits meanwhile), what Redis spent (when given) and what the generator spent.
 */
async function belast(port: number, pki: string, n: number, prefix: string, keepAlive = true, redis?: Redis): Promise<Meting> {
  const redisVoor = redis && (await redisCpuSeconden(redis));
  const cpuVoor = process.cpuUsage();
  const r = await generator(port, pki, n, prefix, keepAlive);
  const cpu = process.cpuUsage(cpuVoor);
  const redisNa = redis && (await redisCpuSeconden(redis));
  const ms = (x: number) => +x.toFixed(3);
  return {
    perSecond: r.perSecond, p50Ms: r.p50Ms, p99Ms: r.p99Ms,
    cpuMsPerRequest: {
      dienst: ms((cpu.user + cpu.system) / 1000 / n), lastgenerator: r.cpuMsPerRequest,
      ...(redisVoor !== undefined && redisNa !== undefined ? { redis: ms(((redisNa - redisVoor) * 1000) / n) } : {}),
    },
  };
}

/** Run the load generator (bench/last.ts) in a child process and read its figures. */
function generator(port: number, pki: string, n: number, prefix: string, keepAlive: boolean): Promise<Omit<Meting, 'cpuMsPerRequest'> & { cpuMsPerRequest: number }> {
  return new Promise((resolve, reject) => {
    const kind = spawn(process.execPath, [new URL('./last.js', import.meta.url).pathname, JSON.stringify({ port, pki, n, gelijktijdig: CONCURRENCY, keepAlive, prefix })],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    let uit = '';
    kind.stdout.on('data', (d: Buffer) => (uit += d));
    kind.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited ${code}`));
      const r = JSON.parse(uit) as Omit<Meting, 'cpuMsPerRequest'> & { cpuMsPerRequest: number; fouten: number };
      if (r.fouten) return reject(new Error(`${r.fouten} requests did not get 201`));
      resolve(r);
    });
  });
}

async function baselineServer(pki: string): Promise<{ port: number; close: () => Promise<void> }> {
  const app = Fastify({
    logger: false,
    https: { ...BASIS_TLS, key: readFileSync(path.join(pki, 'server.key')), cert: readFileSync(path.join(pki, 'server.crt')),
      ca: readFileSync(path.join(pki, 'ca.crt')), crl: readFileSync(path.join(pki, 'crl.pem')), requestCert: true, rejectUnauthorized: true },
  });
  app.post('/v1/meldingen', async (req, reply) => reply.code(201).send({ id: 'x', ontvangen: typeof req.body === 'object' }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { port: (app.server.address() as { port: number }).port, close: () => app.close() };
}

async function intake() {
  // Logs at info as in production, written to /dev/null (kept in memory they would cost the test harness, not the service).
  // BENCH_APPENDFSYNC=everysec shows what the fsync before every 201 costs (not a supported setting).
  const fsync = process.env.BENCH_APPENDFSYNC;
  const app = await build(t, { klok: () => new Date(), logNaar: createWriteStream('/dev/null'), redisArgs: fsync ? ['--appendfsync', fsync] : [] });
  const pki = app.pki;
  await belast(app.apiPort, pki, 200, 'warm');
  const base = await baselineServer(pki);
  await belast(base.port, pki, 200, 'warm-b');
  const baseline = await belast(base.port, pki, N_INTAKE, 'b');
  const redis = new Redis(app.redis.url);
  const profiel = process.argv.includes('--profiel') ? await startProfiel() : undefined;
  const ours = await belast(app.apiPort, pki, N_INTAKE, 'm', true, redis);
  if (profiel) console.log(`CPU profile of the service during intake: ${await profiel()}`);
  // What a naive client does: a new TLS connection (full mTLS handshake) for every request.
  const handdruk = await belast(app.apiPort, pki, N_HANDDRUK, 'h', false, redis);
  redis.disconnect();
  await base.close();
  return { ours, baseline, handdruk };
}

/** `--profiel`: a V8 CPU profile of this process (the service) while it takes the intake load or delivers. */
async function startProfiel(naam = 'intake'): Promise<() => Promise<string>> {
  const { Session } = await import('node:inspector/promises');
  const sessie = new Session();
  sessie.connect();
  await sessie.post('Profiler.enable');
  await sessie.post('Profiler.start');
  return async () => {
    const { profile } = await sessie.post('Profiler.stop');
    const bestand = path.join(ROOT, `bench/results/${naam}.cpuprofile`);
    mkdirSync(path.dirname(bestand), { recursive: true });
    writeFileSync(bestand, JSON.stringify(profile));
    sessie.disconnect();
    return `${bestand}\n${profielSamenvatting(profile)}`;
  };
}

/** Self time per package (or our own file), the largest first: where the profiled process spent its time. */
function profielSamenvatting(p: { nodes: { id: number; callFrame: { url: string; functionName: string } }[]; samples?: number[]; timeDeltas?: number[] }): string {
  const perNode = new Map<number, number>();
  let totaal = 0;
  (p.samples ?? []).forEach((id, i) => {
    const dt = p.timeDeltas?.[i] ?? 0;
    perNode.set(id, (perNode.get(id) ?? 0) + dt);
    totaal += dt;
  });
  const perDeel = new Map<string, number>();
  for (const n of p.nodes) {
    const { url, functionName } = n.callFrame;
    const deel = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.startsWith('file:') ? path.relative(path.join(ROOT, 'dist'), fileURLToPath(url)) : url || functionName || '(native)');
    perDeel.set(deel, (perDeel.get(deel) ?? 0) + (perNode.get(n.id) ?? 0));
  }
  return [...perDeel].sort((a, b) => b[1] - a[1]).slice(0, 15)
    .map(([deel, t]) => `  ${((100 * t) / totaal).toFixed(1).padStart(5)}%  ${deel}`).join('\n');
}

async function aflevering(postcode: string, kanaal: 'smime' | 'pgp' | 'link') {
  const app = await build(t, { rollen: ['api'] });
  const redis = new Redis(app.redis.url);
  // Fill the outbox through the API while no worker runs, then time the worker draining it.
  for (let i = 0; i < N_DELIVERY; i += CONCURRENCY)
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, N_DELIVERY - i) }, async (_, j) => {
      const res = await app.vraag('elan-wonen', 'POST', '/v1/meldingen', voorbeeldMelding({ referentie: `${kanaal}-${i + j}`, adres: { ...voorbeeldMelding().adres, postcode } }));
      if (res.status !== 201) throw new Error(`filling the outbox: ${res.status} ${res.tekst}`);
    }));
  const { start } = await import('../src/server.js');
  // The mail server runs in its own process (`signaalbrug dev-smtp`), as the wijkteam's would on its
  // own machine: in this process it would take event-loop time from the worker under test.
  const sink = await startSinkProces(app.pki);
  // Delivery waits on SMTP round trips (MAIL, RCPT, DATA, the server's 250 after it stored the file):
  // with the defaults (3 connections, 8 jobs) the worker sits idle. These are the throughput settings
  // a busy deployment would use (smtp.maxVerbindingen, bezorging.gelijktijdig).
  const config = { ...app.config, smtp: { ...app.config.smtp, port: sink.port, maxVerbindingen: 16 }, bezorging: { ...app.config.bezorging, gelijktijdig: 32 } };
  const profiel = process.argv.includes('--profiel') ? await startProfiel(`bezorging-${kanaal}`) : undefined;
  const begin = performance.now();
  const worker = await start({ config, rollen: ['worker'], log: createLogger(undefined, 'warn'), env: {} });
  // Bounded: a delivery that stands still for a minute fails the bench instead of hanging it (polled
  // every 20 ms, so the time it took is that precise).
  await wachtOpVoortgang(sink.aantal, N_DELIVERY, { stilMs: 60_000, stapMs: 20, wat: `delivery ${kanaal}` });
  const s = (performance.now() - begin) / 1000;
  if (profiel) console.log(`CPU profile of the worker delivering ${kanaal}: ${await profiel()}`);
  await worker.stop();
  await sink.stop();
  redis.disconnect();
  return { perSecond: Math.round(N_DELIVERY / s) };
}

async function startSinkProces(pki: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-bench-mail-'));
  const port = await vrijePoort();
  const proces = spawn(process.execPath, [path.join(ROOT, 'bin/signaalbrug.js'), 'dev-smtp', '--port', String(port), '--dir', dir, '--certs', pki],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  // The sink logs one JSON line per stored message: counting those is cheaper for this process than
  // listing a directory of a thousand files every few milliseconds.
  let ontvangen = 0;
  let rest = '';
  await new Promise<void>((resolve, reject) => {
    proces.once('exit', (code) => reject(new Error(`dev-smtp exited ${code}`)));
    proces.stdout.on('data', (d: Buffer) => {
      const regels = (rest + d.toString()).split('\n');
      rest = regels.pop()!;
      for (const r of regels) {
        if (r.includes('dev-smtp luistert')) resolve();
        if (r.includes('"bericht ontvangen"')) ontvangen++;
      }
    });
  });
  proces.removeAllListeners('exit');
  const aantal = () => ontvangen;
  const stop = () => new Promise<void>((resolve) => {
    rmSync(dir, { recursive: true, force: true });
    if (proces.exitCode !== null) return resolve();
    proces.once('exit', () => resolve());
    proces.kill('SIGTERM');
  });
  t.teardown(stop);
  return { port, aantal, stop };
}

async function usedMemory(r: Redis): Promise<number> {
  const info = await r.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)![1]);
}

/** A Signaalbrug on a Redis of its own (no HTTP), with a service clock the bench can move. */
async function kaleSignaalbrug(pki: string, klok: () => Date = () => new Date(), redisArgs: string[] = []) {
  const redis = await startRedis(t, redisArgs);
  const r = new Redis(redis.url);
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-bench-geheugen-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const sleutelbestand = path.join(dir, 'sleutels.json');
  writeFileSync(sleutelbestand, Sleutelring.nieuw(), { mode: 0o600 });
  const config = parseConfig(JSON.stringify(testConfigDoc(pki, redis.url, sleutelbestand)), path.join(dir, 'config.json'));
  const sb = await createSignaalbrug(config, { log: createLogger(undefined, 'warn'), klok, env: {}, naam: 'bench' });
  return { r, sb, stop: async () => { await sb.sluit(); r.disconnect(); await redis.stop(); } };
}

/**
 * `n` open cases of as many tenants, made fast: the intake service takes one melding (validation,
 * pseudonyms, encryption, the domain's timers), and every further case is that record with a new
 * id, tenant pseudonym and idempotency key, stored through the same store call and Lua script the
 * intake uses (pipelined, no HTTP); then each is delivered through the composition root's transition
 * (the delivered-marker, event and logboek record a delivery writes).
 */
async function maakOpenCasussen({ sb, r }: Awaited<ReturnType<typeof kaleSignaalbrug>>, n: number): Promise<void> {
  const origineel = MeldingenStore.prototype.bewaar;
  let sjabloon: NieuwRecord | undefined;
  MeldingenStore.prototype.bewaar = function (this: MeldingenStore, x: NieuwRecord) {
    sjabloon ??= x;
    return origineel.call(this, x);
  };
  try {
    await sb.diensten.intake.ontvang('00000099000000000001', voorbeeldMelding({ referentie: 'SJABLOON', huurder: { ...voorbeeldMelding().huurder, relatienummer: 'SJ-1' } }));
  } finally {
    MeldingenStore.prototype.bewaar = origineel;
  }
  const s = sjabloon!;
  const tekst = JSON.stringify(s);
  // The ciphertexts are bytes: JSON writes a Buffer as { type, data }, read it back as one.
  const metBytes = (_: string, w: unknown) => ((w as { type?: unknown })?.type === 'Buffer' ? Buffer.from((w as { data: number[] }).data) : w);
  // Its own connection, without the service's command timeout: a batch of 1000 scripts that each
  // wait for the fsync may take longer than one request ever does.
  const store = new MeldingenStore(r, sb.namen);
  const casussen = createCasussen({ store, regelboek: sb.diensten.casussen.regelboek, klok: sb.klok });
  const eerste = s.casus.id;
  const PARTIJ = 1000;
  const ids: string[] = [eerste];
  for (let i = 1; i < n; i += PARTIJ) {
    const partij = Array.from({ length: Math.min(PARTIJ, n - i) }, () => randomUUID());
    await Promise.all(partij.map((id) => store.bewaar(JSON.parse(tekst.replaceAll(eerste, id)
      .replaceAll(s.casus.betrokkene, randomBytes(32).toString('base64url')).replaceAll(s.idem, randomBytes(32).toString('base64url')), metBytes) as NieuwRecord)));
    ids.push(...partij);
  }
  for (let i = 0; i < ids.length; i += PARTIJ)
    await Promise.all(ids.slice(i, i + PARTIJ).map((id) => casussen.pasToe(id, {
      soort: 'verzonden', bericht: 'melding-aan-wijkteam', ontvanger: 'wijkteam', mailbox: 'wijkteam-noord@haarlem.example', bezorging: 'smime',
      poging: 1, smtpAntwoord: '250 OK', messageId: `<${id}@bench.invalid>`, markering: jobId({ meldingId: id, bericht: 'melding-aan-wijkteam', ontvanger: 'wijkteam' }),
    })));
}

/**
 * Redis memory per open case with its timers, in the steady state of a delivered case awaiting
 * feedback: encrypted melding, case hash, events, idempotency key, indexes, delivered-marker,
 * logboek records and its timers in the sorted set (no job per timer). Baseline: the same melding
 * as plain JSON in a bare hash.
 */
async function geheugen(pki: string, n: number) {
  // Memory does not depend on when Redis fsyncs: without an fsync per write the million is made in
  // minutes instead of an hour.
  let later = 0;
  const kaal = await kaleSignaalbrug(pki, () => new Date(Date.now() + later), ['--appendfsync', 'no']);
  const { r, sb, stop } = kaal;
  const voor = await usedMemory(r);
  await maakOpenCasussen(kaal, n);
  await r.del(sb.namen.outbox()); // relayed in the steady state
  // In the steady state the worker has also archived the logboek: once the service clock has passed
  // `logboek.archiveerNaSeconden`, every whole block of records moves out of the stream into the
  // compressed archive (what is short of a block stays in the stream, as it would).
  const voorArchief = await usedMemory(r);
  later = (sb.config.logboek.archiveerNaSeconden + 1) * 1000;
  await sb.diensten.logboekarchief.archiveer();
  const na = await usedMemory(r);
  const waarheen = await verdeling(r, n);
  await stop();
  const basisRedis = await kaleSignaalbrug(pki);
  const b = basisRedis.r;
  const basisVoor = await usedMemory(b);
  const json = JSON.stringify(meldingSchema.parse(voorbeeldMelding({ referentie: 'MEM-1' })));
  for (let i = 0; i < n; i += 2000)
    await Promise.all(Array.from({ length: Math.min(2000, n - i) }, (_, j) => b.hset(`m:${i + j}`, 'json', json)));
  const basisNa = await usedMemory(b);
  await basisRedis.stop();
  const perCase = Math.round((na - voor) / n);
  const basis = Math.round((basisNa - basisVoor) / n);
  return { aantal: n, bytesPerOpenCase: perCase, openCasesPerGiB: Math.floor(2 ** 30 / perCase), baselineBytesPerCase: basis, ratio: +(perCase / basis).toFixed(2),
    /** The same before the logboek was archived (all its records still in the stream). */
    bytesPerOpenCaseUnarchived: Math.round((voorArchief - voor) / n), verdeling: waarheen };
}

/**
 * Where the bytes go: Redis's own MEMORY USAGE per kind of key (ids, keyed hashes and buckets in the
 * name and entry ids replaced by a placeholder), divided by the number of cases. Keys of a kind with many members are
 * sampled (at most 1000 each) and their total extrapolated from the count.
 */
async function verdeling(r: Redis, n: number): Promise<Record<string, number>> {
  const soorten = new Map<string, { aantal: number; voorbeelden: string[] }>();
  let cursor = '0';
  do {
    const [volgende, keys] = await r.scan(cursor, 'COUNT', 5000);
    cursor = volgende;
    for (const k of keys) {
      const soort = k.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>').replace(/[A-Za-z0-9_-]{40,}/g, '<hash>')
        .replace(/\d{13}-\d+/g, '<ms-seq>')
        .replace(new RegExp(`:(idem|idx:betrokkene):[A-Za-z0-9_-]{${EMMER}}$`), ':$1:<emmer>')
        .replace(new RegExp(`:termijnen:emmer:[^:]{${TERMIJNEMMER}}$`), ':termijnen:emmer:<emmer>');
      const s = soorten.get(soort) ?? { aantal: 0, voorbeelden: [] };
      s.aantal++;
      if (s.voorbeelden.length < 1000) s.voorbeelden.push(k);
      soorten.set(soort, s);
    }
  } while (cursor !== '0');
  const uit: [string, number][] = [];
  for (const [soort, { aantal, voorbeelden }] of soorten) {
    const bytes = await Promise.all(voorbeelden.map(async (k) => Number(await r.memory('USAGE', k, 'SAMPLES', 0))));
    const totaal = (bytes.reduce((a, b) => a + b, 0) / voorbeelden.length) * aantal;
    if (totaal / n >= 1) uit.push([soort, Math.round(totaal / n)]);
  }
  return Object.fromEntries(uit.sort((a, b) => b[1] - a[1]));

}

/**
 * The scheduler alone: 5000 delivered cases whose reminder and escalation (10 000 timers) are all
 * due, fired by one sweep (batches, bounded concurrency, each a full transition with its event,
 * outbox entry and logboek record). Baseline: the bare Redis work of a scheduler without the domain,
 * reading the same members (one per case, all in one sorted set) in the same batches and removing each.
 */
async function termijnvuren(pki: string) {
  const N = 5000;
  let verschuiving = 0;
  const kaal = await kaleSignaalbrug(pki, () => new Date(Date.now() + verschuiving));
  const { r, sb, stop } = kaal;
  await maakOpenCasussen(kaal, N);
  // one member per case, at its earliest timer, in the case's bucket
  const emmers = await r.zrange(sb.namen.termijnEmmers(), '0', '-1');
  const metScores = (await Promise.all(emmers.map((e) => r.zrange(e, '0', '-1', 'WITHSCORES')))).flat();
  const leden = metScores.length / 2;
  const kopie = metScores.flatMap((x, i) => (i % 2 ? [x, metScores[i - 1]!] : [])); // score, member
  verschuiving = 40 * 86_400_000; // past every deadline
  const begin = performance.now();
  const gevuurd = await sb.diensten.termijnen.sweep();
  const ms = performance.now() - begin;
  // Baseline on a copy of the same members.
  const sleutel = `${sb.namen.termijnen()}:kopie`;
  for (let i = 0; i < kopie.length; i += 2000) await r.zadd(sleutel, ...kopie.slice(i, i + 2000));
  const nu = Date.now() + verschuiving;
  const b0 = performance.now();
  for (;;) {
    const leden = await r.zrangebyscore(sleutel, '-inf', nu, 'LIMIT', 0, BATCH);
    if (!leden.length) break;
    let volgende = 0;
    await Promise.all(Array.from({ length: GELIJKTIJDIG }, async () => {
      while (volgende < leden.length) await r.zrem(sleutel, leden[volgende++]!);
    }));
  }
  const basisMs = performance.now() - b0;
  await stop();
  return { timers: 2 * N, leden, gevuurd, ms: Math.round(ms), perSecond: Math.round((gevuurd / ms) * 1000), baselineMs: Math.round(basisMs), ratio: +(ms / basisMs).toFixed(1) };
}

function opensslBaseline(pki: string): number {
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-bench-openssl-'));
  const bericht = path.join(dir, 'bericht.txt');
  writeFileSync(bericht, `Content-Type: text/plain; charset=utf-8\r\n\r\n${'Melding vroegsignalering, huurder en adres. '.repeat(60)}\r\n`);
  const n = quick ? 50 : 200;
  const begin = performance.now();
  for (let i = 0; i < n; i++)
    execFileSync('openssl', ['cms', '-encrypt', '-in', bericht, '-out', path.join(dir, 'uit.p7m'), '-aes256',
      '-recip', path.join(pki, 'recipients/wijkteam-noord.crt'), '-keyopt', 'rsa_padding_mode:oaep']);
  return Math.round(n / ((performance.now() - begin) / 1000));
}

async function main() {
  const pki = await testPki();
  console.log(`signaalbrug bench${quick ? ' (quick)' : ''}: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);
  if (process.argv.includes('--alleen-bezorging')) {
    for (const [postcode, kanaal] of [['2011DE', 'smime'], ['2020AB', 'pgp'], ['2035AB', 'link']] as const)
      console.log(kanaal, (await aflevering(postcode, kanaal)).perSecond, '/s');
    return;
  }
  if (process.argv.includes('--alleen-geheugen')) {
    console.log(await geheugen(pki, N_GEHEUGEN));
    if (schaal) console.log(await geheugen(pki, N_SCHAAL));
    console.log(await termijnvuren(pki));
    return;
  }
  const i = await intake();
  console.log('intake', JSON.stringify(i));
  // The same intake with and without WAIT 1 (primary + replica + sentinels), beside the figure above.
  const wacht = await meetWacht({ n: N_INTAKE, gelijktijdig: CONCURRENCY });
  console.log('intake-wait', JSON.stringify(wacht));
  if (process.argv.includes('--alleen-intake')) {
    console.log(i, wacht);
    return;
  }
  const smime = await aflevering('2011DE', 'smime');
  const pgp = await aflevering('2020AB', 'pgp');
  const link = await aflevering('2035AB', 'link');
  const openssl = opensslBaseline(pki);
  console.log('delivery', JSON.stringify({ smime, pgp, link, openssl }));
  const mem = await geheugen(pki, N_GEHEUGEN);
  console.log('memory', JSON.stringify(mem));
  const timers = await termijnvuren(pki);
  console.log('timers', JSON.stringify(timers));
  const memSchaal = schaal ? await geheugen(pki, N_SCHAAL) : undefined;
  const resultaat = {
    datum: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, geheugenGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    quick,
    intake: {
      aantal: N_INTAKE, gelijktijdig: CONCURRENCY, perSecond: i.ours.perSecond, p50Ms: i.ours.p50Ms, p99Ms: i.ours.p99Ms,
      baselinePerSecond: i.baseline.perSecond, baselineP99Ms: i.baseline.p99Ms, ratio: +(i.ours.perSecond / i.baseline.perSecond).toFixed(2),
      cpuMsPerRequest: i.ours.cpuMsPerRequest, baselineCpuMsPerRequest: i.baseline.cpuMsPerRequest,
      handshakePerSecond: i.handdruk.perSecond, handshakeP99Ms: i.handdruk.p99Ms, handshakeRatio: +(i.handdruk.perSecond / i.baseline.perSecond).toFixed(2),
      sentinel: wacht,
    },
    delivery: {
      aantal: N_DELIVERY,
      smime: { perSecond: smime.perSecond, ratioToOpensslCli: +(smime.perSecond / openssl).toFixed(2) },
      pgp: { perSecond: pgp.perSecond, ratioToOpensslCli: +(pgp.perSecond / openssl).toFixed(2) },
      link: { perSecond: link.perSecond, ratioToOpensslCli: +(link.perSecond / openssl).toFixed(2) },
      opensslCmsEncryptPerSecond: openssl,
    },
    redis: { ...mem, ...(memSchaal ? { schaal: memSchaal } : {}) },
    timers,
  };
  const rijen: [string, string, string, string][] = [
    ['intake (mTLS keep-alive, 50 clients)', `${resultaat.intake.perSecond}/s p50 ${i.ours.p50Ms} ms p99 ${i.ours.p99Ms} ms`, `bare Fastify HTTPS ${i.baseline.perSecond}/s`, `${resultaat.intake.ratio}`],
    ['intake CPU per request (ms): service / load generator / Redis', `${i.ours.cpuMsPerRequest.dienst} / ${i.ours.cpuMsPerRequest.lastgenerator} / ${i.ours.cpuMsPerRequest.redis}`,
      `${i.baseline.cpuMsPerRequest.dienst} / ${i.baseline.cpuMsPerRequest.lastgenerator} / -`, `${+(i.ours.cpuMsPerRequest.dienst / i.baseline.cpuMsPerRequest.dienst).toFixed(2)} (service)`],
    ['intake through Sentinel, WAIT off / WAIT 1 (primary + replica)', `${wacht.zonder.perSecond}/s p99 ${wacht.zonder.p99Ms} ms / ${wacht.met.perSecond}/s p99 ${wacht.met.p99Ms} ms`,
      `bare Fastify HTTPS ${i.baseline.perSecond}/s`, `${+(wacht.zonder.perSecond / i.baseline.perSecond).toFixed(2)} / ${+(wacht.met.perSecond / i.baseline.perSecond).toFixed(2)} (WAIT on/off ${wacht.ratio})`],
    ['intake, new mTLS handshake per request', `${i.handdruk.perSecond}/s p99 ${i.handdruk.p99Ms} ms`, `bare Fastify HTTPS (keep-alive) ${i.baseline.perSecond}/s`, `${resultaat.intake.handshakeRatio}`],
    ['delivery S/MIME end to end', `${smime.perSecond}/s`, `openssl cms -encrypt ${openssl}/s`, `${resultaat.delivery.smime.ratioToOpensslCli}`],
    ['delivery PGP/MIME end to end', `${pgp.perSecond}/s`, `openssl cms -encrypt ${openssl}/s`, `${resultaat.delivery.pgp.ratioToOpensslCli}`],
    ['delivery beveiligde-link (notification) end to end', `${link.perSecond}/s`, `openssl cms -encrypt ${openssl}/s`, `${resultaat.delivery.link.ratioToOpensslCli}`],
  ];
  for (const m of [mem, ...(memSchaal ? [memSchaal] : [])])
    rijen.push([`Redis memory per open case with timers (${m.aantal} cases)`, `${m.bytesPerOpenCase} B (${m.openCasesPerGiB} per GiB)`,
      `plain JSON in a bare hash ${m.baselineBytesPerCase} B`, `${m.ratio}`]);
  console.log('\nwhere the bytes of an open case go (MEMORY USAGE per kind of key / cases):');
  for (const [soort, bytes] of Object.entries(mem.verdeling)) console.log(`  ${String(bytes).padStart(6)} B  ${soort}`);
  rijen.push([`firing ${timers.timers} due timers (scheduler only)`, `${timers.ms} ms (${timers.perSecond}/s)`, `bare ZRANGEBYSCORE + ZREM ${timers.baselineMs} ms`, `${timers.ratio}`]);
  console.log('\n| figure | signaalbrug | baseline (same run) | ratio |\n| --- | --- | --- | --- |');
  for (const r of rijen) console.log(`| ${r.join(' | ')} |`);
  const map = path.join(ROOT, 'bench/results');
  mkdirSync(map, { recursive: true });
  const json = JSON.stringify(resultaat, null, 2) + '\n';
  writeFileSync(path.join(map, `${resultaat.datum.slice(0, 10)}.json`), json);
  writeFileSync(path.join(map, 'latest.json'), json);
}

main()
  .then(async () => { for (const f of teardowns.reverse()) await f(); process.exit(0); })
  .catch(async (err) => { console.error(err); for (const f of teardowns.reverse()) await f(); process.exit(1); });
