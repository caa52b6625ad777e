// The wijkteam's pages in the werkplek: the work list with its tabs (new, due today, overdue,
// escalated, answered) and filters on the service clock, the melding's detail (personal data, so a
// logboek record per reading), the eerste terugkoppeling on DDAS's terms and the eindresultaat, with
// the same effect as in the portal and the API.
import t from 'tap';
import { voorbeeldMelding } from '../helpers/build.js';
import { amsterdam, nlDatum, termijnVan, testKlok } from '../helpers/klok.js';
import { amsterdamDatum } from '../../src/domain/werkdagen.js';
import { bouwWerkplek } from '../helpers/werkplek.js';

const ELAN = '00000099000000000001';
const PRE = '00000099000000000002';
/** A postcode in each wijkteam's range (test config). */
const POSTCODE = { noord: '2011DE', oost: '2021AB', zuid: '2035XK' } as const;

const melding = (wijkteam: keyof typeof POSTCODE, over: Record<string, unknown> = {}) =>
  voorbeeldMelding({ adres: { ...voorbeeldMelding().adres, postcode: POSTCODE[wijkteam] }, ...over });

const rijen = (html: string) => [...html.matchAll(/<tr class="utrecht-table__row">\s*<th scope="row"[^>]*>(?:<a class="utrecht-link" href="\/werklijst\/([0-9a-f-]{36})">)?/g)].map((m) => m[1]);

t.test('work list tabs and filters on the service clock; the wijkteam medewerker sees only its wijkteam', async (t) => {
  const klok = testKlok(amsterdam(amsterdamDatum(testKlok().nu()), '10:00'));
  const w = await bouwWerkplek(t, { klok: klok.klok });
  const sb = w.app.draaiend.sb;
  const { intake, termijnen, terugkoppeling } = sb.diensten;
  // Received now: due in five werkdagen. Received earlier: due today, and overdue (escalated).
  const nu = klok.nu();
  const nieuw = (await intake.ontvang(ELAN, melding('noord'))).record;
  const pre = (await intake.ontvang(PRE, melding('noord', { soort: 'meer-dan-huurachterstand', achterstand: undefined, stappen: undefined }))).record;
  const zuid = (await intake.ontvang(ELAN, melding('zuid'))).record;
  // Back in time: a melding whose deadline is today, and one whose deadline passed.
  // (On a weekend or holiday no deadline falls today: then that melding is due on the next werkdag.)
  const dagen = Array.from({ length: 20 }, (_, i) => new Date(nu.getTime() - (i + 1) * 86_400_000));
  const ontvangst = dagen.find((d) => termijnVan(d).uiterlijk === amsterdamDatum(nu)) ?? dagen.find((d) => termijnVan(d).uiterlijk > amsterdamDatum(nu))!;
  const vandaagBestaat = termijnVan(ontvangst).uiterlijk === amsterdamDatum(nu);
  klok.zet(ontvangst);
  const vandaag = (await intake.ontvang(ELAN, melding('noord'))).record;
  klok.zet(new Date(nu.getTime() - 20 * 86_400_000));
  const laat = (await intake.ontvang(ELAN, melding('noord'))).record;
  const beantwoord = (await intake.ontvang(ELAN, melding('noord'))).record;
  klok.zet(nu);
  while (await termijnen.sweep() > 0) { /* the overdue melding escalates */ }
  await terugkoppeling.geef(beantwoord.id, { contactGelegd: true, inBehandeling: true, incassoHervatten: false, contactpogingen: [] }, { oin: beantwoord.wijkteamOin, kanaal: 'api' });
  if (vandaagBestaat) t.equal(vandaag.terugkoppelingUiterlijk, amsterdamDatum(nu), 'one melding is due today');
  t.equal((await sb.diensten.casussen.meta(laat.id))?.status, 'geescaleerd');
  t.equal((await sb.diensten.casussen.meta(beantwoord.id))?.status, 'teruggekoppeld', 'late feedback after the escalation');

  const s = await w.login('wijkteam-noord');
  const tab = async (naam: string, filter = '') => {
    const a = await s.vraag('GET', `/werklijst?tab=${naam}${filter}`);
    t.equal(a.status, 200, `${naam}${filter}`);
    return a;
  };
  const nieuwe = await tab('nieuw');
  t.same(new Set(rijen(nieuwe.tekst)), new Set([nieuw.id, pre.id, vandaag.id]), 'nieuw: not yet read, feedback owed, not escalated');
  t.notMatch(nieuwe.tekst, zuid.id, 'another wijkteam\'s melding is not in the list');
  t.match(nieuwe.tekst, /aria-current="page">Nieuw \(3\)/);
  t.same(rijen((await tab('vandaag')).tekst), vandaagBestaat ? [vandaag.id] : [], 'vandaag uiterlijk');
  const over = await tab('over-tijd');
  t.same(rijen(over.tekst), [laat.id], 'over tijd');
  t.match(over.tekst, '(over tijd)');
  t.same(rijen((await tab('geescaleerd')).tekst), [laat.id]);
  t.same(rijen((await tab('beantwoord')).tekst), [beantwoord.id]);
  t.equal(rijen((await tab('alle')).tekst).length, 5);
  // Filters: corporation, soort, deadline.
  t.same(rijen((await tab('alle', `&corporatie=${PRE}`)).tekst), [pre.id], 'filter corporation');
  t.same(rijen((await tab('alle', '&soort=meer-dan-huurachterstand')).tekst), [pre.id], 'filter soort');
  t.same(new Set(rijen((await tab('alle', `&tot=${nlDatum(amsterdamDatum(nu))}`)).tekst)), new Set([...(vandaagBestaat ? [vandaag.id] : []), laat.id, beantwoord.id]), 'filter deadline (tot en met)');
  const dag = vandaag.terugkoppelingUiterlijk;
  // Around holidays several meldingen share a deadline day (e.g. Easter): expect every one of them.
  const opDag = [nieuw, pre, vandaag, laat, beantwoord].filter((r) => r.terugkoppelingUiterlijk === dag).map((r) => r.id);
  t.ok(opDag.includes(vandaag.id));
  t.same(new Set(rijen((await tab('alle', `&van=${dag}&tot=${nlDatum(dag)}`)).tekst)), new Set(opDag), 'filter deadline (van, tot)');
  const lijst = await tab('alle');
  t.match(lijst.tekst, nlDatum(nieuw.terugkoppelingUiterlijk), 'deadline as dd-mm-jjjj');
  t.notMatch(lijst.tekst, 'Dijk', 'the list holds no personal data');
  t.notMatch(lijst.tekst, 'filter-wijkteam', 'a medewerker has no wijkteam filter');

  // The coordinator sees every wijkteam of its gemeente, and can filter on one.
  const c = await w.login('coordinator');
  const alle = await c.vraag('GET', '/werklijst?tab=alle');
  t.equal(rijen(alle.tekst).length, 6);
  t.same(rijen((await c.vraag('GET', '/werklijst?tab=alle&wijkteam=zuid')).tekst), [zuid.id]);
});

t.test('detail, eerste terugkoppeling (DDAS) and eindresultaat; each reading a logboek record', async (t) => {
  const klok = testKlok();
  const w = await bouwWerkplek(t, { klok: klok.klok });
  const sb = w.app.draaiend.sb;
  const { record } = await sb.diensten.intake.ontvang(ELAN, melding('noord'));
  const s = await w.login('wijkteam-noord');
  const voor = await sb.redis.xlen(sb.namen.logboek());
  const d = await s.vraag('GET', `/werklijst/${record.id}`);
  t.equal(d.status, 200);
  t.match(d.tekst, 'Dijk', 'the melding with its personal data');
  t.match(d.tekst, 'Eerste terugkoppeling aan Elan Wonen');
  t.match(d.tekst, nlDatum(record.terugkoppelingUiterlijk));
  t.match(d.tekst, /<legend class="utrecht-form-fieldset__legend[^>]*>Is de melding opgepakt\?/);
  t.equal(await sb.redis.xlen(sb.namen.logboek()), voor + 1, 'one logboek record');
  const laatste = (await sb.redis.xrevrange(sb.namen.logboek(), '+', '-', 'COUNT', 1))[0]![1].join(' ');
  t.match(laatste, 'melding-gelezen');
  t.match(laatste, 'werkplek');
  t.notMatch(laatste, 'Sanne', 'no name in the logboek');
  // The first opening of a new melding marks it read, by this person in the werkplek: the "nieuw" tab empties.
  t.equal((await sb.diensten.casussen.meta(record.id))?.status, 'gelezen');
  const gelezen = (await sb.diensten.lezen.gebeurtenissen(record.id)).filter((g) => g.soort === 'gelezen');
  t.equal(gelezen.length, 1);
  t.equal(gelezen[0]!.kanaal, 'werkplek');
  const gebruiker = sb.sleutels.pseudoniem('werkplek-gebruiker', w.op.issuer, 'wijkteam-noord');
  t.match(laatste, gebruiker, 'the logboek record names the pseudonymous user');
  const nieuw = await s.vraag('GET', '/werklijst?tab=nieuw');
  t.equal(rijen(nieuw.tekst).length, 0, 'nothing new any more');
  t.match(nieuw.tekst, /aria-current="page">Nieuw \(0\)/);
  // A second opening: a logboek record of its own, no second event.
  await s.vraag('GET', `/werklijst/${record.id}`);
  t.equal(await sb.redis.xlen(sb.namen.logboek()), voor + 2, 'every reading a logboek record');
  t.equal((await sb.diensten.lezen.gebeurtenissen(record.id)).filter((g) => g.soort === 'gelezen').length, 1, 'read once');

  // A form with errors: each next to its field, nothing sent.
  const fout = await s.vraag('POST', `/werklijst/${record.id}/terugkoppeling`, { opgepakt: 'ja' });
  t.equal(fout.status, 400);
  t.match(fout.tekst, 'id="datumOpgepakt-fout"');
  t.match(fout.tekst, 'id="incassoHervatten-fout"');
  t.match(fout.tekst, 'href="#datumOpgepakt"');
  t.equal(await sb.diensten.terugkoppeling.lees(record.id), undefined);

  const vandaag = amsterdamDatum(klok.nu());
  const a = await s.vraag('POST', `/werklijst/${record.id}/terugkoppeling`, {
    opgepakt: 'ja', datumOpgepakt: nlDatum(vandaag), 'poging-0-soort': 'Telefoon', 'poging-0-bereikt': 'ja', 'poging-0-datum': vandaag,
    incassoHervatten: 'nee', hervattingBetalingOp: '',
  });
  t.equal(a.status, 303, a.tekst.slice(0, 500));
  t.equal(a.headers.location, `/werklijst/${record.id}?bericht=teruggekoppeld`);
  const k = await sb.diensten.terugkoppeling.lees(record.id);
  t.equal(k?.ddas?.opgepakt, true);
  t.equal(k?.ddas?.datumOpgepakt, vandaag);
  t.equal(k?.contactGelegd, true);
  t.equal(k?.opTijd, true);
  const teruggekoppeld = (await sb.diensten.lezen.gebeurtenissen(record.id)).find((g) => g.soort === 'teruggekoppeld');
  t.ok(teruggekoppeld, 'the feedback event, as from the portal');
  t.equal(teruggekoppeld?.kanaal, 'werkplek', 'through the werkplek\'s own channel');
  const tkRecord = (await sb.redis.xrange(sb.namen.logboek(), '-', '+')).map(([, v]) => v.join(' ')).find((r) => r.includes('terugkoppeling-ontvangen'));
  t.match(tkRecord, 'werkplek');
  t.match(tkRecord, gebruiker, 'who gave it, pseudonymously');
  t.notMatch(tkRecord, 'Sanne');
  const na = await s.vraag('GET', String(a.headers.location));
  t.match(na.tekst, 'De terugkoppeling is verstuurd');
  t.match(na.tekst, 'Terugkoppeling aan Elan Wonen');
  t.match(na.tekst, 'Eindresultaat doorgeven');

  // Amend it (the corporation is told again).
  const wijzig = await s.vraag('GET', `/werklijst/${record.id}?wijzigen=1`);
  t.match(wijzig.tekst, 'Terugkoppeling wijzigen');
  t.match(wijzig.tekst, /id="opgepakt-0"[^>]*value="ja" checked/, 'the form filled with what was sent');

  const leeg = await s.vraag('POST', `/werklijst/${record.id}/eindresultaat`, {});
  t.equal(leeg.status, 400);
  t.match(leeg.tekst, 'Kies het eindresultaat.');
  const e = await s.vraag('POST', `/werklijst/${record.id}/eindresultaat`, { resultaat: 'Vervolghulp en/of verwijzing financieel' });
  t.equal(e.status, 303);
  t.equal((await sb.diensten.casussen.meta(record.id))?.status, 'afgesloten');
  const slot = await s.vraag('GET', `/werklijst/${record.id}`);
  t.match(slot.tekst, 'Vervolghulp en/of verwijzing financieel');
  t.match(slot.tekst, 'Opgepakt en afgesloten', 'what the corporation sees of it');
  t.notMatch(slot.tekst, 'Terugkoppeling versturen', 'no forms on a closed melding');
  const nogmaals = await s.vraag('POST', `/werklijst/${record.id}/eindresultaat`, { resultaat: 'Vervolghulp en/of verwijzing financieel' });
  t.equal(nogmaals.status, 409);

  // The corporation sees the DDAS outcome only as DDAS allows.
  const corp = await w.login('corporatie');
  const cd = await corp.vraag('GET', `/meldingen/${record.id}`);
  t.match(cd.tekst, 'Opgepakt en afgesloten');
  t.notMatch(cd.tekst, 'Vervolghulp');
});

t.test('a coordinator gives feedback too; other roles get no wijkteam pages', async (t) => {
  const w = await bouwWerkplek(t);
  const sb = w.app.draaiend.sb;
  const { record } = await sb.diensten.intake.ontvang(ELAN, melding('oost'));
  const c = await w.login('coordinator');
  const vandaag = amsterdamDatum(sb.klok());
  const a = await c.vraag('POST', `/werklijst/${record.id}/terugkoppeling`, {
    opgepakt: 'nee', redenNietOpgepakt: 'Niet opgepakt: onterecht signaal', incassoHervatten: 'ja', hervattingBetalingOp: vandaag,
  });
  t.equal(a.status, 303);
  t.equal((await sb.diensten.casussen.meta(record.id))?.status, 'teruggekoppeld');
  for (const gebruiker of ['corporatie', 'troubleshooter']) {
    const s = await w.login(gebruiker);
    t.equal((await s.vraag('GET', '/werklijst')).status, 403, `${gebruiker}: /werklijst`);
    t.equal((await s.vraag('GET', `/werklijst/${record.id}`)).status, 403, `${gebruiker}: detail`);
  }
  const zonder = await c.vraag('POST', `/werklijst/${record.id}/eindresultaat`, { resultaat: 'Niet opgepakt: onterecht signaal' }, { zonderCsrf: true });
  t.equal(zonder.status, 403, 'no CSRF token, no outcome');
  t.equal((await sb.diensten.casussen.meta(record.id))?.status, 'teruggekoppeld');
});
