// HEAD is not reading: Fastify answers HEAD on every GET route with the GET handler, so a HEAD on the
// message page (a link checker, a mail scanner, a prefetching proxy) must not record `gelezen` nor a
// reading in the logboek. The whole service (API, portal, worker) over real TLS with a real SMTP sink.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { build, httpsVraag, voorbeeldMelding, wachtOp } from '../helpers/build.js';
import { platteTekst } from '../helpers/mail.js';
import { logboekVan } from '../helpers/privacy.js';

t.test('HEAD on the message page and the download records no reading; GET does', async (t) => {
  const app = await build(t, { rollen: ['api', 'portal', 'worker'] });
  // Postcode 2035: wijkteam Zuid, reached by secure link.
  const post = await app.vraag('elan-wonen', 'POST', '/v1/meldingen', voorbeeldMelding({ adres: { ...voorbeeldMelding().adres, postcode: '2035XK' } }));
  t.equal(post.status, 201);
  const id = post.body.id as string;

  const mails = () => app.sink!.bestanden().map((f) => readFileSync(f, 'utf8'));
  await wachtOp(async () => mails().length > 0);
  const token = /\/b\/([A-Za-z0-9_-]{43})/.exec(platteTekst(mails()[0]!))![1]!;
  const ca = readFileSync(path.join(app.pki, 'ca.crt'));
  const vraag = (method: string, pad: string, o: { form?: Record<string, string>; cookie?: string } = {}) => {
    const body = o.form ? new URLSearchParams(o.form).toString() : undefined;
    return httpsVraag({ host: '127.0.0.1', port: app.portalPort, method, path: pad, ca, servername: 'localhost',
      headers: { ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...(o.cookie ? { cookie: o.cookie } : {}) } }, body);
  };
  t.equal((await vraag('POST', `/b/${token}/code`, { form: {} })).status, 303);
  await wachtOp(async () => mails().length > 1);
  const code = /toegangscode is: (\d{6})/.exec(platteTekst(mails().at(-1)!))![1]!;
  const sc = (await vraag('POST', `/b/${token}/toegang`, { form: { code } })).headers['set-cookie'];
  const cookie = (Array.isArray(sc) ? sc : [sc ?? '']).map((c) => c.split(';')[0]!).find((c) => c.startsWith('__Secure-sb-sessie='))!;
  t.ok(cookie, 'signed in');

  const gelezen = async () => ({
    gebeurtenissen: (await app.vraag('elan-wonen', 'GET', `/v1/meldingen/${id}`)).body.gebeurtenissen.filter((g: any) => g.soort === 'gelezen').length,
    // Readings in the portal: the API's GETs above are readings too, with kanaal api.
    logboek: (await logboekVan(app.redis.url, id)).filter((s) => s.name === 'melding-gelezen' && s.attributes['dpl.signaalbrug.kanaal'] === 'portaal').length,
  });
  const status = async () => (await app.vraag('elan-wonen', 'GET', `/v1/meldingen/${id}`)).body.status;
  await wachtOp(async () => (await status()) === 'verzonden');

  for (const pad of ['bericht', 'bericht.eml', 'bericht']) {
    const kop = await vraag('HEAD', `/b/${token}/${pad}`, { cookie });
    t.equal(kop.status, 200, `HEAD /b/:token/${pad}`);
    t.equal(kop.tekst, '', `HEAD /b/:token/${pad}: no body`);
  }
  const kop = await vraag('HEAD', `/b/${token}/bericht`, { cookie });
  t.match(kop.headers['content-type'], 'text/html; charset=utf-8', 'HEAD tells what GET would send');
  t.same(await gelezen(), { gebeurtenissen: 0, logboek: 0 }, 'after HEAD: no gelezen event, no reading in the logboek');
  t.equal(await status(), 'verzonden', 'the corporation does not see "gelezen"');

  // The same requests with GET do count: the checks above can see a reading.
  const bericht = await vraag('GET', `/b/${token}/bericht`, { cookie });
  t.equal(bericht.status, 200);
  t.same(await gelezen(), { gebeurtenissen: 1, logboek: 1 }, 'GET: the first reading');
  t.equal(await status(), 'gelezen');
  t.equal((await vraag('HEAD', `/b/${token}/bericht.eml`, { cookie })).status, 200);
  t.equal((await vraag('HEAD', `/b/${token}/bericht`, { cookie })).status, 200);
  t.same(await gelezen(), { gebeurtenissen: 1, logboek: 1 }, 'HEAD after reading: nothing more in the logboek');
  t.equal((await vraag('GET', `/b/${token}/bericht.eml`, { cookie })).status, 200);
  t.same(await gelezen(), { gebeurtenissen: 1, logboek: 2 }, 'GET of the download: a reading in the logboek');
});
