// Feedback from every channel: a wijkteam on S/MIME or PGP/MIME decrypts its melding with openssl or
// gpg, finds its personal feedback link inside the encrypted part only, opens it in the portal with
// the one-time code from a second mail, and gives its feedback; the corporation sees it. The reminder
// carries a fresh link that replaces the first.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { build, httpsVraag, voorbeeldMelding, wachtOp, type Gebouwd } from '../helpers/build.js';
import { kop, openPgp, openSmime, platteTekst, verwachteMessageId } from '../helpers/mail.js';
import { vervroegTimer } from '../helpers/termijnen.js';

const ELAN = 'elan-wonen';
const LINK = /https:\/\/localhost:\d+\/b\/([A-Za-z0-9_-]{43})/;

function portaal(app: Gebouwd) {
  const ca = readFileSync(path.join(app.pki, 'ca.crt'));
  return (method: string, pad: string, o: { form?: Record<string, string>; cookie?: string } = {}) => {
    const body = o.form ? new URLSearchParams(o.form).toString() : undefined;
    return httpsVraag({ host: '127.0.0.1', port: app.portalPort, method, path: pad, ca, servername: 'localhost',
      headers: { ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...(o.cookie ? { cookie: o.cookie } : {}) } }, body);
  };
}

for (const [kanaal, postcode, wijkteam, open] of [
  ['S/MIME', '2011DE', 'wijkteam-noord', openSmime],
  ['PGP/MIME', '2020AB', 'wijkteam-oost', openPgp],
] as const) {
  t.test(`${kanaal}: the feedback link inside the encrypted melding leads to the portal's feedback form`, async (t) => {
    const app = await build(t, { rollen: ['api', 'portal', 'worker'] });
    const vraag = portaal(app);
    const res = await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldMelding({ referentie: `LUS-${wijkteam}`, adres: { ...voorbeeldMelding().adres, postcode } }));
    t.equal(res.status, 201);
    const id: string = res.body.id;
    const mailVan = (bericht: 'melding-aan-wijkteam' | 'herinnering') => wachtOp(async () =>
      app.sink!.bestanden().find((f) => kop(readFileSync(f, 'utf8'), 'Message-ID') === verwachteMessageId(app.config, id, bericht, 'wijkteam')));
    const bestand = await mailVan('melding-aan-wijkteam');
    const raw = readFileSync(bestand, 'utf8');
    const tekst = platteTekst(open(bestand, app.pki, wijkteam).inhoud);
    t.match(tekst, 'Terugkoppeling geven:', 'the decrypted melding offers feedback');
    const token = LINK.exec(tekst)![1]!;
    // Base64 armour may spell "/b/" by chance; the portal's address and the token never appear outside.
    t.notMatch(raw, /https:\/\/localhost:\d+\//, 'no link outside the encryption');
    t.notOk(raw.includes(token), 'no token outside the encryption');

    t.equal((await vraag('GET', `/b/${token}`)).status, 200, 'the link opens the portal');
    const voor = app.sink!.bestanden().length;
    t.equal((await vraag('POST', `/b/${token}/code`, { form: {} })).status, 303);
    await wachtOp(async () => app.sink!.bestanden().length > voor);
    const codeMail = readFileSync(app.sink!.bestanden().at(-1)!, 'utf8');
    t.match(kop(codeMail, 'To'), `${wijkteam}@haarlem.example`, 'the code goes to the wijkteam mailbox, apart from the link');
    const code = /toegangscode is: (\d{6})/.exec(platteTekst(codeMail))![1]!;
    const toegang = await vraag('POST', `/b/${token}/toegang`, { form: { code } });
    t.equal(toegang.status, 303);
    const sc = toegang.headers['set-cookie'];
    const cookie = (Array.isArray(sc) ? sc : [sc ?? '']).map((c) => c.split(';')[0]!).find((c) => c.startsWith('__Secure-sb-sessie='))!;
    const bericht = await vraag('GET', `/b/${token}/bericht`, { cookie });
    t.equal(bericht.status, 200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(bericht.tekst)![1]!;
    const gegeven = await vraag('POST', `/b/${token}/terugkoppeling`, { cookie, form: { _csrf: csrf, contactGelegd: 'ja', inBehandeling: 'ja', incassoHervatten: 'nee' } });
    t.equal(gegeven.status, 200, 'feedback given through the portal');
    const melding = (await app.vraag(ELAN, 'GET', `/v1/meldingen/${id}`)).body;
    t.equal(melding.status, 'teruggekoppeld');
    t.match(melding.terugkoppeling, { contactGelegd: true, inBehandeling: true, incassoHervatten: false });
    t.match(melding.gebeurtenissen.find((g: any) => g.soort === 'teruggekoppeld'), { kanaal: 'portaal' });
  });
}

t.test('the reminder carries a fresh feedback link that replaces the one in the melding', async (t) => {
  const app = await build(t, { rollen: ['api', 'portal', 'worker'] });
  const vraag = portaal(app);
  const res = await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldMelding({ referentie: 'LUS-HERINNERING' }));
  const id: string = res.body.id;
  const eerste = await wachtOp(async () => app.sink!.bestanden().find((f) => kop(readFileSync(f, 'utf8'), 'Message-ID') === verwachteMessageId(app.config, id, 'melding-aan-wijkteam', 'wijkteam')));
  const oud = LINK.exec(platteTekst(openSmime(eerste, app.pki, 'wijkteam-noord').inhoud))![1]!;
  // The reminder is due at the start of the deadline day: move its timer to now, and the worker's
  // sweep fires it as it would on that day.
  const { sb } = app.draaiend;
  t.ok(await vervroegTimer(sb.redis, sb.namen, id, 'herinnering', Date.now() - 1000), 'the reminder timer was pending');
  const herinnering = await wachtOp(async () => app.sink!.bestanden().find((f) => kop(readFileSync(f, 'utf8'), 'Message-ID') === verwachteMessageId(app.config, id, 'herinnering', 'wijkteam')));
  const tekst = platteTekst(openSmime(herinnering, app.pki, 'wijkteam-noord').inhoud);
  const nieuw = LINK.exec(tekst)![1]!;
  t.not(nieuw, oud);
  t.equal((await vraag('GET', `/b/${nieuw}`)).status, 200, 'the new link opens');
  t.equal((await vraag('GET', `/b/${oud}`)).status, 404, 'the old one no longer does');
});
