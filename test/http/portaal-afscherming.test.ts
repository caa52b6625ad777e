// Keeping a link closed: five wrong codes lock it (operator and corporation told), a withdrawn
// melding shows "ingetrokken" only, an expired or foreign session opens nothing, and rate limits.
import t from 'tap';
import { bouwPortaal, ELAN_OIN } from '../helpers/portaal.js';
import { alles, fouteCode, geenPersoonsgegevens, meldAan, vraagCode } from '../helpers/portaal-stappen.js';

t.test('five wrong codes lock the link: the page says so, the operator and the corporation are told', async (t) => {
  const p = await bouwPortaal(t);
  const id = await p.melding();
  const token = await p.link(id);
  const code = await vraagCode(p, token);
  for (let i = 1; i <= 4; i++) t.equal((await p.vraag('POST', `/b/${token}/toegang`, { form: { code: fouteCode(code) } })).status, 400, `wrong ${i}`);
  const vijfde = await p.vraag('POST', `/b/${token}/toegang`, { form: { code: fouteCode(code) } });
  t.equal(vijfde.status, 403);
  t.match(vijfde.tekst, 'Deze link is geblokkeerd');
  t.match(vijfde.tekst, 'Er is 5 keer een verkeerde toegangscode ingevoerd');
  geenPersoonsgegevens(t, alles(vijfde), 'locked page');
  t.match(p.logs(), new RegExp(`"level":50.*"alarm":"link-vergrendeld","meldingId":"${id}"`), 'operator alarm, ids only');
  t.match((await p.gebeurtenissen(id)).filter((g) => (g.soort as string) === 'link-vergrendeld'), [{ pogingen: 5 }], 'the corporation sees it');
  t.equal((await p.vraag('POST', `/b/${token}/toegang`, { form: { code } })).status, 403, 'the right code no longer opens it');
  t.equal((await p.vraag('POST', `/b/${token}/code`, { form: {} })).status, 403, 'no new codes');
  t.equal((await p.vraag('GET', `/b/${token}`)).status, 403);
  t.equal(p.sink.bestanden().length, 1);
});

t.test('a withdrawn melding: the link says "ingetrokken" and nothing else, also with a live session', async (t) => {
  const p = await bouwPortaal(t);
  for (const hoe of ['trekIn', 'status'] as const) {
    const id = await p.melding();
    const token = await p.link(id);
    const cookie = await meldAan(p, token);
    // Through the service (status and link both), or only the status moved (the link check alone must hold).
    if (hoe === 'trekIn') t.match(await p.sb.diensten.intrekking.trekIn(id, { oin: ELAN_OIN }), { status: 'ingetrokken', nieuw: true });
    else await p.sb.diensten.casussen.pasToe(id, { soort: 'ingetrokken', door: { oin: ELAN_OIN }, kanaal: 'api', reden: 'overig' });
    for (const [methode, pad] of [['GET', `/b/${token}`], ['GET', `/b/${token}/bericht`], ['GET', `/b/${token}/bericht.eml`], ['POST', `/b/${token}/code`]] as const) {
      const a = await p.vraag(methode, pad, { cookie, form: methode === 'POST' ? {} : undefined });
      t.equal(a.status, 410, `${hoe}: ${methode} ${pad.replace(token, ':token')}`);
      const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(a.tekst)![1]!.trim();
      t.equal(main, '<h1>Bericht ingetrokken</h1>\n<p>Dit bericht is ingetrokken.</p>', 'and nothing else');
    }
  }
});

t.test('a session cookie replayed after expiry, or on another link, opens nothing', async (t) => {
  const p = await bouwPortaal(t);
  const token = await p.link(await p.melding());
  const ander = await p.link(await p.melding());
  const cookie = await meldAan(p, token);
  t.equal((await p.vraag('GET', `/b/${token}/bericht`, { cookie })).status, 200);
  const elders = await p.vraag('GET', `/b/${ander}/bericht`, { cookie });
  t.equal(elders.status, 303, 'bound to its own link');
  t.equal(elders.headers.location, `/b/${ander}`);
  p.klok.nu = new Date(p.klok.nu.getTime() + 30 * 60_000);
  for (const pad of ['bericht', 'bericht.eml']) {
    const a = await p.vraag('GET', `/b/${token}/${pad}`, { cookie });
    t.equal(a.status, 303, `${pad}: back to the start`);
    t.equal(a.headers.location, `/b/${token}`);
    t.match(String(a.headers['set-cookie']), /__Secure-sb-sessie=; Max-Age=0/, 'the stale cookie is cleared');
    geenPersoonsgegevens(t, alles(a), `expired session, ${pad}`);
  }
  const nogEens = await meldAan(p, token);
  const pagina = await p.vraag('GET', `/b/${token}/bericht`, { cookie: nogEens });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(pagina.tekst)![1]!;
  t.equal((await p.vraag('POST', `/b/${token}/afmelden`, { cookie: nogEens, form: { _csrf: csrf } })).status, 303);
  t.equal((await p.vraag('GET', `/b/${token}/bericht`, { cookie: nogEens })).status, 303, 'signed out: the session is gone');
});

t.test('rate limits: codes per link, requests per IP', async (t) => {
  const p = await bouwPortaal(t, { limieten: { openenPerIp: { max: 3, venster: 60 } } });
  const token = await p.link(await p.melding());
  for (let i = 1; i <= 5; i++) t.equal((await p.vraag('POST', `/b/${token}/code`, { form: {} })).status, 303, `code ${i}`);
  const zesde = await p.vraag('POST', `/b/${token}/code`, { form: {} });
  t.equal(zesde.status, 429);
  t.match(zesde.headers['retry-after'], /^\d+$/);
  t.equal(p.sink.bestanden().length, 5, 'no sixth mail');
  for (let i = 1; i <= 3; i++) t.equal((await p.vraag('GET', `/b/${token}`)).status, 200);
  t.equal((await p.vraag('GET', `/b/${'Q'.repeat(43)}`)).status, 429, 'guessing from one address is slowed down');
});
