// The beveiligde-link channel: a plain notification mail built from headers we choose, with nothing
// personal in it; and the HTTP SMS adapter against a real local HTTP peer.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import t from 'tap';
import { beveiligdeLink, codeMail, httpSms, portaalUrl, SmsFout } from '../../adapters/beveiligde-link/index.js';
import type { Adressering } from '../../adapters/kanaal.js';
import type { Casus } from '../../src/domain/berichten.js';
import { notificatieModel, toegangscodeModel } from '../../src/domain/portaalberichten.js';
import { Sjablonen, standaardSjablonenMap } from '../../src/sjablonen.js';
import { kop, platteTekst } from '../helpers/mail.js';
import { KANARIE, kanarieMelding } from '../helpers/portaal.js';

const sjablonen = new Sjablonen(standaardSjablonenMap());
const casus: Casus = {
  id: '956b3338-809f-4452-9a6e-b9cc7f36b36e', soort: 'huurachterstand', ontvangenOp: '2026-11-20T09:00:00.000Z',
  terugkoppelingUiterlijk: '2026-11-27', corporatie: 'Pré Wonen', wijkteam: 'Sociaal Wijkteam Zuid', gegevens: kanarieMelding(),
};
const adressering: Adressering = {
  van: { naam: 'Signaalbrug', adres: 'signaalbrug@haarlem.example' }, aan: { naam: 'Sociaal Wijkteam Zuid', adres: 'wijkteam-zuid@haarlem.example' },
  messageId: '<m3vx8kq2tz7dh4wn9bf5ce1ry6js0lap@haarlem.example>', datum: new Date('2026-11-20T10:00:00Z'), buitenOnderwerp: 'Beveiligd bericht via Signaalbrug',
};

t.test('notification mail: neutral headers, text and HTML, the link, no personal data', async (t) => {
  const link = portaalUrl({ host: '127.0.0.1', port: 8444, publiekeUrl: 'https://portaal.example.nl/' }, 'AbC_-123');
  t.equal(link, 'https://portaal.example.nl/b/AbC_-123');
  t.equal(portaalUrl({ host: '127.0.0.1', port: 9000 }, 'x'), 'https://localhost:9000/b/x');
  const inhoud = sjablonen.render('notificatie-beveiligd-bericht', notificatieModel(casus, link));
  const raw = (await beveiligdeLink.bouw(inhoud, adressering, {})).toString('utf8');
  t.equal(beveiligdeLink.naam, 'beveiligde-link');
  t.equal(kop(raw, 'Subject'), 'Beveiligd bericht via Signaalbrug');
  t.notOk(raw.includes(inhoud.onderwerp), 'the template subject is not used outside');
  t.equal(kop(raw, 'Message-ID'), adressering.messageId);
  t.equal(kop(raw, 'MIME-Version'), '1.0');
  t.equal(kop(raw, 'Auto-Submitted'), 'auto-generated', 'RFC 3834: robots do not answer it');
  t.match(kop(raw, 'Date'), 'Fri, 20 Nov 2026 10:00:00 +0000');
  const grens = /boundary="([^"]+)"/.exec(kop(raw, 'Content-Type')!)?.[1];
  t.ok(grens, 'multipart/alternative with a boundary');
  t.match(kop(raw, 'Content-Type'), /^multipart\/alternative;/);
  t.equal(raw.split(`--${grens}`).length, 4, 'two parts and the closing boundary');
  t.match(raw, /Content-Type: text\/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n/);
  t.match(raw, /Content-Type: text\/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n/);
  t.notMatch(raw.replace(/\r\n/g, ''), /\n/, 'CRLF line endings only');
  t.ok(raw.split('\r\n').every((r) => r.length <= 998), 'RFC 5322 line length');
  // platteTekst yields the decoded bytes one per character; read them back as UTF-8.
  const tekst = Buffer.from(platteTekst(raw), 'latin1').toString('utf8');
  t.match(tekst, link);
  t.match(tekst, 'Pré Wonen');
  t.match(tekst, '27-11-2026');
  for (const [veld, waarde] of Object.entries(KANARIE)) t.notOk(`${raw}\n${tekst}`.includes(waarde), `no ${veld}`);
});

t.test('code mail: the code and nothing else', async (t) => {
  const raw = codeMail(sjablonen.render('toegangscode', toegangscodeModel('482913', 15, { meldingId: casus.id })), adressering).toString('utf8');
  t.match(platteTekst(raw), 'Uw toegangscode is: 482913');
  t.match(platteTekst(raw), '15 minuten');
  t.equal(kop(raw, 'Subject'), 'Beveiligd bericht via Signaalbrug');
  t.equal(kop(raw, 'Auto-Submitted'), 'auto-generated');
});

interface Ontvangen { methode: string; type: string; auth: string | undefined; body: string }

async function provider(t: { teardown(fn: () => unknown): void }, antwoord: (res: ServerResponse, req: IncomingMessage) => void) {
  const ontvangen: Ontvangen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('utf8')));
    req.on('end', () => {
      ontvangen.push({ methode: req.method!, type: req.headers['content-type'] ?? '', auth: req.headers.authorization, body });
      antwoord(res, req);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  t.teardown(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/sms`, ontvangen };
}

t.test('httpSms: POSTs { to, text } as JSON with the bearer token', async (t) => {
  const p = await provider(t, (res) => res.writeHead(202).end('{"id":"1"}'));
  await httpSms(p.url, 'geheim-token').verstuur('+31612345678', 'Uw toegangscode: 482913');
  t.same(p.ontvangen, [{ methode: 'POST', type: 'application/json', auth: 'Bearer geheim-token', body: '{"to":"+31612345678","text":"Uw toegangscode: 482913"}' }]);
  await httpSms(p.url).verstuur('+31612345678', 'x');
  t.equal(p.ontvangen[1]!.auth, undefined, 'no token, no Authorization header');
});

t.test('httpSms fails on anything but 2xx, on a redirect, on a timeout and on a closed port; never echoing number or text', async (t) => {
  const gevallen: [string, (res: ServerResponse) => void, string][] = [
    ['500', (res) => res.writeHead(500).end('kapot'), 'SB_SMS_STATUS'],
    ['401', (res) => res.writeHead(401).end(), 'SB_SMS_STATUS'],
    ['redirect', (res) => res.writeHead(307, { location: 'http://127.0.0.1:1/elders' }).end(), 'SB_SMS_ONBEREIKBAAR'],
    ['no answer', () => {}, 'SB_SMS_ONBEREIKBAAR'],
  ];
  for (const [naam, antwoord, code] of gevallen) {
    const p = await provider(t, antwoord);
    const err = await httpSms(p.url, undefined, { timeoutMs: 300 }).verstuur('+31612345678', 'code 482913').then(() => undefined, (e: unknown) => e);
    t.type(err, SmsFout, naam);
    t.equal((err as SmsFout).code, code, `${naam}: ${code}`);
    t.notMatch((err as Error).message, /31612345678|482913/, `${naam}: no number or code in the error`);
  }
  const dicht = await httpSms('http://127.0.0.1:1/sms').verstuur('+31612345678', 'x').then(() => undefined, (e: unknown) => e);
  t.equal((dicht as SmsFout).code, 'SB_SMS_ONBEREIKBAAR');
  t.throws(() => httpSms('ftp://example.org/sms'), TypeError);
});
