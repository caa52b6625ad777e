// The werkplek's login and sessions. Login is OpenID Connect authorization code + PKCE at the
// organisation's own OpenID Provider (openid-client); state, nonce and the PKCE verifier live in a
// short-lived server-side login record that is taken (read and deleted) once. The ID token's claims
// map to a role of that organisation (config werkplek.issuers[].rollen), and a second factor
// (acr/amr) is required. A session lives in Redis under a keyed hash of its id, sealed with the
// keyring; it ends after an idle time and after an absolute time on the service clock.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import * as oidc from 'openid-client';
import type { Logger } from 'pino';
import type { Config, WerkplekConfig, WerkplekIssuer } from '../config.js';
import { SignaalbrugError } from '../errors.js';
import type { Gebruiker } from '../http/werkplek/context.js';
import type { Sleutelring } from '../store/sleutelring.js';
import type { WerkplekSessieStore } from '../store/werkplek-sessies.js';

const MINUUT = 60_000;

/** Why there is no session: none was presented or known, or it ran out (idle or absolute). */
export type GeenSessie = 'geen' | 'verlopen';

interface LoginRecord {
  issuer: string;
  nonce: string;
  verifier: string;
  /** Keyed hash of the browser binding cookie: the callback must come from the browser that began. */
  binding: string;
  /** Where to go after the login (a local path). */
  terug: string;
}

interface SessieRecord {
  g: Gebruiker;
  iss: string;
  aangemaakt: number;
  laatst: number;
}

export interface Sessie {
  gebruiker: Gebruiker;
  /** Keyed hash of the session id: what the CSRF token is bound to (never the id itself). */
  hash: string;
  issuer: string;
  /** When the session ends if nothing happens (idle or absolute, whichever comes first). */
  verlooptOp: Date;
}

export interface WerkplekDeps {
  config: Config;
  store: WerkplekSessieStore;
  sleutels: Sleutelring;
  klok: () => Date;
  log: Logger;
  env?: NodeJS.ProcessEnv;
}

const willekeurig = () => randomBytes(32).toString('base64url');
const gelijk = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
/** A local path only (no scheme, no host, no `//`): an open redirect is not possible. */
const lokaalPad = (p: string | undefined) => (p && /^\/(?![/\\])[\x21-\x7e]*$/.test(p) ? p : '/');

/** fetch for openid-client over node:https, trusting the system CAs plus the issuer's own `ca`. */
function fetchMet(ca: string[]): oidc.CustomFetch {
  const agent = new Agent({ ca: [...rootCertificates, ...ca], keepAlive: false, minVersion: 'TLSv1.2' });
  return (url, o) => new Promise<Response>((resolve, reject) => {
    const body = o.body === undefined || o.body === null ? undefined
      : typeof o.body === 'string' ? o.body
        : o.body instanceof URLSearchParams ? o.body.toString()
          : o.body instanceof Uint8Array ? Buffer.from(o.body)
            : o.body instanceof ArrayBuffer ? Buffer.from(o.body) : undefined;
    const req = httpsRequest(url, { method: o.method, headers: o.headers, agent, signal: o.signal, timeout: 10_000 }, (res) => {
      const delen: Buffer[] = [];
      res.on('data', (d: Buffer) => delen.push(d));
      res.on('error', reject);
      res.on('end', () => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          if (Array.isArray(v)) for (const w of v) headers.append(k, w);
          else if (v !== undefined) headers.set(k, v);
        }
        const status = res.statusCode ?? 500;
        resolve(new Response([101, 204, 205, 304].includes(status) ? null : Buffer.concat(delen), { status, headers }));
      });
    });
    req.on('timeout', () => req.destroy(new Error('de OpenID Provider antwoordt niet')));
    req.on('error', reject);
    req.end(body);
  });
}

export function createWerkplek({ config, store, sleutels, klok, log, env = process.env }: WerkplekDeps) {
  const w = (): WerkplekConfig => {
    if (!config.werkplek) throw new Error('de werkplek vraagt een werkplek-blok in de configuratie');
    return config.werkplek;
  };
  const loginHash = (state: string) => sleutels.pseudoniem('werkplek-login', state);
  const sessieHash = (id: string) => sleutels.pseudoniem('werkplek-sessie', id);
  const redirectUri = () => `${w().publiekeUrl}/inloggen/terug`;

  function geheim(i: WerkplekIssuer): string | undefined {
    if (i.clientSecret) return i.clientSecret;
    if (i.clientSecretBestand) return readFileSync(i.clientSecretBestand, 'utf8').trim();
    if (i.clientSecretEnv) {
      const v = env[i.clientSecretEnv];
      if (!v) throw new Error(`werkplek issuer ${i.naam}: omgevingsvariabele ${i.clientSecretEnv} is niet gezet`);
      return v;
    }
    return undefined;
  }

  // Discovery once per issuer, on first use; a failed discovery is tried again on the next login.
  const configuraties = new Map<string, Promise<oidc.Configuration>>();
  function configuratie(i: WerkplekIssuer): Promise<oidc.Configuration> {
    let c = configuraties.get(i.naam);
    if (!c) {
      const s = geheim(i);
      const ca = i.ca.map((f) => readFileSync(f, 'utf8'));
      const opties: oidc.DiscoveryRequestOptions = ca.length ? { [oidc.customFetch]: fetchMet(ca) } : {};
      c = oidc.discovery(new URL(i.issuer), i.clientId, { redirect_uris: [redirectUri()], response_types: ['code'] },
        s ? oidc.ClientSecretBasic(s) : oidc.None(), opties).then((conf) => {
        if (ca.length) conf[oidc.customFetch] = fetchMet(ca);
        return conf;
      });
      c.catch((err: Error) => {
        configuraties.delete(i.naam);
        log.warn({ issuer: i.naam, err: err.message }, 'werkplek: discovery van de OpenID Provider mislukt');
      });
      configuraties.set(i.naam, c);
    }
    return c;
  }

  const issuer = (naam: string) => w().issuers.find((i) => i.naam === naam);

  const weiger = (reden: string, detail: string, extra: Record<string, unknown> = {}) => {
    log.warn({ reden, ...extra }, 'werkplek: inloggen geweigerd');
    return new SignaalbrugError(reden === 'tweede-factor' ? 'SB_TWEEDE_FACTOR_ONTBREEKT' : 'SB_INLOGGEN_MISLUKT', detail);
  };

  /** The ID token's claims to a user of the issuer's organisation, or why not. */
  function naarGebruiker(i: WerkplekIssuer, claims: oidc.IDToken): Gebruiker {
    const id = sleutels.pseudoniem('werkplek-gebruiker', i.issuer, claims.sub);
    const amr = Array.isArray(claims.amr) ? claims.amr.map(String) : [];
    const acrOk = i.acr ? typeof claims.acr === 'string' && i.acr.includes(claims.acr) : false;
    const amrOk = i.amr ? amr.some((a) => i.amr!.includes(a)) : false;
    if (!acrOk && !amrOk)
      throw weiger('tweede-factor', 'U bent ingelogd zonder tweede factor. De werkplek vraagt altijd een tweede factor.', { issuer: i.naam, gebruiker: id });
    const ruw = claims[i.rolclaim];
    const waarden = (Array.isArray(ruw) ? ruw : ruw === undefined ? [] : [ruw]).filter((v): v is string => typeof v === 'string');
    const sleutel = Object.keys(i.rollen).find((k) => waarden.includes(k));
    if (!sleutel)
      throw weiger('geen-rol', 'Uw account heeft geen rol in de werkplek van deze organisatie.', { issuer: i.naam, gebruiker: id });
    const r = i.rollen[sleutel]!;
    const naam = [claims.name, claims.preferred_username].find((n): n is string => typeof n === 'string' && n.trim() !== '') ?? 'Medewerker';
    return { id, naam: naam.slice(0, 200), rol: r.rol, oin: i.organisatie, ...(r.wijkteam ? { wijkteam: r.wijkteam } : {}) };
  }

  const zegel = (hash: string, s: SessieRecord) => sleutels.versleutel(JSON.stringify(s), `werkplek-sessie:${hash}`);
  const ontzegel = (hash: string, blob: string): SessieRecord | undefined => {
    try {
      return JSON.parse(sleutels.ontsleutel(blob, `werkplek-sessie:${hash}`)) as SessieRecord;
    } catch {
      return undefined;
    }
  };
  /** How long Redis keeps the session: until the idle or the absolute end, whichever comes first. */
  const resterend = (s: SessieRecord) => Math.max(1, Math.min(
    s.laatst + w().sessieMinutenInactief * MINUUT, s.aangemaakt + w().sessieMinutenMaximaal * MINUUT) - klok().getTime());

  return {
    /** The organisations one can log in with (the login page). */
    issuers(): { naam: string; organisatie: string; organisatieNaam: string }[] {
      return (config.werkplek?.issuers ?? []).map((i) => ({
        naam: i.naam, organisatie: i.organisatie, organisatieNaam: config.organisaties.find((o) => o.oin === i.organisatie)?.naam ?? i.organisatie,
      }));
    },

    /** At start: every client secret can be read (a missing file or variable stops the start). */
    controleer(): void {
      for (const i of w().issuers) geheim(i);
    },

    /**
     * Begin a login at the issuer: a new login record, and the OP's authorization URL. `binding` goes
     * into a cookie of this browser; the callback must bring it back.
     */
    async begin(issuerNaam: string, terug?: string): Promise<{ url: string; binding: string }> {
      const i = issuer(issuerNaam);
      if (!i) throw new SignaalbrugError('SB_NIET_GEVONDEN', 'onbekende organisatie om mee in te loggen');
      const conf = await configuratie(i).catch((err: Error) => {
        throw new SignaalbrugError('SB_OPSLAG_ONBEREIKBAAR', 'de inlogdienst van uw organisatie is niet bereikbaar', undefined, err);
      });
      const [state, nonce, verifier, binding] = [oidc.randomState(), oidc.randomNonce(), oidc.randomPKCECodeVerifier(), willekeurig()];
      const record: LoginRecord = { issuer: i.naam, nonce, verifier, binding: sleutels.pseudoniem('werkplek-binding', binding), terug: lokaalPad(terug) };
      await store.bewaarLogin(loginHash(state), sleutels.versleutel(JSON.stringify(record), 'werkplek-login'), w().loginMinuten * MINUUT);
      const url = oidc.buildAuthorizationUrl(conf, {
        redirect_uri: redirectUri(),
        scope: i.scope,
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        ...(i.acr ? { acr_values: i.acr.join(' ') } : {}),
      });
      return { url: url.href, binding };
    },

    /**
     * The OP's redirect back: take the login record by its state (once), check the browser binding,
     * redeem the code with the PKCE verifier and check the nonce (openid-client), then the second
     * factor and the role. A new session on success.
     */
    async terug(pad: string, binding: string | undefined): Promise<{ sessieId: string; sessie: Sessie; terug: string }> {
      const url = new URL(pad, `${w().publiekeUrl}/`);
      const state = url.searchParams.get('state');
      if (!state || state.length > 200) throw weiger('geen-state', 'Deze inlogpoging is niet geldig. Begin opnieuw.');
      const blob = await store.neemLogin(loginHash(state));
      let record: LoginRecord | undefined;
      try {
        record = blob ? (JSON.parse(sleutels.ontsleutel(blob, 'werkplek-login')) as LoginRecord) : undefined;
      } catch { /* unreadable: as unknown */ }
      if (!record) throw weiger('onbekende-state', 'Deze inlogpoging is verlopen, al gebruikt of niet geldig. Begin opnieuw.');
      if (!binding || !gelijk(sleutels.pseudoniem('werkplek-binding', binding), record.binding))
        throw weiger('andere-browser', 'Deze inlogpoging is in een andere browser begonnen. Begin opnieuw.');
      const i = issuer(record.issuer);
      if (!i) throw weiger('issuer-weg', 'Deze inlogpoging is niet meer geldig. Begin opnieuw.');
      if (url.searchParams.has('error'))
        throw weiger('op-fout', 'De inlogdienst van uw organisatie heeft het inloggen afgebroken.', { issuer: i.naam, fout: url.searchParams.get('error')?.slice(0, 60) });
      const conf = await configuratie(i);
      let claims: oidc.IDToken | undefined;
      try {
        const tokens = await oidc.authorizationCodeGrant(conf, url, {
          pkceCodeVerifier: record.verifier, expectedState: state, expectedNonce: record.nonce, idTokenExpected: true,
        });
        claims = tokens.claims();
      } catch (err) {
        throw weiger('code-of-token', 'De inlogdienst van uw organisatie gaf geen geldig antwoord. Begin opnieuw.', { issuer: i.naam, fout: (err as { code?: string }).code ?? (err as Error).name });
      }
      if (!claims) throw weiger('geen-id-token', 'De inlogdienst van uw organisatie gaf geen geldig antwoord.', { issuer: i.naam });
      const g = naarGebruiker(i, claims);
      const sessieId = willekeurig();
      const hash = sessieHash(sessieId);
      const nu = klok().getTime();
      const s: SessieRecord = { g, iss: i.naam, aangemaakt: nu, laatst: nu };
      await store.bewaarSessie(hash, zegel(hash, s), resterend(s));
      log.info({ gebruiker: g.id, rol: g.rol, oin: g.oin, issuer: i.naam }, 'werkplek: ingelogd');
      return { sessieId, sessie: { gebruiker: g, hash, issuer: i.naam, verlooptOp: new Date(nu + resterend(s)) }, terug: record.terug };
    },

    /** The session behind a cookie value, renewed (idle time starts again); or why there is none. */
    async sessie(sessieId: string | undefined): Promise<Sessie | GeenSessie> {
      if (!sessieId || sessieId.length > 100) return 'geen';
      const hash = sessieHash(sessieId);
      const blob = await store.leesSessie(hash);
      const s = blob ? ontzegel(hash, blob) : undefined;
      if (!s) return 'geen';
      const nu = klok().getTime();
      if (nu - s.laatst >= w().sessieMinutenInactief * MINUUT || nu - s.aangemaakt >= w().sessieMinutenMaximaal * MINUUT) {
        await store.verwijderSessie(hash);
        log.info({ gebruiker: s.g.id, reden: nu - s.aangemaakt >= w().sessieMinutenMaximaal * MINUUT ? 'maximaal' : 'inactief' }, 'werkplek: sessie verlopen');
        return 'verlopen';
      }
      const nieuw = { ...s, laatst: nu };
      if (!(await store.vernieuwSessie(hash, zegel(hash, nieuw), resterend(nieuw)))) return 'geen';
      return { gebruiker: s.g, hash, issuer: s.iss, verlooptOp: new Date(nu + resterend(nieuw)) };
    },

    /** End the session; the issuer it came from (to offer the OP's logout too). */
    async uitloggen(sessieId: string | undefined): Promise<{ issuer?: string }> {
      if (!sessieId || sessieId.length > 100) return {};
      const hash = sessieHash(sessieId);
      const blob = await store.leesSessie(hash);
      const s = blob ? ontzegel(hash, blob) : undefined;
      await store.verwijderSessie(hash);
      if (!s) return {};
      log.info({ gebruiker: s.g.id }, 'werkplek: uitgelogd');
      return { issuer: s.iss };
    },

    /** The OP's end_session URL (RP-initiated logout) back to /uitgelogd, when the OP has one. */
    async opUitloggen(issuerNaam: string): Promise<{ url: string; organisatieNaam: string } | undefined> {
      const i = issuer(issuerNaam);
      if (!i) return undefined;
      try {
        const conf = await configuratie(i);
        if (!conf.serverMetadata().end_session_endpoint) return undefined;
        const url = oidc.buildEndSessionUrl(conf, { client_id: i.clientId, post_logout_redirect_uri: `${w().publiekeUrl}/uitgelogd` }).href;
        return { url, organisatieNaam: config.organisaties.find((o) => o.oin === i.organisatie)?.naam ?? i.organisatie };
      } catch {
        return undefined;
      }
    },
  };
}

export type Werkplek = ReturnType<typeof createWerkplek>;
