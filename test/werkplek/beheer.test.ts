// The beheerder's overview in the werkplek: the operational state from the same reading as the
// Prometheus gauges (open cases per status, due today, overdue, outbox age, queues) and the partners
// and wijkteams in the config, without secrets. Other roles: 403.
import t from 'tap';
import { voorbeeldMelding } from '../helpers/build.js';
import { testKlok } from '../helpers/klok.js';
import { eindeVanDag } from '../../src/domain/werkdagen.js';
import { bouwWerkplek } from '../helpers/werkplek.js';

const ELAN = '00000099000000000001';

t.test('the beheerder sees the state of the service and the config without secrets', async (t) => {
  const klok = testKlok();
  const w = await bouwWerkplek(t, { klok: klok.klok });
  const sb = w.app.draaiend.sb;
  const eerste = (await sb.diensten.intake.ontvang(ELAN, voorbeeldMelding())).record;
  await sb.diensten.intake.ontvang(ELAN, voorbeeldMelding({ huurder: { ...voorbeeldMelding().huurder, relatienummer: 'B-2' } }));
  // The day after the term: both overdue.
  klok.zet(new Date(eindeVanDag(eerste.terugkoppelingUiterlijk).getTime() + 3_600_000));

  const s = await w.login('beheer');
  const a = await s.vraag('GET', '/beheer');
  t.equal(a.status, 200, a.tekst.slice(0, 500));
  t.match(a.headers['cache-control'], 'no-store');
  const toestand = await sb.diensten.rapportage.toestand();
  t.equal(toestand.overTijd, 2);
  t.match(a.tekst, '<dt>Terugkoppeling te laat</dt><dd>2</dd>');
  t.match(a.tekst, '<dt>Open in totaal</dt><dd>2</dd>');
  t.match(a.tekst, '<th scope="row" class="utrecht-table__header-cell">ontvangen</th><td class="utrecht-table__cell">2</td>');
  t.match(a.tekst, `<dt>Outbox: wachtende opdrachten</dt><dd>${toestand.outbox.lengte}</dd>`);
  t.match(a.tekst, /<dt>Outbox: oudste opdracht<\/dt><dd>\d+ (uur|min|s|dagen)/, 'the outbox holds the two deliveries: no worker runs here');
  t.match(a.tekst, '<th scope="row" class="utrecht-table__header-cell">Elan Wonen</th><td class="utrecht-table__cell">00000099000000000001</td>');
  t.match(a.tekst, '<td class="utrecht-table__cell">2011-2019</td>');
  for (const geheim of ['.crt', '.key', '.asc', 'dev-geheim', 'clientSecret', 'wijkteam-noord@haarlem.example'])
    t.notMatch(a.tekst, geheim, `no ${geheim} on the page`);

  const coordinator = await w.login('coordinator');
  t.equal((await coordinator.vraag('GET', '/beheer')).status, 403);
  t.equal((await w.vraag('GET', '/beheer')).status, 303, 'without a session: to the login');
});
