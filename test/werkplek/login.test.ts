// Login at the werkplek through a real OpenID Provider (dev/oidc-provider.ts, in-process, TLS):
// authorization code + PKCE, state and nonce single use, a second factor required, and a role only
// from the user's own organisation. Every refusal is a Dutch page and no session; logout needs the
// form's CSRF token and ends the session at the werkplek and at the OP.
import t, { type Test } from 'tap';
import { bouwWerkplek, Koekjes, type WerkplekSessie } from '../helpers/werkplek.js';


t.test('login, refusals, CSRF and logout', async (t) => {
  const w = await bouwWerkplek(t);
  const geweigerd = (t: Test, s: WerkplekSessie, tekst: RegExp | string) => {
    t.equal(s.antwoord.status, 403, `${s.gebruiker}: refused`);
    t.match(s.antwoord.tekst, tekst);
    t.match(s.antwoord.headers['content-type'], /^text\/html/);
    t.notOk(s.ingelogd, 'no session cookie');
    t.notOk(s.koekjes.waarden.has('__Host-werkplek'));
  };
  const geenSessie = async (t: Test, s: WerkplekSessie) => {
    const a = await s.vraag('GET', '/sessie');
    t.equal(a.status, 303, 'no session: to the login');
    t.match(a.headers.location, /^\/inloggen/);
  };

  await t.test('each dev user of a role logs in and lands on its start page', async (t) => {
    const verwacht: Record<string, [string, RegExp]> = {
      corporatie: ['/meldingen', /Medewerker corporatie[\s\S]*Elan Wonen/],
      'corporatie-pre': ['/meldingen', /Medewerker corporatie[\s\S]*Pré Wonen/],
      'wijkteam-noord': ['/werklijst', /Medewerker wijkteam, Sociaal Wijkteam Noord[\s\S]*Gemeente Haarlem/],
      coordinator: ['/werklijst', /Coördinator wijkteams/],
      troubleshooter: ['/escalaties', /Troubleshooter/],
      privacy: ['/privacy', /Privacy officer/],
      beheer: ['/beheer', /Beheerder/],
    };
    for (const [gebruiker, [start, rol]] of Object.entries(verwacht)) {
      const s = await w.login(gebruiker);
      t.equal(s.antwoord.status, 303, `${gebruiker}: ${s.antwoord.tekst.slice(0, 200)}`);
      t.equal(s.antwoord.headers.location, '/');
      t.ok(s.ingelogd);
      const thuis = await s.vraag('GET', '/');
      t.equal(thuis.headers.location, start, `${gebruiker} starts at ${start}`);
      const p = await s.vraag('GET', '/sessie');
      t.equal(p.status, 200);
      t.match(p.tekst, rol);
    }
  });

  await t.test('the session cookie is __Host-, Secure, HttpOnly, SameSite=Lax; the pages carry a strict CSP', async (t) => {
    const s = await w.login('corporatie');
    const sc = ([] as string[]).concat(s.antwoord.headers['set-cookie'] ?? []).find((c) => c.startsWith('__Host-werkplek='))!;
    t.match(sc, /; Path=\//);
    t.match(sc, /; Secure/);
    t.match(sc, /; HttpOnly/);
    t.match(sc, /; SameSite=Lax/);
    t.notMatch(sc, /Domain=/i);
    const p = await s.vraag('GET', '/sessie');
    const csp = String(p.headers['content-security-policy']);
    for (const d of ["default-src 'none'", "style-src 'self'", "img-src 'self' data:", "form-action 'self'", "frame-ancestors 'none'"]) t.match(csp, d);
    t.notMatch(csp, /script-src/);
    t.notMatch(p.tekst, /<script/i, 'no scripts at all');
    t.equal(p.headers['cache-control'], 'no-store');
    t.equal(p.headers['x-frame-options'], 'DENY');
    t.match(p.headers['strict-transport-security'], /max-age=31536000/);
    t.match(p.tekst, /<html lang="nl"/);
    t.match(p.tekst, /href="#inhoud"[^>]*>Direct naar de inhoud/);
    const css = await w.vraag('GET', '/werkplek.css');
    t.equal(css.status, 200);
    t.match(css.headers['content-type'], /^text\/css/);
    t.match(css.tekst, /\.utrecht-button/, 'the NL Design System components');
    t.match(css.tekst, /--utrecht-button-primary-action-background-color/, 'and the theme');
  });

  await t.test('no session: every page sends the browser to the login, which lists the organisations', async (t) => {
    const a = await w.vraag('GET', '/');
    t.equal(a.status, 303);
    t.equal(a.headers.location, '/inloggen?terug=%2F');
    const l = await w.vraag('GET', '/inloggen');
    t.equal(l.status, 200);
    for (const org of ['Elan Wonen', 'Pré Wonen', 'Gemeente Haarlem']) t.match(l.tekst, `Inloggen bij ${org}`);
    t.equal((await w.vraag('GET', '/inloggen/onbekend')).status, 404);
    t.equal((await w.vraag('GET', '/bestaat-niet')).status, 404);
  });

  await t.test('a login without the second factor is refused (NTA 7516)', async (t) => {
    const s = await w.login('zonder-2fa');
    geweigerd(t, s, /zonder tweede factor/);
    t.match(s.antwoord.tekst, 'Tweede factor ontbreekt');
    await geenSessie(t, s);
  });

  await t.test('a role from another organisation is refused', async (t) => {
    // A corporation user through the gemeente's IdP entry: its group means nothing there.
    geweigerd(t, await w.login('corporatie', { issuer: 'haarlem' }), /geen rol in de werkplek van deze organisatie/);
    // A user of the corporation's IdP claiming a wijkteam group of the gemeente.
    geweigerd(t, await w.login('indringer'), /geen rol/);
    // A wijkteam user through a corporation's entry.
    geweigerd(t, await w.login('wijkteam-noord', { issuer: 'elan-wonen' }), /geen rol/);
  });

  await t.test('a forged state is refused, and a state works only once', async (t) => {
    const vals = await w.login('corporatie', { terugAanpassen: (u) => u.searchParams.set('state', 'vervalst-' + u.searchParams.get('state')) });
    geweigerd(t, vals, /niet geldig/);
    const zonder = await w.login('corporatie', { terugAanpassen: (u) => u.searchParams.delete('state') });
    geweigerd(t, zonder, /niet geldig/);

    const s = await w.login('corporatie');
    t.ok(s.ingelogd);
    // The same redirect again, with the same browser's binding cookie: the login record is gone.
    const jar = new Koekjes();
    jar.waarden.set('__Host-werkplek-login', s.binding!);
    const opnieuw = await w.vraag('GET', s.terugPad, { headers: { cookie: jar.header() } });
    t.equal(opnieuw.status, 403);
    t.match(opnieuw.tekst, /al gebruikt/);
    t.notOk(String(opnieuw.headers['set-cookie'] ?? '').includes('__Host-werkplek='), 'no session from a replay');
  });

  await t.test('the redirect only works in the browser that began the login', async (t) => {
    let pad = '';
    const s = await w.login('corporatie', { terugAanpassen: (u) => { pad = u.pathname + u.search; u.searchParams.set('state', 'x'); } });
    t.equal(s.antwoord.status, 403);
    // The real state, but another browser (no binding cookie): refused, and the state is spent.
    const ander = await w.vraag('GET', pad);
    t.equal(ander.status, 403);
    t.match(ander.tekst, /andere browser/);
    const jar = new Koekjes();
    jar.waarden.set('__Host-werkplek-login', s.binding!);
    const alsnog = await w.vraag('GET', pad, { headers: { cookie: jar.header() } });
    t.equal(alsnog.status, 403, 'a state tried once is gone');
  });

  await t.test('a forged nonce is refused (the ID token must carry the nonce of this login)', async (t) => {
    const s = await w.login('corporatie', { naarOp: (u) => u.searchParams.set('nonce', 'vervalste-nonce-' + 'x'.repeat(30)) });
    geweigerd(t, s, /geen geldig antwoord/);
  });

  await t.test('a forged PKCE challenge is refused (the code cannot be redeemed)', async (t) => {
    const s = await w.login('corporatie', { naarOp: (u) => u.searchParams.set('code_challenge', 'A'.repeat(43)) });
    geweigerd(t, s, /geen geldig antwoord/);
  });

  await t.test('an error from the OP (the user cancels) is a refusal page', async (t) => {
    const s = await w.login('corporatie', { terugAanpassen: (u) => {
      u.searchParams.delete('code');
      u.searchParams.set('error', 'access_denied');
    } });
    geweigerd(t, s, /afgebroken/);
  });

  await t.test('a form without CSRF token is refused; logout with it ends the session here and at the OP', async (t) => {
    const s = await w.login('troubleshooter');
    const zonder = await s.vraag('POST', '/uitloggen', {}, { zonderCsrf: true });
    t.equal(zonder.status, 403);
    t.match(zonder.tekst, 'Formulier verlopen of ongeldig');
    const vals = await s.vraag('POST', '/uitloggen', { _csrf: 'vervalst' });
    t.equal(vals.status, 403);
    t.equal((await s.vraag('GET', '/sessie')).status, 200, 'still logged in');

    // A token of another session does not work in this one (session-bound).
    const ander = await w.login('privacy');
    const tokenAnder = await ander.csrf();
    const gekruist = await s.vraag('POST', '/uitloggen', { _csrf: tokenAnder });
    t.equal(gekruist.status, 403, 'a token is bound to its session');

    const uit = await s.vraag('POST', '/uitloggen', {});
    t.equal(uit.status, 303);
    t.equal(uit.headers.location, '/uitgelogd?bij=haarlem');
    t.match(String(uit.headers['set-cookie']), /__Host-werkplek=;/);
    await geenSessie(t, s);
    // The page offers the OP's logout (RP-initiated) as a link back to /uitgelogd.
    const klaar = await w.vraag('GET', '/uitgelogd?bij=haarlem');
    t.equal(klaar.status, 200);
    const link = new URL(/href="([^"]+)"[^>]*>Ook uitloggen bij Gemeente Haarlem/.exec(klaar.tekst)![1]!.replaceAll('&amp;', '&').replaceAll('&#x3D;', '='));
    t.equal(link.origin, w.op.issuer, 'to the OP end_session endpoint');
    t.equal(link.searchParams.get('post_logout_redirect_uri'), `${w.basis}/uitgelogd`);
    t.equal(link.searchParams.get('client_id'), 'werkplek-haarlem');
    const pagina = await w.vraag('GET', '/uitgelogd');
    t.equal(pagina.status, 200);
    t.match(pagina.tekst, 'U bent uitgelogd');
  });

  await t.test('nothing personal or secret in the logs: no sub, name, code, state or client secret', async (t) => {
    const logs = w.app.logs();
    t.match(logs, /werkplek: ingelogd/);
    t.match(logs, /werkplek: inloggen geweigerd/);
    for (const geheim of ['Fatima El Amrani', '"sub"', 'dev-geheim-', 'code=', 'state=', 'zonder-2fa"']) t.notOk(logs.includes(geheim), `no ${geheim}`);
  });
});

t.test('login attempts are rate limited per client, across instances (Redis)', async (t) => {
  const w = await bouwWerkplek(t, { werkplekAanpassen: (wp) => { wp.loginsPerMinuut = 3; } });
  const statussen: number[] = [];
  for (let i = 0; i < 5; i++) statussen.push((await w.vraag('GET', '/inloggen/elan-wonen')).status);
  t.same(statussen, [303, 303, 303, 429, 429]);
  const keys = await w.app.draaiend.sb.redis.keys(`${w.app.draaiend.sb.namen.werkplekTempo()}*`);
  t.ok(keys.length >= 1, 'the counter lives in Redis under the werkplek prefix');
});

