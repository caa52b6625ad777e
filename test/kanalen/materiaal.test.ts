// Sleutelmateriaal against real files: served from memory, re-read on herlaad, on a file change
// (fs.watch) and on its timer; a missing or removed file fails closed for that path only.
import t, { type Test } from 'tap';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { KanaalFout } from '../../adapters/kanaal.js';
import { Sleutelmateriaal } from '../../src/kanalen/materiaal.js';

interface Regel { level: number; msg: string; pad?: string; code?: string; paden?: string[] }

function logger() {
  const regels: Regel[] = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => void regels.push(JSON.parse(s) as Regel) });
  return { log, regels, fouten: () => regels.filter((r) => r.level === 50) };
}

/** Three files in two folders, the third not there (yet). */
function bestanden(t: Test) {
  const dir = t.testdir({ a: { 'sleutel.pem': 'A1' }, b: { 'cert.pem': 'B1' } });
  const a = path.join(dir, 'a', 'sleutel.pem');
  const b = path.join(dir, 'b', 'cert.pem');
  const c = path.join(dir, 'b', 'later.pem');
  return { a, b, c };
}

/** Poll until `klaar()` holds, at most 10 s (self-contained: this test needs nothing of the running service). */
async function wachtTot(klaar: () => boolean): Promise<void> {
  for (const eind = Date.now() + 10_000; !klaar(); await new Promise((r) => setTimeout(r, 25)))
    if (Date.now() > eind) throw new Error('timed out after 10 s');
}

/** lees() of a path, or undefined when it throws. */
const waarde = (m: Sleutelmateriaal, pad: string) => {
  try {
    return m.lees(pad);
  } catch {
    return undefined;
  }
};

/** What `fn` throws. */
function gooit(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

/** Asserts a KanaalFout with this code and message. */
function kanaalFout(t: Test, fn: () => unknown, code: string, bericht: RegExp, wat = 'KanaalFout') {
  const err = gooit(fn);
  t.type(err, KanaalFout, wat);
  t.match(err, { code, message: bericht }, wat);
}

t.test('reads each file once; lees comes from memory', async (t) => {
  const { a, b, c } = bestanden(t);
  const { log, fouten } = logger();
  const m = new Sleutelmateriaal([a, b, c, a], { herlaadSeconden: 0, log });
  t.equal(m.gelezen, 3, 'each path once, duplicates once');
  const uitkomsten = Array.from({ length: 100 }, () => m.lees(a) + m.lees(b));
  t.ok(uitkomsten.every((u) => u === 'A1B1'), 'contents from lees');
  t.equal(m.gelezen, 3, '200 lees calls, no file read');
  kanaalFout(t, () => m.lees(c), 'SB_SLEUTEL_ONTBREEKT', /later\.pem: ENOENT/, 'missing file: coded, with path and code');
  kanaalFout(t, () => m.lees(undefined), 'SB_SLEUTEL_ONTBREEKT', /geen sleutelbestand geconfigureerd/);
  const onbekend = gooit(() => m.lees('/nergens/geregistreerd.pem'));
  t.ok(onbekend instanceof Error && !(onbekend instanceof KanaalFout), 'an unregistered path is a programming error');
  t.match(fouten(), [{ pad: c, code: 'ENOENT' }], 'the missing file logged once, with path and code');
  m.herlaad();
  t.equal(fouten().length, 1, 'still missing: not logged again');
});

t.test('herlaad picks up changes, a new file, and fails closed on a removed one', async (t) => {
  const { a, b, c } = bestanden(t);
  const { log, regels, fouten } = logger();
  const m = new Sleutelmateriaal([a, b, c], { herlaadSeconden: 0, log });
  writeFileSync(a, 'A2');
  writeFileSync(c, 'C1');
  t.equal(m.lees(a), 'A1', 'no reload yet');
  m.herlaad();
  t.equal(m.gelezen, 6);
  t.equal(m.lees(a), 'A2');
  t.equal(m.lees(c), 'C1', 'the file that appeared');
  t.match(regels.filter((r) => r.level === 30), [{ paden: [a, c] }], 'changed paths logged');
  rmSync(b);
  m.herlaad();
  kanaalFout(t, () => m.lees(b), 'SB_SLEUTEL_ONTBREEKT', /cert\.pem: ENOENT/, 'removed: the key is gone, not the old copy');
  t.equal(m.lees(a), 'A2', 'other paths unaffected');
  t.match(fouten().at(-1), { pad: b, code: 'ENOENT' });
});

t.test('fs.watch: changes, appearance and removal without calling herlaad', async (t) => {
  const { a, b, c } = bestanden(t);
  const { log } = logger();
  const m = new Sleutelmateriaal([a, b, c], { herlaadSeconden: 0, log });
  m.start();
  t.teardown(() => m.stop());
  writeFileSync(a, 'A2');
  await wachtTot(() => waarde(m, a) === 'A2');
  writeFileSync(c, 'C1');
  await wachtTot(() => waarde(m, c) === 'C1');
  rmSync(b);
  await wachtTot(() => waarde(m, b) === undefined);
  kanaalFout(t, () => m.lees(b), 'SB_SLEUTEL_ONTBREEKT', /ENOENT/, 'change, appearance and removal seen');
  const na = m.gelezen;
  writeFileSync(path.join(path.dirname(b), 'ander.txt'), 'x');
  await new Promise((r) => setTimeout(r, 300));
  t.equal(m.gelezen, na, 'another file in the folder does not reload');
});

t.test('the timer re-reads; stop ends timer and watchers', async (t) => {
  const { a, b } = bestanden(t);
  const { log } = logger();
  const m = new Sleutelmateriaal([a, b], { herlaadSeconden: 0.2, log });
  m.start();
  t.teardown(() => m.stop());
  await wachtTot(() => m.gelezen >= 2 + 2 * 2);
  t.pass('reloaded twice on the timer, no file touched');
  m.stop();
  const na = m.gelezen;
  writeFileSync(a, 'A2');
  await new Promise((r) => setTimeout(r, 500));
  t.equal(m.gelezen, na, 'stopped: nothing re-read');
  t.equal(m.lees(a), 'A1');
});

t.test('a folder that does not exist: no watch, the timer still works', async (t) => {
  const dir = t.testdir({});
  const x = path.join(dir, 'komt', 'x.pem');
  const { log } = logger();
  const m = new Sleutelmateriaal([x], { herlaadSeconden: 0.2, log });
  m.start();
  t.teardown(() => m.stop());
  mkdirSync(path.dirname(x));
  writeFileSync(x, 'X1');
  await wachtTot(() => waarde(m, x) === 'X1');
  t.pass('picked up by the timer');
});
