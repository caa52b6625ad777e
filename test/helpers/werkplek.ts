// bouwWerkplek(t): the werkplek role (and any other roles asked for) against a real Redis, with a real
// OpenID Provider in-process (dev/oidc-provider.ts, oidc-provider on TLS from the test PKI). A login
// goes the whole way over HTTPS: werkplek -> OP authorization endpoint -> the OP's login page -> back
// to the werkplek's redirect URI, with the cookies a browser would keep. No shortcut into Redis.
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEV_WERKPLEK_GEBRUIKERS, devWerkplekIssuers, issuerVan, startDevOp, type DevOp } from '../../dev/oidc-provider.js';
import type { Rol } from '../../src/server.js';
import { build, httpsVraag, testPki, type Antwoord, type BuildOpties, type Gebouwd } from './build.js';
import { vrijePoort } from './redis.js';

interface T {
  teardown(fn: () => unknown): void;
}

export const DEV_GEBRUIKERS = DEV_WERKPLEK_GEBRUIKERS;

export interface WerkplekOpties extends Omit<BuildOpties, 'rollen'> {
  /** Roles beside the werkplek (e.g. api to post meldingen, worker to deliver). */
  rollen?: Rol[];
  /** Change the werkplek block (after the dev issuers are in). */
  werkplekAanpassen?: (werkplek: Record<string, any>) => void;
}

/** A cookie jar for one host: name -> value, from Set-Cookie headers (Max-Age=0 or an empty value deletes). */
export class Koekjes {
  readonly waarden = new Map<string, string>();
  neem(headers: Antwoord['headers']): void {
    const sc = headers['set-cookie'];
    for (const regel of Array.isArray(sc) ? sc : sc ? [sc] : []) {
      const [paar, ...attributen] = regel.split(';');
      const i = paar!.indexOf('=');
      const naam = paar!.slice(0, i).trim();
      const waarde = paar!.slice(i + 1).trim();
      const weg = attributen.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (weg || waarde === '') this.waarden.delete(naam);
      else this.waarden.set(naam, waarde);
    }
  }
  header(): string {
    return [...this.waarden].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export interface LoginOpties {
  /** Another organisation's issuer entry than the user's own. */
  issuer?: string;
  /** Change the authorization request on its way to the OP (e.g. another nonce). */
  naarOp?: (url: URL) => void;
  /** Change the OP's redirect back before the werkplek sees it (e.g. a forged state). */
  terugAanpassen?: (url: URL) => void;
}

export interface WerkplekSessie {
  gebruiker: string;
  /** The redirect URI as the OP sent the browser there (path and query), to replay it. */
  terugPad: string;
  /** The login binding cookie as it was before the werkplek's redirect URI consumed it. */
  binding: string | undefined;
  /** The werkplek's answer at its redirect URI: 303 to the start on success, a Dutch 403 page when refused. */
  antwoord: Antwoord;
  ingelogd: boolean;
  koekjes: Koekjes;
  /** The Cookie header a browser would send to the werkplek. */
  cookie(): string;
  /**
   * A request to the werkplek as this browser (redirects are not followed). A form goes as
   * application/x-www-form-urlencoded with a valid CSRF token unless it has `_csrf` or `zonderCsrf` is set.
   */
  vraag(method: string, pad: string, form?: Record<string, string | string[]> | URLSearchParams, extra?: { headers?: Record<string, string>; zonderCsrf?: boolean }): Promise<Antwoord>;
  /** A CSRF token for this session (read from a page's form, as a browser would have it). */
  csrf(): Promise<string>;
}

export interface Werkplek {
  app: Gebouwd;
  werkplekPort: number;
  basis: string;
  op: DevOp;
  /** The issuer entry (organisation) a dev user logs in with by default. */
  issuerVan(gebruiker: string): string;
  /** Log in as a dev user (see dev/oidc-provider.ts) through the real OP; `issuer` picks another organisation's entry. */
  login(gebruiker: string, o?: LoginOpties): Promise<WerkplekSessie>;
  /** A request without a session. */
  vraag(method: string, pad: string, extra?: { headers?: Record<string, string>; ruw?: string }): Promise<Antwoord>;
  /** Log in in real Chromium (playwright-core) through the OP's login page; the page ends on the werkplek. */
  chromiumLogin(page: Page, gebruiker: string, o?: { issuer?: string }): Promise<void>;
  /** Real Chromium that trusts exactly the test server certificate (closed at teardown). */
  browser(): Promise<Browser>;
  /** A new browser context (Dutch, the given width). */
  context(breedte?: number): Promise<BrowserContext>;
}

export const CHROMIUM = '/usr/bin/chromium';

function formulierTekst(form: Record<string, string | string[]> | URLSearchParams): URLSearchParams {
  if (form instanceof URLSearchParams) return form;
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const w of Array.isArray(v) ? v : [v]) p.append(k, w);
  return p;
}

export async function bouwWerkplek(t: T, opts: WerkplekOpties = {}): Promise<Werkplek> {
  const pki = await testPki();
  const werkplekPort = await vrijePoort();
  const basis = `https://localhost:${werkplekPort}`;
  const key = readFileSync(path.join(pki, 'server.key'));
  const cert = readFileSync(path.join(pki, 'server.crt'));
  const ca = readFileSync(path.join(pki, 'ca.crt'));
  const op = await startDevOp({ key, cert, werkplekUrls: [basis] });
  t.teardown(() => op.stop());

  const { werkplekAanpassen, configAanpassen, rollen = [], ...rest } = opts;
  const app = await build(t, {
    ...rest,
    rollen: [...new Set<Rol>([...rollen, 'werkplek'])],
    configAanpassen: (doc) => {
      doc.werkplek = { host: '127.0.0.1', port: werkplekPort, publiekeUrl: basis, issuers: devWerkplekIssuers(op.issuer, path.join(pki, 'ca.crt')) };
      werkplekAanpassen?.(doc.werkplek);
      configAanpassen?.(doc);
      // Only the dev issuers of organisations this config has (the single-convenant test config has no Hilversum).
      const bekend = new Set<string>([...(doc.organisaties ?? []), ...(doc.gemeenten ?? []), ...(doc.partners ?? [])].map((o: { oin: string }) => o.oin));
      doc.werkplek.issuers = doc.werkplek.issuers.filter((i: { organisatie: string; rollen: Record<string, { wijkteam?: string }> }) =>
        bekend.has(i.organisatie));
    },
  });

  const naar = (doel: URL, method: string, koekjes: Koekjes, body?: string, headers: Record<string, string> = {}) =>
    httpsVraag({
      host: '127.0.0.1', port: Number(doel.port), method, path: doel.pathname + doel.search, ca, servername: 'localhost',
      headers: {
        host: doel.host,
        ...(koekjes.waarden.size ? { cookie: koekjes.header() } : {}),
        ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...headers,
      },
    }, body).then((a) => {
      koekjes.neem(a.headers);
      return a;
    });
  const locatie = (a: Antwoord, van: URL) => {
    if (a.status < 300 || a.status >= 400 || typeof a.headers.location !== 'string') throw new Error(`verwachtte een redirect van ${van.pathname}, kreeg ${a.status}: ${a.tekst.slice(0, 300)}`);
    return new URL(a.headers.location, van);
  };

  const issuerVoor = (gebruiker: string) => {
    const i = issuerVan(gebruiker);
    if (!i) throw new Error(`onbekende dev-gebruiker ${gebruiker}`);
    return i;
  };

  async function login(gebruiker: string, o: LoginOpties = {}): Promise<WerkplekSessie> {
    const wp = new Koekjes();
    const opKoekjes = new Koekjes();
    // 1. The werkplek starts the login and sends the browser to the OP.
    let url = new URL(`/inloggen/${o.issuer ?? issuerVoor(gebruiker)}`, basis);
    let a = await naar(url, 'GET', wp);
    url = locatie(a, url);
    o.naarOp?.(url);
    // 2. The OP's authorization endpoint sends it on to its login page.
    a = await naar(url, 'GET', opKoekjes);
    url = locatie(a, url);
    a = await naar(url, 'GET', opKoekjes);
    if (a.status !== 200) throw new Error(`OP-inlogpagina: ${a.status} ${a.tekst.slice(0, 300)}`);
    const actie = /<form method="post" action="([^"]+\/login)"/.exec(a.tekst)?.[1];
    if (!actie) throw new Error('OP-inlogpagina zonder formulier');
    // 3. The user logs in; the OP goes back through its authorization endpoint to the werkplek.
    url = new URL(actie, url);
    a = await naar(url, 'POST', opKoekjes, new URLSearchParams({ gebruiker }).toString());
    url = locatie(a, url);
    while (url.origin !== basis) {
      a = await naar(url, 'GET', opKoekjes);
      url = locatie(a, url);
    }
    // 4. The werkplek's redirect URI, with this browser's cookies.
    o.terugAanpassen?.(url);
    const binding = wp.waarden.get('__Host-werkplek-login');
    const antwoord = await naar(url, 'GET', wp);
    let token: string | undefined;
    const sessie: WerkplekSessie = {
      gebruiker,
      terugPad: url.pathname + url.search,
      binding,
      antwoord,
      ingelogd: antwoord.status === 303 && wp.waarden.has('__Host-werkplek'),
      koekjes: wp,
      cookie: () => wp.header(),
      async csrf() {
        if (token) return token;
        const p = await naar(new URL('/sessie', basis), 'GET', wp);
        const gevonden = /name="_csrf" value="([^"]+)"/.exec(p.tekst)?.[1];
        if (!gevonden) throw new Error(`geen CSRF-token op /sessie (status ${p.status})`);
        return (token = gevonden);
      },
      async vraag(method, pad, form, extra = {}) {
        let body: string | undefined;
        if (form !== undefined) {
          const p = formulierTekst(form);
          if (!p.has('_csrf') && !extra.zonderCsrf) p.set('_csrf', await sessie.csrf());
          body = p.toString();
        }
        return naar(new URL(pad, basis), method, wp, body, extra.headers);
      },
    };
    return sessie;
  }

  let browser: Browser | undefined;
  const metBrowser = async () => {
    if (browser) return browser;
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} ontbreekt: apt-get install chromium (scripts/test doet dat)`);
    const { chromium } = await import('playwright-core');
    // Trust exactly the test server certificate (werkplek and OP share it), rather than ignoring all TLS errors.
    const spki = createHash('sha256').update(new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
    const b = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', `--ignore-certificate-errors-spki-list=${spki}`],
    });
    t.teardown(() => b.close());
    return (browser = b);
  };

  return {
    app, werkplekPort, basis, op,
    issuerVan: issuerVoor,
    login,
    vraag: (method, pad, extra = {}) => naar(new URL(pad, basis), method, new Koekjes(), extra.ruw, extra.headers),
    async chromiumLogin(page, gebruiker, o = {}) {
      const issuer = o.issuer ?? issuerVoor(gebruiker);
      await page.goto(`${basis}/inloggen`);
      await page.locator(`a[href^="/inloggen/${issuer}"]`).click();
      await page.waitForURL((u) => u.origin === op.issuer);
      await page.locator(`input[name="gebruiker"][value="${gebruiker}"]`).check();
      await page.getByRole('button', { name: 'Inloggen' }).click();
      await page.waitForURL((u) => u.origin === basis);
    },
    browser: metBrowser,
    async context(breedte = 1280) {
      const b = await metBrowser();
      return b.newContext({ viewport: { width: breedte, height: breedte < 600 ? 844 : 900 }, deviceScaleFactor: 1, locale: 'nl-NL' });
    },
  };
}
