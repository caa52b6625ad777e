// The rules of the house, checked on the source itself (see docs/architectuur.md): one place wires
// the app; handlers, pages and workers call services, never a store; the store knows no rules; the
// domain does no I/O; one module names Redis keys and Lua lives in files; the delivery service never
// asks which channel it uses; dev tools stay out of production code; comments point inside the repo.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { ROOT } from './helpers/root.js';

function bestanden(map: string, ext = '.ts'): string[] {
  const vol = path.join(ROOT, map);
  return readdirSync(vol).flatMap((f) => {
    const p = path.join(vol, f);
    return statSync(p).isDirectory() ? bestanden(path.join(map, f), ext) : f.endsWith(ext) ? [path.join(map, f)] : [];
  });
}
const lees = (f: string) => readFileSync(path.join(ROOT, f), 'utf8');
/** Every module a file imports (static and dynamic), resolved to a path relative to the root. */
function imports(f: string): { pad: string; alleenType: boolean }[] {
  const uit: { pad: string; alleenType: boolean }[] = [];
  for (const m of lees(f).matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/gm)) {
    const doel = m[3] ?? m[4]!;
    if (!doel.startsWith('.')) continue;
    uit.push({ pad: path.normalize(path.join(path.dirname(f), doel)).replace(/\.js$/, '.ts'), alleenType: Boolean(m[2]) });
  }
  return uit;
}
const src = bestanden('src');
const onder = (map: string) => src.filter((f) => f.startsWith(`${map}/`));

t.test('one place wires the app: only the composition root builds stores and services', async (t) => {
  for (const f of src) {
    const tekst = lees(f);
    const bouwt = [...tekst.matchAll(/new (\w+Store|Sleutelrotatie)\(|\bcreate(Casussen|Lezen|Intake|Intrekking|TerugkoppelingDienst|Toegang|Opruimer|Rechten|Datalekken|Sleutelbeheer|Termijnen|Bezorging)\(/g)]
      .filter((m) => !new RegExp(`function ${m[0].slice(0, -1).replace('new ', '')}\\b|class ${m[1]}\\b`).test(tekst));
    if (f !== 'src/signaalbrug.ts') t.same(bouwt.map((m) => m[0]), [], `${f} builds nothing itself`);
  }
  t.ok(lees('src/signaalbrug.ts').includes('export async function createSignaalbrug('));
  for (const f of ['src/server.ts', 'src/cli/omgeving.ts', 'test/helpers/portaal.ts'])
    t.match(lees(f), /createSignaalbrug\(/, `${f} uses the composition root`);
  t.notMatch(lees('src/cli/omgeving.ts'), /new (?!GebruikFout)\w+\(|create(?!Signaalbrug|Logger)\w+\(/, 'the CLI wires nothing of its own');
});

t.test('HTTP handlers, pages and workers call services: none imports a store', async (t) => {
  for (const f of [...onder('src/http'), ...onder('src/werkers'), ...onder('src/cli')])
    for (const i of imports(f)) t.notOk(i.pad.startsWith('src/store/'), `${f} imports ${i.pad}`);
});

t.test('the store executes and knows no rules: from the domain it imports types only', async (t) => {
  for (const f of onder('src/store'))
    for (const i of imports(f)) if (i.pad.startsWith('src/domain/')) t.ok(i.alleenType, `${f}: ${i.pad} is a type import`);
  for (const f of onder('src/store')) t.notMatch(lees(f), /volgendeStatus|verwerking\(|OPEN\b/, `${f} applies no state machine and builds no logboek record`);
});

t.test('the domain is pure: no I/O, nothing from outside the domain but types', async (t) => {
  for (const f of onder('src/domain')) {
    t.notMatch(lees(f), /from '(node:(fs|net|http|https|tls|child_process)|ioredis|bullmq|fastify|nodemailer)'/, `${f}: no I/O`);
    for (const i of imports(f)) if (!i.pad.startsWith('src/domain/')) t.ok(i.alleenType || ['src/taal.ts', 'src/toeval.ts'].includes(i.pad), `${f}: ${i.pad}`);
  }
});

t.test('one module names Redis keys; Lua lives in .lua files loaded by one loader', async (t) => {
  for (const f of src) {
    if (f === 'src/store/redis-namen.ts') continue;
    // The root makes the one RedisNamen from the configured prefix; nothing else touches the prefix.
    if (f !== 'src/signaalbrug.ts') t.notMatch(lees(f), /redis\.prefix|\$\{[^}]*prefix\}:|\[[^\]]*prefix, |':(melding|idx|link|feed|logboek|outbox|termijnen|bull|datalek)[:']/, `${f} names no key`);
    if (f !== 'src/store/lua.ts') t.notMatch(lees(f), /KEYS\[|ARGV\[|defineCommand|\.eval\(|\.evalsha\(/, `${f}: no Lua or script definitions inline`);
  }
  t.match(lees('src/store/lua.ts'), /defineCommand/, 'the loader defines the scripts');
  const lua = bestanden('src/store/lua', '.lua').map((f) => path.basename(f, '.lua'));
  // Shared functions other scripts include (`--- @include`) have no contract of their own.
  for (const naam of lua) if (!['logboek', 'termijnen', 'gebeurtenis', 'stroom'].includes(naam)) t.match(lees('src/store/lua.ts'), `script('${naam}'`, `${naam}.lua has a typed contract`);
  for (const f of bestanden('test')) if (f !== 'test/architectuur.test.ts') t.notMatch(lees(f), /['`]sb:/, `${f}: no hard-coded key`);
});

t.test('the delivery service never asks which channel it uses; adding one is a folder and one line', async (t) => {
  t.notMatch(lees('src/diensten/bezorging.ts'), /'(smime|pgp|beveiligde-link)'/);
  t.notMatch(lees('src/diensten/bezorging.ts'), /readFileSync|from 'node:fs'/, 'and reads no key file');
  const soorten = /const KANAALSOORTEN = \{([^}]*)\}/.exec(lees('src/kanalen/soorten.ts'))![1]!;
  for (const k of ['smime', 'pgp', 'beveiligde-link']) t.match(soorten, new RegExp(`^  '?${k}'?: \\w+Kanaal,$`, 'm'), `${k} is one line of the factory`);
  for (const f of [...onder('src/diensten'), ...onder('src/werkers'), ...onder('src/http'), 'src/signaalbrug.ts', 'src/server.ts', 'src/config.ts'])
    t.notMatch(lees(f), /'(smime|pgp|beveiligde-link)'/, `${f} names no channel`);
});

t.test('dev tools live in dev/ and production code never imports them', async (t) => {
  for (const f of [...src, ...bestanden('adapters')]) for (const i of imports(f)) t.notOk(i.pad.startsWith('dev/'), `${f} imports ${i.pad}`);
  t.ok(bestanden('dev').includes('dev/dev-pki.ts') && bestanden('dev').includes('dev/smtp-sink.ts'));
});

t.test('every error code in one catalogue', async (t) => {
  for (const f of [...src, ...bestanden('adapters')]) {
    if (f === 'src/errors.ts') continue;
    t.notMatch(lees(f), /(const|let) [A-Z_]*(FOUTCODES|FOUTEN|REDENEN)\s*=\s*\{/, `${f} defines no codes of its own`);
  }
});

t.test('the repo carries its own knowledge: no comment points outside it', async (t) => {
  for (const f of [...src, ...bestanden('adapters'), ...bestanden('dev'), ...bestanden('test'), ...bestanden('bench'), 'README.md', ...bestanden('docs', '.md')])
    t.notMatch(lees(f), /\.\.\/shared|\b(CONTRACT|DOMAIN|STYLE)\.md|\b[Ii]ssue \d/, `${f}`);
  for (const d of ['docs/architectuur.md', 'docs/domein.md', 'docs/contract.md', 'docs/besluiten/README.md']) t.ok(lees(d).length > 1000, `${d} exists`);
});
