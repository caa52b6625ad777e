// The central safety net: whatever a log call passes, the personal fields of a melding never reach
// the log line, at any of the depths a log object has in practice.
import { PassThrough } from 'node:stream';
import t from 'tap';
import { createLogger } from '../src/logger.js';
import { KANARIE, kanarieMelding } from './helpers/portaal.js';

/** A logger at info whose lines the test can read back after a tick. */
function vangLog() {
  const stroom = new PassThrough();
  let tekst = '';
  stroom.on('data', (d: Buffer) => (tekst += d));
  return { log: createLogger(stroom, 'info'), uit: async () => { await new Promise((r) => setImmediate(r)); return tekst; } };
}

t.test('personal fields are redacted at every depth; ids and codes stay', async (t) => {
  const { log, uit: gelogd } = vangLog();
  const m = kanarieMelding();
  log.info({ meldingId: 'id-123', ...m }, 'plat');
  log.info({ melding: m, huurder: m.huurder }, 'een niveau');
  log.info({ ctx: { huurder: m.huurder, adres: m.adres } }, 'twee niveaus');
  log.info({ a: { b: { achternaam: KANARIE.achternaam, telefoonnummer: KANARIE.telefoonnummer, postcode: KANARIE.postcode } } }, 'drie niveaus');
  log.warn({ req: { headers: { cookie: '__Secure-sb-sessie=abc', authorization: 'Bearer x' } }, body: m }, 'verzoek');
  log.info({ terugkoppeling: { wilHulp: false, nietOpgepakt: 'overleden' } }, 'terugkoppeling');
  const uit = await gelogd();
  t.equal(uit.trim().split('\n').length, 6);
  for (const [veld, waarde] of Object.entries(KANARIE)) t.notOk(uit.includes(waarde), `no ${veld}`);
  for (const geheim of ['__Secure-sb-sessie', 'Bearer', 'overleden']) t.notOk(uit.includes(geheim), `no ${geheim}`);
  t.match(uit, /"meldingId":"id-123"/, 'ids stay');
  t.match(uit, /\[verwijderd\]/);
});

t.test('redaction reaches any depth, arrays and error properties, and never changes the caller\'s object', async (t) => {
  const { log, uit: gelogd } = vangLog();
  const m = kanarieMelding();
  const diep = { a: { b: { c: { d: { e: { huurder: m.huurder } } } } } };
  log.info(diep, 'vijf niveaus');
  log.info({ lijst: [{ adres: m.adres }, 'los', 3] }, 'lijst');
  const fout = Object.assign(new Error('opslag faalde'), { body: JSON.stringify(m) });
  log.error({ err: fout }, 'fout met body');
  let nest: Record<string, unknown> = { achternaam: KANARIE.achternaam };
  for (let i = 0; i < 20; i++) nest = { n: nest };
  log.info(nest, 'te diep');
  const uit = await gelogd();
  for (const [veld, waarde] of Object.entries(KANARIE)) t.notOk(uit.includes(waarde), `no ${veld}`);
  t.match(uit, /opslag faalde/, 'the error message stays');
  t.match(uit, /"los"/, 'harmless array items stay');
  t.match(uit, /\[te diep\]/);
  t.equal(diep.a.b.c.d.e.huurder, m.huurder, 'the object passed in is not modified');
  t.equal(fout.body, JSON.stringify(m));
});

t.test('a log object without secrets is passed through as it is', async (t) => {
  const { schoon } = await import('../src/logger.js');
  const o = { meldingId: 'x', res: { statusCode: 201 }, lijst: [1, 2] };
  t.equal(schoon(o), o);
  const s = schoon({ ...o, nest: { cookie: 'c' } }) as { nest: { cookie: string } };
  t.equal(s.nest.cookie, '[verwijderd]');
});
