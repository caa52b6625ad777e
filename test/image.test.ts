// The production image's steps without Docker. The Dockerfile itself is read, so this test cannot
// drift from it: each stage's COPY lines are copied from the repo into a temp dir and its RUN lines
// are run there. The build stage compiles with the repo's node_modules (typescript is a
// devDependency); the runtime stage installs production dependencies only (offline, from the npm
// cache the repo's own install filled), then `serve` starts all roles against a real Redis and
// /health/ready answers 200. That proves the build copies what tsc needs and that no code
// reachable from `serve` (or `termijn`) imports a devDependency.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { stringify } from 'yaml';
import { Sleutelring } from '../src/store/sleutelring.js';
import { testConfigDoc, testPki } from './helpers/build.js';
import { startRedis, vrijePoort } from './helpers/redis.js';
import { ROOT } from './helpers/root.js';

// A full tsc build and an npm install on a shared 2-core machine can take minutes: bounded, generous.
t.setTimeout(420_000);

type Instructie = { op: string; args: string };
interface Stage {
  naam: string;
  instructies: Instructie[];
}

/** The Dockerfile's stages with their instructions (continuation lines joined, comments dropped). */
function leesDockerfile(tekst: string): Map<string, Stage> {
  const regels = tekst.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((r) => r.trim()).filter((r) => r && !r.startsWith('#'));
  const stages = new Map<string, Stage>();
  let huidig: Stage | undefined;
  for (const regel of regels) {
    const [, op = '', args = ''] = /^(\S+)\s*(.*)$/.exec(regel) ?? [];
    if (op.toUpperCase() === 'FROM') {
      const naam = /\sAS\s+(\S+)$/i.exec(args)?.[1] ?? String(stages.size);
      huidig = { naam, instructies: [] };
      stages.set(naam, huidig);
    } else if (huidig) {
      huidig.instructies.push({ op: op.toUpperCase(), args });
    }
  }
  return stages;
}

/** `COPY [--flag=x ...] <src>... <dest>` (shell form only: the JSON form would need its own parser). */
function leesCopy(args: string): { van?: string; bronnen: string[]; doel: string } {
  if (args.startsWith('[')) throw new Error(`COPY in JSON form is not handled here: ${args}`);
  const delen = args.split(/\s+/);
  const vlaggen = delen.filter((d) => d.startsWith('--'));
  const paden = delen.filter((d) => !d.startsWith('--'));
  const van = vlaggen.find((v) => v.startsWith('--from='))?.slice('--from='.length);
  const doel = paden.pop();
  if (!doel || !paden.length) throw new Error(`COPY without source or destination: ${args}`);
  return { van, bronnen: paden, doel };
}

/** The build context's exclusions; plain paths and `*` only (anything fancier fails loudly). */
function leesDockerignore(): RegExp[] {
  const bestand = path.join(ROOT, '.dockerignore');
  if (!existsSync(bestand)) return [];
  return readFileSync(bestand, 'utf8').split('\n').map((r) => r.trim()).filter((r) => r && !r.startsWith('#')).map((r) => {
    if (/[!?[\]]|\*\*/.test(r)) throw new Error(`.dockerignore pattern not handled here: ${r}`);
    const bron = r.replace(/^\/+|\/+$/g, '').split('*').map((s) => s.replace(/[.+^${}()|\\]/g, '\\$&')).join('[^/]*');
    return new RegExp(`^${bron}(/|$)`);
  });
}

/** Docker's COPY: a directory's contents go into the destination; files into it when it is a directory. */
function kopieer(bronDir: string, bronnen: string[], doelDir: string, doel: string, genegeerd: RegExp[] = []): void {
  const doelPad = path.resolve(doelDir, doel);
  const doelIsMap = doel.endsWith('/') || bronnen.length > 1;
  for (const bron of bronnen) {
    const bronPad = path.resolve(bronDir, bron);
    if (!existsSync(bronPad)) throw new Error(`COPY source missing: ${bron}`);
    const filter = (p: string) => !genegeerd.some((re) => re.test(path.relative(bronDir, p)));
    if (statSync(bronPad).isDirectory()) cpSync(bronPad, doelPad, { recursive: true, filter });
    else {
      mkdirSync(doelIsMap ? doelPad : path.dirname(doelPad), { recursive: true });
      cpSync(bronPad, doelIsMap ? path.join(doelPad, path.basename(bron)) : doelPad);
    }
  }
}

interface Uitkomst {
  code: number | null;
  uitvoer: string;
}

const kinderen = new Set<ChildProcess>();
// Safety net: when tap ends this process without teardowns (its timeout), the children go with it.
process.once('exit', () => {
  for (const p of kinderen) p.kill('SIGKILL');
});

/** Run a shell command, output captured (shown only when it fails). */
function draai(cmd: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Uitkomst> {
  return new Promise((resolve, reject) => {
    const p = spawn('sh', ['-c', cmd], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    kinderen.add(p);
    let uitvoer = '';
    p.stdout.on('data', (d: Buffer) => (uitvoer += d));
    p.stderr.on('data', (d: Buffer) => (uitvoer += d));
    p.on('error', reject);
    p.on('close', (code) => {
      kinderen.delete(p);
      resolve({ code, uitvoer });
    });
  });
}

const stages = leesDockerfile(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
const genegeerd = leesDockerignore();
const tijden: [string, number][] = [];
async function stap<R>(naam: string, f: () => Promise<R>): Promise<R> {
  const begin = Date.now();
  try {
    return await f();
  } finally {
    tijden.push([naam, Date.now() - begin]);
    t.comment(`${naam}: ${((Date.now() - begin) / 1000).toFixed(1)} s`);
  }
}

/** Docker's ENV for a stage (`ENV K=V ...`), applied to its RUN lines and to the started process. */
function stageEnv(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { op, args } of stage.instructies) {
    if (op !== 'ENV') continue;
    for (const [, k, v] of args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[k!] = v!.replace(/^"|"$/g, '');
  }
  return env;
}

/** WORKDIR of a stage (the target of COPY --from paths). */
const workdir = (stage: Stage) => stage.instructies.filter((i) => i.op === 'WORKDIR').at(-1)?.args ?? '/';

t.test('the Dockerfile stages run without Docker: build, production install, serve all roles, termijn', async (t) => {
  const build = stages.get('build');
  const runtime = stages.get('runtime');
  if (!build || !runtime) throw new Error(`Dockerfile needs stages "build" and "runtime"; found ${[...stages.keys()].join(', ')}`);
  const buildDir = mkdtempSync(path.join(tmpdir(), 'sb-image-build-'));
  const runtimeDir = mkdtempSync(path.join(tmpdir(), 'sb-image-runtime-'));
  const cfgDir = mkdtempSync(path.join(tmpdir(), 'sb-image-cfg-'));
  t.teardown(() => {
    // The node_modules symlink goes first, so nothing can ever follow it into the repo's own tree.
    const link = path.join(buildDir, 'node_modules');
    if (existsSync(link) && lstatSync(link).isSymbolicLink()) unlinkSync(link);
    for (const d of [buildDir, runtimeDir, cfgDir]) rmSync(d, { recursive: true, force: true });
  });
  t.teardown(async () => {
    for (const p of kinderen) p.kill('SIGKILL');
    await Promise.all([...kinderen].map((p) => new Promise((res) => (p.exitCode !== null || p.signalCode !== null ? res(null) : p.once('close', res)))));
  });
  const basisEnv = { ...process.env };
  // Overrides of the config the test writes (PORT, OPS_PORT, REDIS_URL, ...) must not leak in from the caller.
  for (const k of ['PORT', 'PORTAL_PORT', 'OPS_PORT', 'REDIS_URL', 'SMTP_PORT', 'SIGNAALBRUG_SLEUTELS', 'SIGNAALBRUG_CONFIG', 'NODE_ENV']) delete basisEnv[k];

  /** Run one stage's COPY and RUN lines in order. */
  const draaiStage = async (stage: Stage, dir: string, run: (cmd: string, env: NodeJS.ProcessEnv) => Promise<void>) => {
    const env = { ...basisEnv, ...stageEnv(stage) };
    for (const { op, args } of stage.instructies) {
      if (op === 'COPY') {
        const c = leesCopy(args);
        if (c.van === undefined) {
          kopieer(ROOT, c.bronnen, dir, c.doel, genegeerd);
        } else {
          // COPY --from=build /app/dist ./dist: the build stage's output, from the build dir.
          const bronStage = stages.get(c.van);
          if (!bronStage || c.van !== 'build') throw new Error(`COPY --from=${c.van} is not handled here`);
          const bronnen = c.bronnen.map((b) => path.posix.relative(workdir(bronStage), b));
          kopieer(buildDir, bronnen, dir, c.doel);
        }
      } else if (op === 'RUN') {
        for (const deel of args.split('&&').map((d) => d.trim())) await run(deel, env);
      }
    }
  };

  await stap('build stage (copy, npm run build)', async () => {
    await draaiStage(build, buildDir, async (cmd, env) => {
      if (/^npm (ci|install)\b/.test(cmd)) {
        // The same lockfile is installed in the repo already, dev dependencies included.
        symlinkSync(path.join(ROOT, 'node_modules'), path.join(buildDir, 'node_modules'), 'dir');
        return;
      }
      const r = await draai(cmd, buildDir, env);
      if (r.code !== 0) throw new Error(`build stage: \`${cmd}\` exited ${r.code}:\n${r.uitvoer}`);
    });
    t.ok(existsSync(path.join(buildDir, 'dist/src/cli.js')), 'the build stage produced dist/src/cli.js');
  });

  await stap('runtime stage (copy, npm ci --omit=dev)', async () => {
    let installs = 0;
    await draaiStage(runtime, runtimeDir, async (cmd, env) => {
      // Never clean the developer's cache: it is what makes the install offline.
      if (/^npm cache clean\b/.test(cmd)) return;
      if (!/^npm ci\b/.test(cmd)) throw new Error(`runtime stage: RUN \`${cmd}\` is not handled here`);
      t.match(cmd, /--omit=dev/, 'the runtime install omits dev dependencies');
      installs++;
      let r = await draai(`${cmd} --offline`, runtimeDir, env);
      if (r.code !== 0 && /ENOTCACHED/.test(r.uitvoer)) {
        t.comment('npm cache lacks a package; installing with --prefer-offline instead');
        r = await draai(`${cmd} --prefer-offline`, runtimeDir, env);
      }
      if (r.code !== 0) throw new Error(`runtime stage: \`${cmd}\` exited ${r.code}:\n${r.uitvoer}`);
    });
    t.equal(installs, 1, 'the runtime stage installs with npm ci');
    for (const dev of ['smtp-server', 'typescript', 'tap']) t.notOk(existsSync(path.join(runtimeDir, 'node_modules', dev)), `no ${dev} in the runtime install`);
    t.ok(existsSync(path.join(runtimeDir, 'node_modules/fastify')), 'production dependencies are installed');
    t.same(readFileSync(path.join(runtimeDir, 'package-lock.json')), readFileSync(path.join(ROOT, 'package-lock.json')), 'npm ci leaves the lockfile as committed');
  });

  const [entrypoint = [], cmd = []] = ['ENTRYPOINT', 'CMD'].map((op) => {
    const args = runtime.instructies.filter((i) => i.op === op).at(-1)?.args;
    return args ? (JSON.parse(args) as string[]) : undefined;
  });
  t.equal(entrypoint[0], 'node', 'ENTRYPOINT runs node');
  t.same(cmd, ['serve'], 'CMD is serve (all roles)');
  const envRuntime = { ...basisEnv, ...stageEnv(runtime) };
  t.equal(envRuntime.NODE_ENV, 'production', 'the runtime stage sets NODE_ENV=production');
  /** The image's entrypoint with these arguments, started in the runtime dir. */
  const container = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const p = spawn(process.execPath, [...entrypoint.slice(1), ...args], { cwd: runtimeDir, env: { ...envRuntime, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    kinderen.add(p);
    p.once('close', () => kinderen.delete(p));
    return p;
  };

  await stap('termijn', async () => {
    const p = container(['termijn', '2026-12-24']);
    let stdout = '';
    let stderr = '';
    p.stdout!.on('data', (d: Buffer) => (stdout += d));
    p.stderr!.on('data', (d: Buffer) => (stderr += d));
    const code = await new Promise((res) => p.once('close', res));
    t.equal(code, 0, 'termijn exits 0', { stderr });
    t.equal(stdout.trim(), '2027-01-04', 'termijn prints the deadline');
  });

  const { configBestand, opsPort } = await stap('config (test PKI, Redis, keyring)', async () => {
    const pki = await testPki();
    const redis = await startRedis(t);
    const sleutelbestand = path.join(cfgDir, 'sleutels.json');
    writeFileSync(sleutelbestand, Sleutelring.nieuw(), { mode: 0o600 });
    const doc = testConfigDoc(pki, redis.url, sleutelbestand) as Record<string, { port: number }>;
    const [api, portal, ops, smtp] = [await vrijePoort(), await vrijePoort(), await vrijePoort(), await vrijePoort()];
    doc.api!.port = api;
    doc.portal!.port = portal;
    doc.ops!.port = ops;
    doc.smtp!.port = smtp; // nothing listens there: readiness does not depend on SMTP
    const configBestand = path.join(cfgDir, 'config.yaml');
    writeFileSync(configBestand, stringify(doc));
    return { configBestand, opsPort: ops };
  });

  const serve = container(cmd, { SIGNAALBRUG_CONFIG: configBestand });
  let uitvoer = '';
  serve.stdout!.on('data', (d: Buffer) => (uitvoer += d));
  serve.stderr!.on('data', (d: Buffer) => (uitvoer += d));
  const exit = new Promise<number | null>((res) => serve.once('close', (code) => res(code)));
  let gestopt: Promise<number | null> | undefined;
  /** SIGTERM, then SIGKILL if it has not exited within 20 s (the service forces its own exit after 15 s). */
  const stop = () =>
    (gestopt ??= (async () => {
      if (serve.exitCode === null && serve.signalCode === null) serve.kill('SIGTERM');
      const hard = setTimeout(() => serve.kill('SIGKILL'), 20_000);
      const code = await exit;
      clearTimeout(hard);
      return code;
    })());
  t.teardown(stop);

  const ready = await stap('serve until /health/ready is 200', async () => {
    const eind = Date.now() + 60_000;
    let laatste = 'no answer';
    while (Date.now() < eind && serve.exitCode === null) {
      try {
        const res = await fetch(`http://127.0.0.1:${opsPort}/health/ready`, { signal: AbortSignal.timeout(5_000) });
        laatste = `${res.status} ${await res.text()}`;
        if (res.status === 200) return laatste;
      } catch (err) {
        laatste = (err as Error).message;
      }
      await new Promise((res) => setTimeout(res, 250));
    }
    return `not ready (${serve.exitCode === null ? 'last answer' : `exited ${serve.exitCode}`}: ${laatste})`;
  });
  t.match(ready, /^200 /, '/health/ready answers 200', { uitvoer });
  t.match(uitvoer, /"rollen":\["api","portal","worker"\]/, 'all roles started');

  const code = await stap('SIGTERM until exit', stop);
  t.equal(code, 0, 'serve exits 0 on SIGTERM');
  t.match(uitvoer, /signaalbrug gestopt/, 'graceful stop logged');
  t.comment(`total: ${(tijden.reduce((s, [, ms]) => s + ms, 0) / 1000).toFixed(1)} s`);
});
