// The operational gauges on the ops listener: open cases per status, due today, overdue, the outbox
// and the queues, read from Redis as they are at the service clock (injected, from the real now).
import { request } from 'node:http';
import t from 'tap';
import { eindeVanDag, werkdagenNa } from '../src/domain/werkdagen.js';
import { build, voorbeeldMelding } from './helpers/build.js';
import { amsterdam, BASIS, testKlok } from './helpers/klok.js';

function metrics(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/metrics' }, (res) => {
      let tekst = '';
      res.on('data', (d: Buffer) => (tekst += d));
      res.on('end', () => resolve(tekst));
    }).on('error', reject).end();
  });
}

/** The value of one sample, e.g. `signaalbrug_meldingen_open{status="ontvangen"}`. */
const waarde = (tekst: string, naam: string) => {
  const regel = tekst.split('\n').find((r) => r.startsWith(`${naam} `));
  return regel === undefined ? undefined : Number(regel.slice(naam.length + 1));
};

t.test('gauges: open per status, due today, overdue, outbox, queues', async (t) => {
  const klok = testKlok(BASIS);
  const app = await build(t, { klok: klok.klok, rollen: ['api'] });
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await app.vraag('elan-wonen', 'POST', '/v1/meldingen', voorbeeldMelding())).body.id);
  t.equal((await app.vraag('wijkteam-haarlem', 'POST', `/v1/meldingen/${ids[0]}/terugkoppeling`, { contactGelegd: true, inBehandeling: true, incassoHervatten: false })).status, 201);
  t.equal((await app.vraag('elan-wonen', 'POST', `/v1/meldingen/${ids[1]}/intrekking`, {})).status, 201);

  let m = await metrics(app.opsPort);
  t.equal(waarde(m, 'signaalbrug_meldingen_open{status="ontvangen"}'), 1, 'one still waits for feedback');
  t.equal(waarde(m, 'signaalbrug_meldingen_open{status="teruggekoppeld"}'), 1);
  t.equal(waarde(m, 'signaalbrug_meldingen_open{status="geescaleerd"}'), 0);
  t.equal(waarde(m, 'signaalbrug_meldingen_open{status="ingetrokken"}'), undefined, 'final statuses are not open');
  t.equal(waarde(m, 'signaalbrug_meldingen_uiterlijk_vandaag'), 0);
  t.equal(waarde(m, 'signaalbrug_meldingen_over_tijd'), 0);
  // No relay runs in the api role: three meldingen, a feedback and a withdrawal wait in the outbox.
  t.equal(waarde(m, 'signaalbrug_outbox_lengte'), 5);
  t.ok(waarde(m, 'signaalbrug_outbox_oudste_seconden')! >= 0);
  t.equal(waarde(m, 'signaalbrug_wachtrij_jobs{wachtrij="bezorging",staat="waiting"}'), 0);
  t.notMatch(m, new RegExp(ids.join('|')), 'no case id in any label');

  const uiterlijk = werkdagenNa(BASIS, 5);
  klok.zet(amsterdam(uiterlijk, '09:00'));
  m = await metrics(app.opsPort);
  t.equal(waarde(m, 'signaalbrug_meldingen_uiterlijk_vandaag'), 1, 'due today');
  t.equal(waarde(m, 'signaalbrug_meldingen_over_tijd'), 0);
  klok.zet(new Date(eindeVanDag(uiterlijk).getTime() + 3_600_000));
  m = await metrics(app.opsPort);
  t.equal(waarde(m, 'signaalbrug_meldingen_uiterlijk_vandaag'), 0);
  t.equal(waarde(m, 'signaalbrug_meldingen_over_tijd'), 1, 'overdue, also before the sweep escalated it');
  t.ok(waarde(m, 'signaalbrug_outbox_oudste_seconden')! >= 5 * 86_400, 'the outbox entry has aged with the clock');
});
