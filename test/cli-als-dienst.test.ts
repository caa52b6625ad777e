// The CLI is built by the same composition root as the service, so a command behaves exactly as the
// service does: an erasure started from the CLI, and a withdrawal through the CLI's own wiring, both
// revoke the portal's secure link, as the API's withdrawal does.
import t from 'tap';
import { omgeving } from '../src/cli/omgeving.js';
import { build, voorbeeldMelding, wachtOp, type Gebouwd } from './helpers/build.js';
import { cli } from './helpers/cli.js';
import { platteTekst } from './helpers/mail.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { httpsVraag } from './helpers/build.js';

const ELAN = 'elan-wonen';
const ELAN_OIN = '00000099000000000001';

/** A melding for wijkteam Zuid (beveiligde link), delivered: its id and the token of its link. */
async function bezorgdeLink(app: Gebouwd, referentie: string, relatienummer: string): Promise<{ id: string; token: string }> {
  const voor = app.sink!.bestanden().length;
  const m = voorbeeldMelding({ referentie });
  const res = await app.vraag(ELAN, 'POST', '/v1/meldingen', { ...m, huurder: { ...m.huurder, relatienummer }, adres: { ...m.adres, postcode: '2035XK' } });
  t.equal(res.status, 201, res.tekst);
  const mail = await wachtOp(async () => app.sink!.bestanden().slice(voor).map((f) => readFileSync(f, 'utf8')).find((e) => /\/b\/[A-Za-z0-9_-]{43}/.test(platteTekst(e))));
  return { id: res.body.id, token: /\/b\/([A-Za-z0-9_-]{43})/.exec(platteTekst(mail))![1]! };
}

const opent = (app: Gebouwd, token: string) => httpsVraag({
  host: '127.0.0.1', port: app.portalPort, method: 'GET', path: `/b/${token}`, ca: readFileSync(path.join(app.pki, 'ca.crt')), servername: 'localhost',
});

t.test('erasure from the CLI and withdrawal through the CLI wiring revoke the secure link, as the API does', async (t) => {
  const app = await build(t, { rollen: ['api', 'portal', 'worker'] });
  const env = { SIGNAALBRUG_CONFIG: app.configBestand };

  const api = await bezorgdeLink(app, 'CLI-API-1', 'REL-API');
  t.equal((await opent(app, api.token)).status, 200, 'the link opens');
  t.equal((await app.vraag(ELAN, 'POST', `/v1/meldingen/${api.id}/intrekking`, {})).status, 201);
  t.equal((await opent(app, api.token)).status, 410, 'API withdrawal: the link says ingetrokken');

  const cliIntrekking = await bezorgdeLink(app, 'CLI-INTREK-1', 'REL-INTREK');
  t.equal((await opent(app, cliIntrekking.token)).status, 200);
  const o = await omgeving({ ...process.env, ...env });
  try {
    t.match(await o.sb.diensten.intrekking.trekIn(cliIntrekking.id, { oin: ELAN_OIN, kanaal: 'cli' }), { status: 'ingetrokken', nieuw: true });
  } finally {
    await o.sluit();
  }
  t.equal((await opent(app, cliIntrekking.token)).status, 410, 'withdrawal through the CLI wiring: the link says ingetrokken');

  const wis = await bezorgdeLink(app, 'CLI-WIS-1', 'REL-WIS');
  t.equal((await opent(app, wis.token)).status, 200);
  const r = await cli(['verwijder', '--corporatie', ELAN_OIN, '--relatienummer', 'REL-WIS'], { env });
  t.equal(r.code, 0, r.stderr);
  t.match(JSON.parse(r.stdout).meldingen, [{ id: wis.id, uitkomst: 'gewist' }]);
  t.equal((await opent(app, wis.token)).status, 404, 'erasure from the CLI: the link is gone');
});
