// The portal's channels: the notification mail through real SMTP to the sink and its link into the
// portal; the code by SMS through the HTTP adapter to a local provider; the listener itself (TLS
// profile, content types) and what a visitor sees when Redis is down.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect } from 'node:tls';
import t from 'tap';
import { beveiligdeLink, httpSms, portaalUrl } from '../../adapters/beveiligde-link/index.js';
import { kenmerk, notificatieModel } from '../../src/domain/portaalberichten.js';
import { kop, platteTekst } from '../helpers/mail.js';
import { bouwPortaal, KANARIE, sessieCookie } from '../helpers/portaal.js';

t.test('the notification mail carries no personal data, and its link opens the portal', async (t) => {
  const p = await bouwPortaal(t);
  const id = await p.melding();
  const token = await p.link(id);
  const inhoud = p.sjablonen.render('notificatie-beveiligd-bericht',
    notificatieModel({ id, corporatie: 'Elan Wonen', terugkoppelingUiterlijk: '2026-11-27' }, portaalUrl(p.config.portal, token)));
  const messageId = `<${id}.melding-aan-wijkteam.wijkteam@haarlem.example>`;
  const raw = await beveiligdeLink.bouw(inhoud, {
    van: { naam: p.config.afzender.naam, adres: p.config.afzender.mailbox }, aan: { naam: 'Sociaal Wijkteam Zuid', adres: 'wijkteam-zuid@haarlem.example' },
    messageId, datum: p.klok.nu, buitenOnderwerp: 'Beveiligd bericht via Signaalbrug',
  }, {});
  const bewijs = await p.smtp.verstuur(raw, { from: p.config.afzender.mailbox, to: 'wijkteam-zuid@haarlem.example' }, messageId);
  t.match(bewijs.smtpAntwoord, /^250/);
  const eml = p.laatsteMail();
  t.equal(kop(eml, 'Subject'), 'Beveiligd bericht via Signaalbrug');
  const tekst = platteTekst(eml);
  for (const [veld, waarde] of Object.entries(KANARIE)) t.notOk(`${eml}\n${tekst}`.includes(waarde), `notification mail: no ${veld}`);
  const pad = /https:\/\/localhost:\d+(\/b\/[A-Za-z0-9_-]{43})/.exec(tekst)?.[1];
  t.equal(pad, `/b/${token}`, 'the link in the mail');
  t.match(tekst, `Kenmerk: ${kenmerk(id)}`, 'which message: a short reference, not the referentie');
  t.notMatch(tekst, 'herinnering', 'not a reminder');
  const start = await p.vraag('GET', pad!);
  t.equal(start.status, 200);
  t.match(start.tekst, 'Er staat een beveiligd bericht voor u klaar van Elan Wonen');
  t.match(start.tekst, `Kenmerk ${kenmerk(id)}`, 'the page names the same reference');
});

t.test('codeKanaal sms: the code goes to the HTTP provider as { to, text }, not by mail', async (t) => {
  const ontvangen: { to: string; text: string }[] = [];
  let status = 200;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('utf8')));
    req.on('end', () => {
      ontvangen.push(JSON.parse(body) as { to: string; text: string });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/berichten`;
  const p = await bouwPortaal(t, {
    sms: httpSms(url, 'test-token'),
    configAanpassen: (doc) => {
      doc.portal = { host: '127.0.0.1', port: 0, codeKanaal: 'sms', sms: { url, token: 'test-token' } };
      doc.wijkteams[2].telefoon = '+31612345678';
    },
  });
  const token = await p.link(await p.melding());
  const start = await p.vraag('GET', `/b/${token}`);
  t.match(start.tekst, 'per sms naar het telefoonnummer dat bij ons bekend is');
  t.notMatch(start.tekst, '612345678', 'the number is not on the page');
  t.equal((await p.vraag('POST', `/b/${token}/code`, { form: {} })).status, 303);
  t.equal(ontvangen.length, 1);
  t.equal(ontvangen[0]!.to, '+31612345678');
  const code = /\b(\d{6})\b/.exec(ontvangen[0]!.text)?.[1];
  t.ok(code, 'the text holds the code');
  for (const waarde of Object.values(KANARIE)) t.notOk(ontvangen[0]!.text.includes(waarde), 'and nothing personal');
  t.equal(p.sink.bestanden().length, 0, 'no mail');
  const r = await p.vraag('POST', `/b/${token}/toegang`, { form: { code: code! } });
  t.equal(r.status, 303);
  t.ok(sessieCookie(r));

  status = 500;
  const mislukt = await p.vraag('POST', `/b/${token}/code`, { form: {} });
  t.equal(mislukt.status, 503);
  t.match(mislukt.tekst, 'De toegangscode kon nu niet worden verstuurd');
  t.match(p.logs(), /"alarm":"toegangscode-niet-verstuurd"/);
  t.notOk(p.logs().includes('612345678'), 'the number is not logged');
});

t.test('TLS: server certificate only, TLS 1.2 or newer; form routes take forms only', async (t) => {
  const p = await bouwPortaal(t);
  const ca = readFileSync(`${p.pki}/ca.crt`);
  const verbinding = await new Promise<{ protocol: string | null; geautoriseerd: boolean }>((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port: p.port, servername: 'localhost', ca }, () => {
      resolve({ protocol: s.getProtocol(), geautoriseerd: s.authorized });
      s.end();
    });
    s.on('error', reject);
  });
  t.match(verbinding, { geautoriseerd: true, protocol: /^TLSv1\.[23]$/ }, 'a browser without a client certificate gets in');
  const oud = await new Promise<string>((resolve) => {
    const s = connect({ host: '127.0.0.1', port: p.port, servername: 'localhost', ca, minVersion: 'TLSv1', maxVersion: 'TLSv1.1' }, () => resolve('verbonden'));
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
  t.not(oud, 'verbonden', `TLS 1.1 refused (${oud})`);

  const token = await p.link(await p.melding());
  const json = await p.vraag('POST', `/b/${token}/toegang`, { ruw: '{"code":"123456"}', headers: { 'content-type': 'application/json' } });
  t.equal(json.status, 415, 'JSON is not a form');
  t.match(json.headers['content-type'], 'text/html');
  t.match(json.tekst, '<html lang="nl">');
  const groot = await p.vraag('POST', `/b/${token}/toegang`, { form: { code: '1'.repeat(20_000) } });
  t.equal(groot.status, 413);
});

t.test('Redis down: a Dutch 503 page with Retry-After for browsers, problem+json for JSON clients', async (t) => {
  const p = await bouwPortaal(t);
  const token = await p.link(await p.melding());
  // stop (SIGTERM), not kill: the helper's teardown waits for an exit that a second kill never sees.
  await p.redisServer.stop();
  const pagina = await p.vraag('GET', `/b/${token}`);
  t.equal(pagina.status, 503);
  t.equal(pagina.headers['retry-after'], '5');
  t.match(pagina.tekst, '<title>Tijdelijk niet beschikbaar');
  t.notMatch(pagina.tekst, /at .*\.js|ECONNREFUSED|ioredis/i, 'no internals');
  const json = await p.vraag('GET', `/b/${token}`, { headers: { accept: 'application/json' } });
  t.equal(json.status, 503);
  t.match(json.headers['content-type'], 'application/problem+json');
  t.match(JSON.parse(json.tekst), { status: 503, code: 'SB_OPSLAG_ONBEREIKBAAR' });
});
