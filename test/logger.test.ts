// The central safety net: whatever a log call passes, the personal fields of a melding never reach
// the log line, at any of the depths a log object has in practice.
import { PassThrough } from 'node:stream';
import t from 'tap';
import { createLogger } from '../src/logger.js';
import { KANARIE, kanarieMelding } from './helpers/portaal.js';

t.test('personal fields are redacted at every depth; ids and codes stay', async (t) => {
  const stroom = new PassThrough();
  let uit = '';
  stroom.on('data', (d: Buffer) => (uit += d));
  const log = createLogger(stroom, 'info');
  const m = kanarieMelding();
  log.info({ meldingId: 'id-123', ...m }, 'plat');
  log.info({ melding: m, huurder: m.huurder }, 'een niveau');
  log.info({ ctx: { huurder: m.huurder, adres: m.adres } }, 'twee niveaus');
  log.info({ a: { b: { achternaam: KANARIE.achternaam, telefoonnummer: KANARIE.telefoonnummer, postcode: KANARIE.postcode } } }, 'drie niveaus');
  log.warn({ req: { headers: { cookie: '__Secure-sb-sessie=abc', authorization: 'Bearer x' } }, body: m }, 'verzoek');
  log.info({ terugkoppeling: { wilHulp: false, nietOpgepakt: 'overleden' } }, 'terugkoppeling');
  await new Promise((r) => setImmediate(r));
  t.equal(uit.trim().split('\n').length, 6);
  for (const [veld, waarde] of Object.entries(KANARIE)) t.notOk(uit.includes(waarde), `no ${veld}`);
  for (const geheim of ['__Secure-sb-sessie', 'Bearer', 'overleden']) t.notOk(uit.includes(geheim), `no ${geheim}`);
  t.match(uit, /"meldingId":"id-123"/, 'ids stay');
  t.match(uit, /\[verwijderd\]/);
});
