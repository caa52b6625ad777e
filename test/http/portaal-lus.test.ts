// Closing the loop through the portal: every DDAS outcome and every niet-opgepakt reason given in the
// portal, and what the corporation sees of each (its feed, as the API serves it); a new code never
// turns the old one into a wrong try; a locked link shows how to get a new one and sends it; the
// troubleshooter's own link next to the wijkteam's, with take-up once and an outcome.
import t from 'tap';
import { EINDRESULTATEN, eindresultaatVoorCorporatie, REDENEN_NIET_OPGEPAKT, redenVoorCorporatie } from '../../src/domain/ddas.js';
import { UITKOMST_LABELS } from '../../src/domain/escalatie.js';
import { kenmerk } from '../../src/domain/portaalberichten.js';
import { amsterdamDatum } from '../../src/domain/werkdagen.js';
import { kop, platteTekst } from '../helpers/mail.js';
import { bouwPortaal, ELAN_OIN, GEMEENTE_OIN, sessieCookie, type Portaal } from '../helpers/portaal.js';
import { fouteCode, geenPersoonsgegevens, vraagCode } from '../helpers/portaal-stappen.js';

async function aanmelden(p: Portaal, token: string) {
  const cookie = sessieCookie(await p.vraag('POST', `/b/${token}/toegang`, { form: { code: await vraagCode(p, token) } }))!;
  const pagina = await p.vraag('GET', `/b/${token}/bericht`, { cookie });
  return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(pagina.tekst)![1]!, pagina: pagina.tekst };
}

t.test('every niet-opgepakt reason and every DDAS outcome through the portal: what the corporation sees', async (t) => {
  // Twenty cases from one address: above the per-IP limits a visitor has.
  const p = await bouwPortaal(t, { limieten: { postPerIp: { max: 500, venster: 900 }, openenPerIp: { max: 500, venster: 600 } } });
  const vandaag = amsterdamDatum(p.klok.nu);
  const gegeven = new Map<string, { reden?: string; resultaat?: string }>();
  for (const reden of REDENEN_NIET_OPGEPAKT) {
    const id = await p.melding();
    const token = await p.link(id);
    const { cookie, csrf } = await aanmelden(p, token);
    const r = await p.vraag('POST', `/b/${token}/terugkoppeling`, { cookie, form: { _csrf: csrf, opgepakt: 'nee', redenNietOpgepakt: reden, incassoHervatten: 'nee' } });
    t.equal(r.status, 200, reden);
    gegeven.set(id, { reden });
  }
  for (const resultaat of EINDRESULTATEN) {
    const id = await p.melding();
    const token = await p.link(id);
    const { cookie, csrf } = await aanmelden(p, token);
    t.equal((await p.vraag('POST', `/b/${token}/terugkoppeling`, { cookie, form: { _csrf: csrf, opgepakt: 'ja', datumOpgepakt: vandaag, incassoHervatten: 'ja' } })).status, 200);
    const e = await p.vraag('POST', `/b/${token}/eindresultaat`, { cookie, form: { _csrf: csrf, resultaat } });
    t.equal(e.status, 200, resultaat);
    t.match(e.tekst, `<dt>Elan Wonen ziet</dt><dd>${eindresultaatVoorCorporatie(resultaat).replace('/', '/')}</dd>`, `${resultaat}: the page says what the corporation sees`);
    t.equal((await p.meta(id))!.status, 'afgesloten');
    gegeven.set(id, { resultaat });
  }
  const { terugkoppelingen } = await p.sb.diensten.terugkoppeling.voorCorporatie(ELAN_OIN, '0', 1000);
  for (const [id, g] of gegeven) {
    const items = terugkoppelingen.filter((x) => x.melding === id);
    if (g.reden) {
      t.equal(items.length, 1, `${g.reden}: one feed entry`);
      t.equal(items[0]!.terugkoppeling!.ddas!.redenNietOpgepakt, redenVoorCorporatie(g.reden as never), `${g.reden}: the corporation sees ${redenVoorCorporatie(g.reden as never)}`);
      t.equal(items[0]!.terugkoppeling!.inBehandeling, false);
    } else {
      t.ok(items.some((x) => x.eindresultaat === eindresultaatVoorCorporatie(g.resultaat as never)), `${g.resultaat}: the corporation sees ${eindresultaatVoorCorporatie(g.resultaat as never)}`);
      t.notOk(items.some((x) => x.eindresultaat === g.resultaat && eindresultaatVoorCorporatie(g.resultaat as never) !== g.resultaat), 'never the outcome of help');
    }
  }
  t.notOk(JSON.stringify(terugkoppelingen).includes('Niet opgepakt: andere reden'), 'never the reason "andere reden"');
});

t.test('a new code: the old one is "replaced", not a wrong try; the code mail names its message', async (t) => {
  const p = await bouwPortaal(t);
  const id = await p.melding();
  const token = await p.link(id);
  const eerste = await vraagCode(p, token);
  const codeMail = platteTekst(p.laatsteMail());
  t.match(codeMail, `kenmerk ${kenmerk(id)}`);
  t.notMatch(codeMail, 'herinnering');
  geenPersoonsgegevens(t, p.laatsteMail() + codeMail, 'code mail');
  const tweede = await vraagCode(p, token);
  if (eerste === tweede) return t.pass('the same code twice by chance: nothing to tell apart');
  for (let i = 0; i < p.config.portal.maxPogingen + 1; i++) {
    const r = await p.vraag('POST', `/b/${token}/toegang`, { form: { code: eerste } });
    t.equal(r.status, 400);
    t.match(r.tekst, 'Deze code is vervangen door een nieuwere code. Gebruik de code uit de nieuwste e-mail. Deze poging telt niet mee.');
  }
  const fout = await p.vraag('POST', `/b/${token}/toegang`, { form: { code: fouteCode(fouteCode(tweede) === eerste ? '000000' : tweede) } });
  t.match(fout.tekst, `U kunt het nog ${p.config.portal.maxPogingen - 1} keer proberen`, 'only a wrong code counts');
  const goed = await p.vraag('POST', `/b/${token}/toegang`, { form: { code: tweede } });
  t.equal(goed.status, 303, 'the newest code works');
});

t.test('a locked link shows how to get a new one, and sends it to the mailbox the link went to', async (t) => {
  const p = await bouwPortaal(t);
  const id = await p.melding();
  const token = await p.link(id);
  const code = await vraagCode(p, token);
  let r;
  for (let i = 0; i < p.config.portal.maxPogingen; i++) r = await p.vraag('POST', `/b/${token}/toegang`, { form: { code: fouteCode(code) } });
  t.equal(r!.status, 403);
  t.match(r!.tekst, 'Een nieuwe link krijgen');
  t.match(r!.tekst, `<form method="post" action="/b/${token}/nieuwe-link">`);
  t.match(r!.tekst, `Kenmerk ${kenmerk(id)}`);
  const start = await p.vraag('GET', `/b/${token}`);
  t.equal(start.status, 403);
  t.match(start.tekst, 'Stuur mij een nieuwe link');
  const voor = p.sink.bestanden().length;
  const nieuw = await p.vraag('POST', `/b/${token}/nieuwe-link`, { form: {} });
  t.equal(nieuw.status, 200);
  t.match(nieuw.tekst, 'Nieuwe link verstuurd');
  t.equal(p.sink.bestanden().length, voor + 1, 'one mail');
  const mail = p.laatsteMail();
  t.match(kop(mail, 'To'), 'wijkteam-zuid@haarlem.example', 'to the mailbox, never to the visitor');
  t.equal(kop(mail, 'Subject'), 'Beveiligd bericht via Signaalbrug');
  const tekst = platteTekst(mail);
  geenPersoonsgegevens(t, mail + tekst, 'new-link mail');
  t.match(tekst, 'U vroeg om een nieuwe link.');
  t.match(tekst, `Kenmerk: ${kenmerk(id)}`);
  const pad = /https:\/\/localhost:\d+(\/b\/[A-Za-z0-9_-]{43})/.exec(tekst)![1]!;
  t.not(pad, `/b/${token}`);
  t.equal((await p.vraag('GET', pad)).status, 200, 'the new link opens');
  t.equal((await p.vraag('POST', `/b/${token}/nieuwe-link`, { form: {} })).status, 404, 'once: the locked link is gone now');
  const c = await vraagCode(p, pad.slice(3));
  t.equal((await p.vraag('POST', `${pad}/toegang`, { form: { code: c } })).status, 303, 'and a new code gets in');
});

t.test('the troubleshooter: its own link beside the wijkteam\'s, its code to its mailbox, take-up once, then the outcome', async (t) => {
  const p = await bouwPortaal(t);
  const id = await p.melding();
  const wijkteam = await p.link(id);
  const ts = decodeURIComponent(/\/b\/([^/]+)$/.exec(await p.sb.diensten.toegang.nieuweLink(id, 'troubleshooter'))![1]!);
  t.equal((await p.vraag('GET', `/b/${wijkteam}`)).status, 200, 'a troubleshooter link does not replace the wijkteam\'s');
  const wijkteam2 = await p.link(id);
  t.equal((await p.vraag('GET', `/b/${ts}`)).status, 200, 'nor a new wijkteam link the troubleshooter\'s');
  t.equal((await p.vraag('GET', `/b/${wijkteam}`)).status, 404, 'a new link of the same role does replace the old');
  const start = await p.vraag('GET', `/b/${ts}`);
  t.match(start.tekst, 'Er staat een melding voor de troubleshooter klaar van Elan Wonen');
  t.notMatch(start.tekst, 'wordt verwacht');
  await vraagCode(p, ts);
  t.match(kop(p.laatsteMail(), 'To'), p.config.troubleshooter.mailbox, 'the code goes to the troubleshooter\'s mailbox');
  const cookie = sessieCookie(await p.vraag('POST', `/b/${ts}/toegang`, { form: { code: p.codeUitMail()! } }))!;
  const pagina = await p.vraag('GET', `/b/${ts}/bericht`, { cookie });
  t.equal(pagina.status, 200);
  t.match(pagina.tekst, 'Oppakken (convenant art. 8.2)');
  t.match(pagina.tekst, 'Ik heb deze melding opgepakt');
  t.notMatch(pagina.tekst, 'name="opgepakt"', 'not the wijkteam\'s form');
  t.notMatch((await p.gebeurtenissen(id)).map((g) => g.soort), ['gelezen'], 'the troubleshooter\'s reading is not the wijkteam\'s "gelezen"');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(pagina.tekst)![1]!;
  t.equal((await p.vraag('POST', `/b/${ts}/terugkoppeling`, { cookie, form: { _csrf: csrf, opgepakt: 'ja' } })).status, 303, 'no feedback through the troubleshooter\'s link');
  t.equal((await p.vraag('POST', `/b/${wijkteam2}/opgepakt`, { form: { _csrf: csrf } })).status, 303, 'nor take-up without its session');

  // Take-up needs an escalation or an eviction date: the service refuses it otherwise, and the page says so.
  const geweigerd = await p.vraag('POST', `/b/${ts}/opgepakt`, { cookie, form: { _csrf: csrf } });
  t.equal(geweigerd.status, 409);
  p.klok.nu = new Date(p.termijn.verstreken.getTime() + 60_000);
  await p.sb.diensten.casussen.pasToe(id, { soort: 'termijn', actie: 'escalatie' });
  t.equal((await p.meta(id))!.status, 'geescaleerd');
  const cookie2 = sessieCookie(await p.vraag('POST', `/b/${ts}/toegang`, { form: { code: await vraagCode(p, ts) } }))!;
  const escalatie = await p.vraag('GET', `/b/${ts}/bericht`, { cookie: cookie2 });
  t.match(escalatie.tekst, '<h1>Escalatie: melding van Elan Wonen</h1>');
  t.match(escalatie.tekst, 'geen terugkoppeling gegeven binnen de termijn', 'the escalation as its mail shows it');
  const csrf2 = /name="_csrf" value="([^"]+)"/.exec(escalatie.tekst)![1]!;
  const op = await p.vraag('POST', `/b/${ts}/opgepakt`, { cookie: cookie2, form: { _csrf: csrf2 } });
  t.equal(op.status, 200);
  t.match(op.tekst, 'U hebt deze melding opgepakt.');
  t.match(op.tekst, /Opgepakt op <strong>\d{2}-\d{2}-\d{4} om \d{2}:\d{2}<\/strong>/);
  const nogmaals = await p.vraag('POST', `/b/${ts}/opgepakt`, { cookie: cookie2, form: { _csrf: csrf2 } });
  t.equal(nogmaals.status, 409, 'exactly once');
  t.match(nogmaals.tekst, 'Deze melding was al opgepakt');
  t.equal((await p.gebeurtenissen(id)).filter((g) => g.soort === 'escalatie-opgepakt').length, 1);
  const leeg = await p.vraag('POST', `/b/${ts}/uitkomst`, { cookie: cookie2, form: { _csrf: csrf2 } });
  t.equal(leeg.status, 400);
  t.match(leeg.tekst, 'Kies wat de uitkomst is.');
  const uitkomst = await p.vraag('POST', `/b/${ts}/uitkomst`, { cookie: cookie2, form: { _csrf: csrf2, uitkomst: 'betalingsregeling-getroffen' } });
  t.equal(uitkomst.status, 200);
  t.match(uitkomst.tekst, `<dd>${UITKOMST_LABELS['betalingsregeling-getroffen']}</dd>`);
  t.notMatch(uitkomst.tekst, 'name="uitkomst"', 'recorded once');
  t.match((await p.gebeurtenissen(id)).at(-1), { soort: 'escalatie-uitkomst', kanaal: 'portaal' });
  t.equal(GEMEENTE_OIN, (await p.meta(id))!.wijkteamOin, 'acting for the gemeente the melding was routed to');
});
