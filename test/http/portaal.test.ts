// The portal over real HTTPS with a real Redis and a real SMTP sink: the access flow and the 404
// that tells nothing. No page before the code and no code mail may carry the test melding's
// personal data.
import t from 'tap';
import { kop, platteTekst } from '../helpers/mail.js';
import { bouwPortaal, KANARIE, sessieCookie, type Antwoord } from '../helpers/portaal.js';
import { alles, fouteCode, geenPersoonsgegevens, vraagCode } from '../helpers/portaal-stappen.js';

t.test('the access flow: start page, code by a separate mail, a wrong code, then the melding; gelezen once', async (t) => {
  const p = await bouwPortaal(t);
  const id = await p.melding();
  const token = await p.link(id);
  const voorCode: [string, Antwoord][] = [];

  const start = await p.vraag('GET', `/b/${token}`);
  voorCode.push(['start page', start]);
  t.equal(start.status, 200);
  t.match(start.headers['content-type'], 'text/html; charset=utf-8');
  t.match(start.tekst, '<html lang="nl">');
  t.match(start.tekst, '<meta name="viewport" content="width=device-width, initial-scale=1">');
  t.match(start.tekst, 'Er staat een beveiligd bericht voor u klaar van Elan Wonen');
  t.match(start.tekst, p.termijn.uiterlijkNl, 'the deadline');
  t.match(start.tekst, `<form method="post" action="/b/${token}/code">`);
  t.notMatch(start.tekst, /<script|style=|<style/, 'no script and no inline style (CSP)');
  t.equal(start.headers['content-security-policy'],
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  t.match(start.headers, { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' });
  t.match(start.headers['strict-transport-security'], /max-age=\d+/);
  const css = await p.vraag('GET', '/portaal.css');
  t.equal(css.status, 200);
  t.match(css.headers['content-type'], 'text/css');
  t.match(css.tekst, ':focus-visible', 'visible focus');

  const aanvraag = await p.vraag('POST', `/b/${token}/code`, { form: {} });
  voorCode.push(['code request', aanvraag]);
  t.equal(aanvraag.status, 303);
  t.equal(aanvraag.headers.location, `/b/${token}/toegang?verstuurd=1`, 'post/redirect/get');
  t.equal(p.sink.bestanden().length, 1, 'one code mail');
  const mail = p.laatsteMail();
  t.equal(kop(mail, 'Subject'), 'Beveiligd bericht via Signaalbrug', 'neutral subject');
  t.match(kop(mail, 'To'), 'wijkteam-zuid@haarlem.example');
  t.match(kop(mail, 'Content-Type'), 'multipart/alternative');
  geenPersoonsgegevens(t, `${mail}\n${platteTekst(mail)}`, 'code mail');
  t.notOk(mail.includes(token), 'the code mail does not carry the link');
  t.notMatch(mail, 'Elan Wonen', 'nor who sent the melding');
  t.match(kop(mail, 'Message-ID'), /^<[0-9a-f]{40}@haarlem\.example>$/, 'an opaque Message-ID: it names no kind of message');
  t.equal(kop(mail, 'Auto-Submitted'), 'auto-generated');
  const code = p.codeUitMail()!;
  t.match(code, /^\d{6}$/);

  const invoer = await p.vraag('GET', `/b/${token}/toegang?verstuurd=1`);
  voorCode.push(['code page', invoer]);
  t.match(invoer.tekst, 'We hebben een toegangscode gestuurd');
  t.match(invoer.tekst, /<label for="code">Toegangscode<\/label>/);
  t.match(invoer.tekst, 'autocomplete="one-time-code"');

  const kort = await p.vraag('POST', `/b/${token}/toegang`, { form: { code: '12' } });
  t.equal(kort.status, 400);
  t.match(kort.tekst, 'Vul de 6 cijfers');
  const fout = await p.vraag('POST', `/b/${token}/toegang`, { form: { code: fouteCode(code) } });
  voorCode.push(['wrong code', fout]);
  t.equal(fout.status, 400);
  t.match(fout.tekst, 'nog 4 keer', 'the malformed entry did not cost a try');
  t.match(fout.tekst, /<p class="fouttekst" id="code-fout">/);
  t.match(fout.tekst, /aria-describedby="code-hint code-fout" aria-invalid="true" autofocus/, 'error tied to the field');
  t.match(fout.tekst, '<title>Fout: toegangscode invoeren');

  const goed = await p.vraag('POST', `/b/${token}/toegang`, { form: { code: ` ${code.slice(0, 3)} ${code.slice(3)} ` } });
  t.equal(goed.status, 303, 'spaces around and inside the code are forgiven');
  t.equal(goed.headers.location, `/b/${token}/bericht`);
  const setCookie = String(goed.headers['set-cookie']);
  for (const a of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/b/', 'Max-Age=1800']) t.match(setCookie, a, a);
  const cookie = sessieCookie(goed)!;
  for (const [naam, a] of voorCode) geenPersoonsgegevens(t, alles(a), naam);

  t.same(await p.gebeurtenissen(id).then((g) => g.filter((x) => x.soort === 'gelezen')), [], 'not read before opening');
  const bericht = await p.vraag('GET', `/b/${token}/bericht`, { cookie });
  t.equal(bericht.status, 200);
  for (const s of [KANARIE.achternaam, KANARIE.straatnaam, KANARIE.geboortedatum, KANARIE.telefoonnummer, 'art. 3.4', '€ 1.234,56'])
    t.match(bericht.tekst, s, `the melding shows ${s}`);
  t.notMatch(bericht.tekst, /style=|<script/, 'embedded without inline styles');
  t.equal(bericht.tekst.match(/<body|<html/g)?.length, 2, 'and not as a second document');
  t.match(bericht.tekst, /<h3>Huurder<\/h3>/, 'the mail headings one level down');
  // @fastify/csrf-protection's token: a salt and a SHA-256 over salt and the session's secret.
  t.match(bericht.tekst, /<input type="hidden" name="_csrf" value="[A-Za-z0-9]{8}-[A-Za-z0-9_-]{43}">/);
  await p.vraag('GET', `/b/${token}/bericht`, { cookie });
  const gelezen = (await p.gebeurtenissen(id)).filter((g) => g.soort === 'gelezen');
  t.equal(gelezen.length, 1, 'gelezen exactly once');
  t.match(gelezen[0], { kanaal: 'portaal', op: p.klok.nu.toISOString() });
  t.equal((await p.meta(id))!.status, 'gelezen');

  const eml = await p.vraag('GET', `/b/${token}/bericht.eml`, { cookie });
  t.equal(eml.status, 200);
  t.match(eml.headers['content-type'], 'message/rfc822');
  t.match(eml.headers['content-disposition'], /^attachment; filename="signaalbrug-bericht\.eml"$/);
  t.match(eml.tekst, /^MIME-Version: 1\.0\r\nContent-Type: multipart\/alternative/);
  t.match(kop(eml.tekst, 'Subject'), `Melding vroegsignalering ${KANARIE.referentie}`);
  t.match(platteTekst(eml.tekst), KANARIE.achternaam, 'the own copy holds the melding');

  const logs = p.logs();
  t.notOk(logs.includes(token), 'the token is never logged');
  t.notOk(logs.includes(code), 'nor the code');
  geenPersoonsgegevens(t, logs, 'logs');
  t.match(logs, '"route":"/b/:token/bericht"', 'routes are logged by pattern');
});

t.test('a 404 that tells nothing: expired, replaced, guessed, malformed and unknown paths look the same and cost the same', async (t) => {
  const p = await bouwPortaal(t);
  const verlopen = await p.link(await p.melding(), -1);
  const id = await p.melding();
  const vervangen = await p.link(id);
  await p.link(id);
  const geraden = 'Q'.repeat(43);
  await p.vraag('GET', `/b/${geraden}`); // warm up: the first call loads the Lua scripts and opens the rate window
  const antwoorden: Record<string, Antwoord> = {};
  const werk: Record<string, string> = {};
  for (const [naam, pad] of [['verlopen', `/b/${verlopen}`], ['vervangen', `/b/${vervangen}`], ['geraden', `/b/${geraden}`],
    ['kort', '/b/x'], ['lang', `/b/${'a'.repeat(300)}`], ['kapot', '/b/%zz'], ['onbekend pad', '/b/x/y/z'], ['code voor geraden', `/b/${geraden}/toegang`]] as const) {
    await p.redis.call('CONFIG', 'RESETSTAT');
    antwoorden[naam] = await p.vraag('GET', pad);
    const stats = String(await p.redis.call('INFO', 'commandstats'));
    werk[naam] = [...stats.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)].filter(([, c]) => c !== 'info' && c !== 'config').map(([, c, n]) => `${c}=${n}`).join(',');
  }
  for (const [naam, a] of Object.entries(antwoorden)) {
    t.equal(a.status, 404, `${naam}: 404`);
    t.equal(a.tekst, antwoorden.verlopen!.tekst, `${naam}: the same page as an expired link`);
    for (const h of ['content-type', 'content-security-policy', 'cache-control', 'content-length'])
      t.equal(a.headers[h], antwoorden.verlopen!.headers[h], `${naam}: ${h}`);
  }
  t.match(antwoorden.verlopen!.tekst, 'Deze link werkt niet');
  t.equal(werk.geraden, werk.verlopen, 'a guessed token costs the same Redis work as an expired one');
  t.equal(werk.geraden, werk.vervangen);
  t.equal(werk.geraden, werk.kort, 'whatever the token looks like');
  t.match(werk.geraden, /hgetall=1/, 'one lookup');
  const json = await p.vraag('GET', '/bestaat-niet', { headers: { accept: 'application/json' } });
  t.equal(json.status, 404);
  t.match(json.headers['content-type'], 'application/problem+json');
});

t.test('a used code does not work twice', async (t) => {
  const p = await bouwPortaal(t);
  const token = await p.link(await p.melding());
  const code = await vraagCode(p, token);
  t.equal((await p.vraag('POST', `/b/${token}/toegang`, { form: { code } })).status, 303);
  const nogmaals = await p.vraag('POST', `/b/${token}/toegang`, { form: { code } });
  t.equal(nogmaals.status, 400);
  t.match(nogmaals.tekst, 'onjuist, verlopen of al gebruikt');
  t.notOk(sessieCookie(nogmaals), 'no session');
});

t.test('an expired code does not work', async (t) => {
  const p = await bouwPortaal(t);
  const token = await p.link(await p.melding());
  const code = await vraagCode(p, token);
  p.klok.nu = new Date(p.klok.nu.getTime() + 15 * 60_000);
  t.equal((await p.vraag('POST', `/b/${token}/toegang`, { form: { code } })).status, 400);
});

