// The troubleshooter's pages in the werkplek (convenant art. 8.2), logged in through the real OpenID
// Provider: the escalations and eviction dates of its gemeente, a case's message, the take-up (once,
// also when two requests race) and the outcome (once), each through the werkplek's own channel with
// the person's pseudonymous id in the logboek. The deadline passes on the injected clock.
import t from 'tap';
import { voorbeeldMelding } from '../helpers/build.js';
import { plusDagen, termijnVan, testKlok } from '../helpers/klok.js';
import { amsterdamDatum } from '../../src/domain/werkdagen.js';
import { bouwWerkplek } from '../helpers/werkplek.js';

const ELAN = '00000099000000000001';
const PRE = '00000099000000000002';
const GEMEENTE = '00000099000000000010';
const POSTCODE = { noord: '2011DE', oost: '2021AB' } as const;
const melding = (wijkteam: keyof typeof POSTCODE) => voorbeeldMelding({ adres: { ...voorbeeldMelding().adres, postcode: POSTCODE[wijkteam] } });
const ANTWOORD = { contactGelegd: true, inBehandeling: true, incassoHervatten: false, contactpogingen: [] };

const rijen = (html: string) => [...html.matchAll(/<th scope="row"[^>]*><a class="utrecht-link" href="\/escalaties\/([0-9a-f-]{36})">/g)].map((m) => m[1]);
const MOMENT = /\d{2}-\d{2}-\d{4} \d{2}:\d{2}/;

t.test('an escalated case: listed, read (a logboek record), taken up once, its outcome recorded once', async (t) => {
  const klok = testKlok();
  const w = await bouwWerkplek(t, { klok: klok.klok });
  const sb = w.app.draaiend.sb;
  const { intake, termijnen, terugkoppeling, aanvullingen, escalaties, lezen } = sb.diensten;
  // Three meldingen received now: one goes unanswered, one is answered in time, one is answered and
  // has an eviction date (the troubleshooter's too, without an escalation).
  const esc = (await intake.ontvang(ELAN, melding('noord'))).record;
  const gewoon = (await intake.ontvang(ELAN, melding('noord'))).record;
  const ontruiming = (await intake.ontvang(PRE, melding('oost'))).record;
  await terugkoppeling.geef(gewoon.id, ANTWOORD, { oin: GEMEENTE, kanaal: 'api' });
  await terugkoppeling.geef(ontruiming.id, ANTWOORD, { oin: GEMEENTE, kanaal: 'api' });
  await aanvullingen.vulAan(ontruiming.id, { soort: 'ontruimingsdatum', ontruimingsdatum: plusDagen(amsterdamDatum(klok.nu()), 40) }, { oin: PRE, kanaal: 'api' });
  // The deadline day ends: the sweep claims the escalation timer.
  klok.zet(new Date(termijnVan(klok.nu()).verstreken.getTime() + 60_000));
  while (await termijnen.sweep() > 0) { /* the unanswered melding escalates */ }
  t.equal((await sb.diensten.casussen.meta(esc.id))?.status, 'geescaleerd');
  t.equal((await sb.diensten.casussen.meta(gewoon.id))?.status, 'teruggekoppeld');

  const s = await w.login('troubleshooter');
  const lijst = await s.vraag('GET', '/escalaties');
  t.equal(lijst.status, 200);
  t.same(rijen(lijst.tekst), [esc.id, ontruiming.id], 'the escalation and the eviction date, oldest first');
  t.notMatch(lijst.tekst, gewoon.id, 'a case answered in time is none of the troubleshooter\'s');
  t.match(lijst.tekst, /Geëscaleerd op \d{2}-\d{2}-\d{4} \d{2}:\d{2}/, 'when, in Dutch local time');
  t.match(lijst.tekst, 'Ontruimingsdatum bekend');
  t.match(lijst.tekst, 'Nog niet opgepakt');
  t.match(lijst.tekst, /aria-current="page">Openstaand \(2\)/);
  t.notMatch(lijst.tekst, 'Dijk', 'the list holds no personal data');
  t.equal((await s.vraag('GET', `/escalaties/${gewoon.id}`)).status, 404, 'not escalated: does not exist here');

  const voor = await sb.redis.xlen(sb.namen.logboek());
  const gebruiker = sb.sleutels.pseudoniem('werkplek-gebruiker', w.op.issuer, 'troubleshooter');
  const d = await s.vraag('GET', `/escalaties/${esc.id}`);
  t.equal(d.status, 200);
  t.match(d.tekst, 'geen terugkoppeling gegeven binnen de termijn', 'the escalation as the mail says it');
  t.match(d.tekst, 'Dijk', 'with the tenant');
  t.match(d.tekst, 'Ik heb deze melding opgepakt');
  t.notMatch(d.tekst, 'tweede escalatie', 'no second escalation in this convenant');
  t.notMatch(d.tekst, 'Uitkomst vastleggen', 'no outcome before the take-up');
  t.equal(await sb.redis.xlen(sb.namen.logboek()), voor + 1, 'the reading is a logboek record');
  const gelezen = (await sb.redis.xrevrange(sb.namen.logboek(), '+', '-', 'COUNT', 1))[0]![1].join(' ');
  t.match(gelezen, 'melding-gelezen');
  t.match(gelezen, gebruiker);
  t.notMatch(gelezen, 'Kees', 'no name in the logboek');

  // An outcome before the take-up is refused; so is a take-up without CSRF token.
  t.equal((await s.vraag('POST', `/escalaties/${esc.id}/uitkomst`, { uitkomst: 'geen-contact' })).status, 409);
  t.equal((await s.vraag('POST', `/escalaties/${esc.id}/opgepakt`, {}, { zonderCsrf: true })).status, 403);
  t.notOk((await escalaties.stand(esc.id)).opgepaktOp, 'nothing taken up yet');

  // Two take-ups at the same moment (two tabs): one wins, the other is told.
  const tweede = await w.login('troubleshooter');
  const race = await Promise.all([s.vraag('POST', `/escalaties/${esc.id}/opgepakt`, {}), tweede.vraag('POST', `/escalaties/${esc.id}/opgepakt`, {})]);
  t.same(race.map((a) => a.status).sort(), [303, 409], 'taken up once');
  const gelukt = race.find((a) => a.status === 303)!;
  t.equal(gelukt.headers.location, `/escalaties/${esc.id}?bericht=opgepakt`);
  t.match(race.find((a) => a.status === 409)!.tekst, 'Deze melding was al opgepakt');
  const nogmaals = await s.vraag('POST', `/escalaties/${esc.id}/opgepakt`, {});
  t.equal(nogmaals.status, 409, 'a second take-up is refused');
  const opgepakt = (await lezen.gebeurtenissen(esc.id)).filter((g) => g.soort === 'escalatie-opgepakt');
  t.equal(opgepakt.length, 1, 'one event');
  t.equal(opgepakt[0]!.kanaal, 'werkplek', 'through the werkplek\'s own channel');
  const records = (await sb.redis.xrange(sb.namen.logboek(), '-', '+')).map(([, v]) => v.join(' '));
  t.equal(records.filter((r) => r.includes('escalatie-opgepakt')).length, 1);
  t.match(records.find((r) => r.includes('escalatie-opgepakt')), gebruiker, 'who took it up, pseudonymously');

  const na = await s.vraag('GET', String(gelukt.headers.location));
  t.match(na.tekst, 'U hebt deze melding opgepakt.');
  t.match(na.tekst, new RegExp(`Opgepakt op <strong>${MOMENT.source}</strong>`));
  t.notMatch(na.tekst, 'Ik heb deze melding opgepakt', 'no second take-up button');
  t.match(na.tekst, 'Uitkomst vastleggen');

  // The outcome: from the closed list, once.
  const leeg = await s.vraag('POST', `/escalaties/${esc.id}/uitkomst`, {});
  t.equal(leeg.status, 400);
  t.match(leeg.tekst, 'id="uitkomst-fout">Fout: Kies wat de uitkomst is.');
  t.match(leeg.tekst, 'href="#uitkomst-0"', 'the error summary points to the choice');
  t.equal((await s.vraag('POST', `/escalaties/${esc.id}/uitkomst`, { uitkomst: 'ontruiming-afgeblazen-door-mij' })).status, 400, 'not on the list');
  const u = await s.vraag('POST', `/escalaties/${esc.id}/uitkomst`, { uitkomst: 'betalingsregeling-getroffen' });
  t.equal(u.status, 303);
  t.equal(u.headers.location, `/escalaties/${esc.id}?bericht=uitkomst`);
  t.equal((await escalaties.stand(esc.id)).uitkomst, 'betalingsregeling-getroffen');
  const weer = await s.vraag('POST', `/escalaties/${esc.id}/uitkomst`, { uitkomst: 'geen-contact' });
  t.equal(weer.status, 409, 'a second outcome is refused');
  t.match(weer.tekst, 'De uitkomst was al vastgelegd');
  t.equal((await escalaties.stand(esc.id)).uitkomst, 'betalingsregeling-getroffen', 'the first outcome stands');
  const uitkomsten = (await lezen.gebeurtenissen(esc.id)).filter((g) => g.soort === 'escalatie-uitkomst');
  t.equal(uitkomsten.length, 1);
  t.equal(uitkomsten[0]!.kanaal, 'werkplek');
  t.notMatch(JSON.stringify(uitkomsten), 'betalingsregeling', 'the outcome itself only encrypted');
  const slot = await s.vraag('GET', `/escalaties/${esc.id}`);
  t.match(slot.tekst, 'Betalingsregeling getroffen');
  t.notMatch(slot.tekst, 'Uitkomst vastleggen', 'no form once recorded');

  // The lists follow: the escalation is done, the eviction date is still open.
  t.same(rijen((await s.vraag('GET', '/escalaties?tab=open')).tekst), [ontruiming.id]);
  const afgerond = await s.vraag('GET', '/escalaties?tab=afgerond');
  t.same(rijen(afgerond.tekst), [esc.id]);
  t.match(afgerond.tekst, /Uitkomst vastgelegd op \d{2}-\d{2}-\d{4} \d{2}:\d{2}/);
});

t.test('an eviction date without escalation: its message, taken up like an escalation', async (t) => {
  const klok = testKlok();
  const w = await bouwWerkplek(t, { klok: klok.klok });
  const sb = w.app.draaiend.sb;
  const { intake, aanvullingen, escalaties } = sb.diensten;
  const { record } = await intake.ontvang(ELAN, melding('noord'));
  const ontruimingsdatum = plusDagen(amsterdamDatum(klok.nu()), 30);
  await aanvullingen.vulAan(record.id, { soort: 'ontruimingsdatum', ontruimingsdatum }, { oin: ELAN, kanaal: 'api' });
  const s = await w.login('troubleshooter');
  const d = await s.vraag('GET', `/escalaties/${record.id}`);
  t.equal(d.status, 200);
  t.match(d.tekst, 'Ontruimingsdatum: melding van Elan Wonen');
  t.match(d.tekst, ontruimingsdatum.split('-').reverse().join('-'), 'the eviction date as dd-mm-jjjj');
  const a = await s.vraag('POST', `/escalaties/${record.id}/opgepakt`, {});
  t.equal(a.status, 303);
  t.ok((await escalaties.stand(record.id)).opgepaktOp);
  // Withdrawn by the corporation: the troubleshooter sees it.
  await sb.diensten.intrekking.trekIn(record.id, { oin: ELAN, kanaal: 'api' });
  const na = await s.vraag('GET', `/escalaties/${record.id}`);
  t.match(na.tekst, 'De corporatie heeft deze melding ingetrokken.');
});
