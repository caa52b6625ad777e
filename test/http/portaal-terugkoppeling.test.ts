// The terugkoppeling form in the portal on DDAS's terms: the fields and enumerations of DDAS with its
// wording, required questions marked, errors tied to their fields in plain Dutch, dates checked
// against today in Europe/Amsterdam, a CSRF token bound to the session, the same effect as the API
// call; afterwards the pages say what was sent and when, the feedback can be amended, and the
// eindresultaat ends the case. An expired session keeps the answers typed so far.
import t from 'tap';
import { CONTACTSOORTEN, DAGDELEN, EINDRESULTATEN, REDENEN_NIET_OPGEPAKT } from '../../src/domain/ddas.js';
import { kenmerk } from '../../src/domain/portaalberichten.js';
import { amsterdamDatum } from '../../src/domain/werkdagen.js';
import { moment } from '../../src/http/portaal/paginas.js';
import { nlDatum, plusDagen } from '../helpers/klok.js';
import { bouwPortaal, GEMEENTE_OIN, sessieCookie, type Portaal } from '../helpers/portaal.js';
import { redisDump } from '../helpers/privacy.js';

async function open(p: Portaal) {
  const id = await p.melding();
  const token = await p.link(id);
  await p.vraag('POST', `/b/${token}/code`, { form: {} });
  const cookie = sessieCookie(await p.vraag('POST', `/b/${token}/toegang`, { form: { code: p.codeUitMail()! } }))!;
  const pagina = await p.vraag('GET', `/b/${token}/bericht`, { cookie });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(pagina.tekst)![1]!;
  return { id, token, cookie, csrf, pagina: pagina.tekst };
}

/** Today on the test's clock, in Europe/Amsterdam; every date below is derived from it. */
const vandaag = (p: Portaal) => amsterdamDatum(p.klok.nu);

function geldig(p: Portaal): Record<string, string> {
  return {
    opgepakt: 'ja', datumOpgepakt: vandaag(p),
    'poging-0-soort': 'Telefoon', 'poging-0-bereikt': 'nee', 'poging-0-datum': vandaag(p), 'poging-0-dagdeel': 'Ochtend',
    'poging-2-soort': 'Huisbezoek', 'poging-2-bereikt': 'ja', 'poging-2-datum': nlDatum(vandaag(p)), 'poging-2-dagdeel': '',
    incassoHervatten: 'nee', hervattingBetalingOp: plusDagen(vandaag(p), 14),
  };
}

t.test('the form speaks DDAS: its fields and enumerations, required questions marked, no free text', async (t) => {
  const p = await bouwPortaal(t);
  const { pagina } = await open(p);
  const namen = new Set([...pagina.matchAll(/<(?:input|select|textarea|button)[^>]* name="([^"]+)"/g)].map((m) => m[1]));
  t.same([...namen].sort(), ['_csrf', 'opgepakt', 'datumOpgepakt', 'redenNietOpgepakt', 'incassoHervatten', 'hervattingBetalingOp',
    ...[0, 1, 2].flatMap((i) => ['soort', 'bereikt', 'datum', 'dagdeel'].map((d) => `poging-${i}-${d}`))].sort(), 'the DDAS fields (and the CSRF token)');
  t.notMatch(pagina, /<textarea|type="text"/, 'no free text');
  t.match(pagina, /<legend>Is de melding opgepakt\? <span class="verplicht">\(verplicht\)<\/span><\/legend>/, 'required question marked');
  t.match(pagina, /<legend>Mag de corporatie de incasso hervatten\? <span class="verplicht">\(verplicht\)<\/span><\/legend>/);
  t.match(pagina, /<label for="datumOpgepakt">Datum opgepakt <span class="verplicht">\(verplicht als de melding is opgepakt\)<\/span><\/label>/);
  for (const r of REDENEN_NIET_OPGEPAKT) t.match(pagina, `name="redenNietOpgepakt" value="${r}"`, `reason in DDAS's words: ${r}`);
  t.match(pagina, 'De corporatie ziet alleen dat de melding niet is opgepakt, niet de reden.', '"andere reden" says what the corporation sees');
  for (const s of CONTACTSOORTEN) t.match(pagina, `<option value="${s}">${s.replace('/', '/')}</option>`, `contactsoort ${s}`);
  for (const d of DAGDELEN) t.match(pagina, `<option value="${d}">${d}</option>`);
  t.match(pagina, /<input type="radio" id="incassoHervatten-2" name="incassoHervatten" value="onbekend"[^>]*><label for="incassoHervatten-2">Weet ik niet/, '"weet ik niet" is an answer of its own');
  t.notMatch(pagina, /name="incassoHervatten" value="[^"]*" checked/, 'nothing chosen beforehand: unanswered is not "weet ik niet"');
  t.match(pagina, /<fieldset class="poging">\s*<legend>Contactpoging 1<\/legend>/);
  t.match(pagina, `Terugkoppeling uiterlijk <strong>${p.termijn.uiterlijkNl}</strong>`);
  t.notMatch(pagina, 'name="resultaat"', 'no eindresultaat before the eerste terugkoppeling');
});

t.test('a valid form: given as the API would, and the pages say what was sent, when, and what happens next', async (t) => {
  const p = await bouwPortaal(t);
  const { id, token, cookie, csrf } = await open(p);
  const r = await p.vraag('POST', `/b/${token}/terugkoppeling`, { cookie, form: { ...geldig(p), _csrf: csrf } });
  t.equal(r.status, 200, r.tekst.slice(0, 300));
  t.match(r.tekst, 'Terugkoppeling ontvangen');
  t.match(r.tekst, `verstuurd op <strong>${moment(p.klok.nu.toISOString())}</strong>`, 'when, in Dutch local time');
  t.match(moment(p.klok.nu.toISOString()), /^\d{2}-\d{2}-\d{4} om \d{2}:\d{2}$/, 'dd-mm-jjjj om uu:mm');
  t.notMatch(r.tekst, /\d{4}-\d{2}-\d{2}T|Z<|UTC/, 'never a raw UTC moment');
  t.match(r.tekst, 'op tijd');
  t.match(r.tekst, 'Wat gebeurt er nu?');
  t.match(r.tekst, 'De termijn is gestopt');
  t.match(r.tekst, 'eindresultaat');
  t.match(r.tekst, /<dt>Is de melding opgepakt\?<\/dt><dd>Ja<\/dd>/, 'what was sent');
  t.match(r.tekst, `${nlDatum(vandaag(p))}, Ochtend: Telefoon, niet bereikt`);
  t.match(r.tekst, `Kenmerk ${kenmerk(id)}`);
  t.same(p.terugkoppeling.gegeven, [{
    meldingId: id,
    invoer: {
      contactGelegd: true, inBehandeling: true, incassoHervatten: false, hervattingBetalingOp: plusDagen(vandaag(p), 14),
      contactpogingen: [vandaag(p)], nietOpgepakt: null,
      ddas: { opgepakt: true, datumOpgepakt: vandaag(p), contactpogingen: [
        { soort: 'Telefoon', bereikt: false, datum: vandaag(p), dagdeel: 'Ochtend' },
        { soort: 'Huisbezoek', bereikt: true, datum: vandaag(p) }] },
    },
    door: { oin: GEMEENTE_OIN, kanaal: 'portaal' },
  }], 'the DDAS shape with the convenant fields derived, for the gemeente the melding was routed to; dd-mm-jjjj typed by hand is read too');
  t.match((await p.gebeurtenissen(id)).map((g) => g.soort), ['ontvangen', 'gelezen', 'teruggekoppeld']);

  const daarna = await p.vraag('GET', `/b/${token}/bericht`, { cookie });
  t.match(daarna.tekst, `Uw terugkoppeling is verstuurd op <strong>${moment(p.klok.nu.toISOString())}</strong>`);
  t.notMatch(daarna.tekst, 'class="termijn">Terugkoppeling uiterlijk', 'no longer says feedback is due');
  t.notMatch(daarna.tekst, /name="opgepakt"/, 'no first form again');
  t.match(daarna.tekst, `href="/b/${token}/wijzigen"`, 'it can be amended');
  for (const e of EINDRESULTATEN) t.match(daarna.tekst, `name="resultaat" value="${e}"`, `eindresultaat in DDAS's words: ${e}`);
  const start = await p.vraag('GET', `/b/${token}`);
  t.notMatch(start.tekst, 'wordt verwacht', 'the start page never again says feedback is expected');
  t.match(start.tekst, `Uw terugkoppeling is verstuurd op <strong>${moment(p.klok.nu.toISOString())}</strong>`);
});

t.test('amend the feedback, then give the eindresultaat: the case ends', async (t) => {
  const p = await bouwPortaal(t);
  const { id, token, cookie, csrf } = await open(p);
  t.equal((await p.vraag('POST', `/b/${token}/terugkoppeling`, { cookie, form: { ...geldig(p), _csrf: csrf } })).status, 200);
  p.klok.nu = new Date(p.klok.nu.getTime() + 2 * 60_000);
  const wijzigen = await p.vraag('GET', `/b/${token}/wijzigen`, { cookie });
  t.equal(wijzigen.status, 200);
  t.match(wijzigen.tekst, 'Terugkoppeling wijzigen');
  t.match(wijzigen.tekst, /name="opgepakt" value="ja" checked/, 'pre-filled with what was sent');
  t.match(wijzigen.tekst, `name="poging-1-datum" value="${vandaag(p)}"`, 'the attempts as sent, in order');
  t.match(wijzigen.tekst, /name="incassoHervatten" value="nee" checked/);
  const gewijzigd = await p.vraag('POST', `/b/${token}/terugkoppeling`, {
    cookie, form: { ...geldig(p), incassoHervatten: 'ja', _csrf: csrf },
  });
  t.equal(gewijzigd.status, 200, gewijzigd.tekst.slice(0, 400));
  t.match(gewijzigd.tekst, 'Wijziging ontvangen');
  t.match(gewijzigd.tekst, /<dt>Mag de corporatie de incasso hervatten\?<\/dt><dd>Ja<\/dd>/);
  t.match((await p.gebeurtenissen(id)).map((g) => g.soort), ['ontvangen', 'gelezen', 'teruggekoppeld', 'terugkoppeling-gewijzigd']);
  const bericht = await p.vraag('GET', `/b/${token}/bericht`, { cookie });
  t.match(bericht.tekst, `en gewijzigd op <strong>${moment(p.klok.nu.toISOString())}</strong>`);

  const leeg = await p.vraag('POST', `/b/${token}/eindresultaat`, { cookie, form: { _csrf: csrf } });
  t.equal(leeg.status, 400);
  t.match(leeg.tekst, '<li><a href="#resultaat-0">Eindresultaat: Kies het eindresultaat.</a></li>');
  const eind = await p.vraag('POST', `/b/${token}/eindresultaat`, { cookie, form: { resultaat: 'Niet opgepakt: andere reden', _csrf: csrf } });
  t.equal(eind.status, 200);
  t.match(eind.tekst, 'Melding afgesloten');
  t.match(eind.tekst, /<dt>Elan Wonen ziet<\/dt><dd>Niet opgepakt<\/dd>/, 'and what the corporation sees of it');
  t.equal((await p.meta(id))!.status, 'afgesloten');
  const na = await p.vraag('GET', `/b/${token}/bericht`, { cookie });
  t.match(na.tekst, 'Deze melding is afgesloten op');
  t.notMatch(na.tekst, /name="(opgepakt|resultaat)"/, 'no forms on a closed case');
  t.notMatch(na.tekst, 'Terugkoppeling wijzigen');
  const nogmaals = await p.vraag('POST', `/b/${token}/terugkoppeling`, { cookie, form: { ...geldig(p), _csrf: csrf } });
  t.equal(nogmaals.status, 409, 'a closed case takes no more feedback');
});

t.test('late feedback is accepted and said to be late', async (t) => {
  const p = await bouwPortaal(t);
  p.klok.nu = new Date(p.termijn.verstreken.getTime() + 10 * 3_600_000); // the day after terugkoppelingUiterlijk
  const o = await open(p);
  const laat = await p.vraag('POST', `/b/${o.token}/terugkoppeling`, { cookie: o.cookie, form: { ...geldig(p), _csrf: o.csrf } });
  t.equal(laat.status, 200);
  t.match(laat.tekst, `na de termijn (uiterlijk ${p.termijn.uiterlijkNl})`);
});

t.test('errors in plain Dutch at their fields, with a summary; the values stay; dates are checked against today', async (t) => {
  const p = await bouwPortaal(t);
  const { id, token, cookie, csrf } = await open(p);
  const leeg = await p.vraag('POST', `/b/${token}/terugkoppeling`, { cookie, form: { _csrf: csrf } });
  t.equal(leeg.status, 400);
  t.match(leeg.tekst, '<title>Fout: Bericht van Elan Wonen');
  t.match(leeg.tekst, /<div class="foutoverzicht" role="alert"[^>]*>/);
  t.match(leeg.tekst, '<li><a href="#opgepakt-0">Is de melding opgepakt? Kies ja of nee.</a></li>');
  t.match(leeg.tekst, '<li><a href="#incassoHervatten-0">Mag de corporatie de incasso hervatten? Kies ja, nee of weet ik niet.</a></li>');
  t.match(leeg.tekst, /<fieldset aria-describedby="opgepakt-hint opgepakt-fout">/, 'error tied to the group');
  t.match(leeg.tekst, 'Huurder', 'the melding is still shown');

  const morgen = plusDagen(vandaag(p), 1);
  const fout = await p.vraag('POST', `/b/${token}/terugkoppeling`, { cookie, form: {
    _csrf: csrf, opgepakt: 'ja', datumOpgepakt: morgen,
    'poging-0-soort': 'Telefoon', 'poging-0-bereikt': 'ja', 'poging-0-datum': morgen,
    'poging-1-soort': '', 'poging-1-bereikt': 'nee', 'poging-1-datum': '', 'poging-2-datum': '30-02-2026',
    incassoHervatten: 'onbekend', hervattingBetalingOp: plusDagen(vandaag(p), -60),
  } });
  t.equal(fout.status, 400);
  const foutBij = (id: string, tekst: string) =>
    t.match(fout.tekst, `<p class="fouttekst" id="${id}-fout"><span class="visueel-verborgen">Fout: </span>${tekst}</p>`, `${id}: ${tekst}`);
  foutBij('datumOpgepakt', 'De datum kan niet in de toekomst liggen.');
  foutBij('poging-0-datum', 'Een contactpoging kan niet in de toekomst liggen.');
  foutBij('poging-1-soort', 'Kies hoe u contact zocht.');
  foutBij('poging-1-datum', 'Vul de datum van de contactpoging in.');
  foutBij('poging-2-datum', 'Vul een bestaande datum in, bijvoorbeeld 24-11-2026.');
  foutBij('poging-2-bereikt', 'Kies of u de huurder bereikte.');
  foutBij('hervattingBetalingOp', 'De datum ligt meer dan 31 dagen terug. Vul de afgesproken datum in waarop de huurbetaling weer begint, of laat het veld leeg.');
  t.match(fout.tekst, `<li><a href="#poging-1-soort">Contactpoging 2, soort contact: Kies hoe u contact zocht.</a></li>`);
  t.match(fout.tekst, /<input type="radio" id="incassoHervatten-2" name="incassoHervatten" value="onbekend" checked>/, '"weet ik niet" stays chosen');
  t.match(fout.tekst, `type="date" id="poging-2-datum" name="poging-2-datum" value="30-02-2026" aria-describedby="poging-2-datum-fout" aria-invalid="true"`);
  t.notOk(fout.tekst.includes('id="incassoHervatten-fout"'), '"weet ik niet" is an answer');

  const nee = await p.vraag('POST', `/b/${token}/terugkoppeling`, { cookie, form: { _csrf: csrf, opgepakt: 'nee', datumOpgepakt: morgen, incassoHervatten: 'ja' } });
  t.equal(nee.status, 400);
  t.match(nee.tekst, '<li><a href="#redenNietOpgepakt-0">Waarom is de melding niet opgepakt? Kies waarom de melding niet is opgepakt.</a></li>');
  t.notMatch(nee.tekst, 'id="datumOpgepakt-fout"', 'the date of the branch not chosen is ignored');
  t.equal(p.terugkoppeling.gegeven.length, 0, 'nothing given');
  t.notMatch((await p.gebeurtenissen(id)).map((g) => g.soort), ['teruggekoppeld']);

  const nietOpgepakt = await p.vraag('POST', `/b/${token}/terugkoppeling`, {
    cookie, form: { _csrf: csrf, opgepakt: 'nee', redenNietOpgepakt: 'Inwoner is overleden', datumOpgepakt: morgen, incassoHervatten: 'onbekend' },
  });
  t.equal(nietOpgepakt.status, 200);
  t.match(p.terugkoppeling.gegeven[0]!.invoer, { inBehandeling: false, nietOpgepakt: 'overleden', ddas: { opgepakt: false, redenNietOpgepakt: 'Inwoner is overleden' } });
  t.notOk('datumOpgepakt' in (p.terugkoppeling.gegeven[0]!.invoer as unknown as { ddas: object }).ddas, 'no date for a melding not picked up');
});

t.test('CSRF: without the session token, or with another, nothing is recorded', async (t) => {
  const p = await bouwPortaal(t);
  const a = await open(p);
  const b = await open(p);
  for (const [naam, form] of [['without', { ...geldig(p) }], ['wrong', { ...geldig(p), _csrf: 'x'.repeat(43) }], ['another session', { ...geldig(p), _csrf: b.csrf }]] as const) {
    const r = await p.vraag('POST', `/b/${a.token}/terugkoppeling`, { cookie: a.cookie, form });
    t.equal(r.status, 403, naam);
    t.match(r.tekst, 'Formulier verlopen');
  }
  for (const pad of ['eindresultaat', 'opgepakt', 'uitkomst']) {
    const r = await p.vraag('POST', `/b/${a.token}/${pad}`, { cookie: a.cookie, form: { resultaat: EINDRESULTATEN[0], _csrf: b.csrf } });
    t.not(r.status, 200, `${pad}: refused`);
  }
  t.equal(p.terugkoppeling.gegeven.length, 0);
  t.equal((await p.meta(a.id))!.status, 'gelezen');
});

t.test('an expired session keeps the answers typed so far: in the page only, never in Redis, URL or log', async (t) => {
  const p = await bouwPortaal(t);
  const { id, token, cookie, csrf } = await open(p);
  // A resumption date nothing else holds, to look for it everywhere.
  const antwoorden = { ...geldig(p), hervattingBetalingOp: plusDagen(vandaag(p), 23), _csrf: csrf };
  p.klok.nu = new Date(p.klok.nu.getTime() + (p.config.portal.sessieMinuten + 1) * 60_000);
  const verlopen = await p.vraag('POST', `/b/${token}/terugkoppeling`, { cookie, form: antwoorden });
  t.equal(verlopen.status, 200);
  t.match(verlopen.tekst, 'Uw sessie is verlopen. Uw antwoorden zijn nog niet verstuurd');
  t.match(verlopen.tekst, '<input type="hidden" name="_formulier" value="terugkoppeling">');
  t.match(verlopen.tekst, `<input type="hidden" name="hervattingBetalingOp" value="${antwoorden.hervattingBetalingOp}">`);
  t.notMatch(verlopen.tekst, new RegExp(`name="_csrf" value="${csrf}"`), 'the old CSRF token is not carried');
  t.notOk(sessieCookie(verlopen), 'no session');
  const velden = Object.fromEntries([...verlopen.tekst.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]));

  // Ask for a new code with the answers, then enter it with them.
  const code = await p.vraag('POST', `/b/${token}/code`, { form: velden });
  t.equal(code.status, 200, 'the code page itself, not a redirect that would lose the answers');
  t.match(code.tekst, 'We hebben een toegangscode gestuurd');
  t.match(code.tekst, `<input type="hidden" name="hervattingBetalingOp" value="${antwoorden.hervattingBetalingOp}">`);
  const fout = await p.vraag('POST', `/b/${token}/toegang`, { form: { ...velden, code: p.codeUitMail() === '000000' ? '111111' : '000000' } });
  t.equal(fout.status, 400);
  t.match(fout.tekst, `name="hervattingBetalingOp" value="${antwoorden.hervattingBetalingOp}"`, 'a wrong code keeps them too');
  const terug = await p.vraag('POST', `/b/${token}/toegang`, { form: { ...velden, code: p.codeUitMail()! } });
  t.equal(terug.status, 200);
  t.ok(sessieCookie(terug), 'signed in again');
  t.match(terug.tekst, 'U bent weer aangemeld. Uw antwoorden staan hieronder; ze zijn nog niet verstuurd.');
  t.match(terug.tekst, `id="hervattingBetalingOp" name="hervattingBetalingOp" value="${antwoorden.hervattingBetalingOp}"`, 'the answers are back on the form');
  t.match(terug.tekst, /name="opgepakt" value="ja" checked/);
  t.match(terug.tekst, /<option value="Huisbezoek" selected>/);
  t.equal(p.terugkoppeling.gegeven.length, 0, 'nothing sent yet');
  t.notOk((await redisDump(p.redisServer.url)).includes(antwoorden.hervattingBetalingOp), 'not in Redis');
  t.notOk(p.logs().includes(antwoorden.hervattingBetalingOp), 'not in the log');
  t.notMatch((await p.gebeurtenissen(id)).map((g) => g.soort), ['teruggekoppeld']);

  const nieuweCsrf = /name="_csrf" value="([^"]+)"/.exec(terug.tekst)![1]!;
  const r = await p.vraag('POST', `/b/${token}/terugkoppeling`, { cookie: sessieCookie(terug)!, form: { ...antwoorden, _csrf: nieuweCsrf } });
  t.equal(r.status, 200);
  t.equal(p.terugkoppeling.gegeven.length, 1);
});
