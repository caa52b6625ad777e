// Development OpenID Provider (scripts/start, tests): a real `oidc-provider` in-process, on
// 127.0.0.1 with TLS from the dev PKI. It stands in for the organisations' own identity providers:
// one client per organisation, one dev user per werkplek role, and a login page where the user is
// picked. Every login sets the second factor (amr otp, acr mfa) except for the user `zonder-2fa`,
// so the werkplek's refusal can be tried. Never imported by the service itself.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The acr values the dev OP sets: with a second factor, and without. */
export const DEV_ACR_MFA = 'urn:signaalbrug:dev:mfa';
export const DEV_ACR_PWD = 'urn:signaalbrug:dev:pwd';

export const DEV_OINS = {
  elan: '00000099000000000001',
  pre: '00000099000000000002',
  haarlem: '00000099000000000010',
  hilversum: '00000099000000000020',
} as const;

export interface DevGebruiker {
  /** The login name (and `sub`). */
  id: string;
  naam: string;
  /** OIN of the user's organisation (which issuer the user logs in with). */
  oin: string;
  groups: string[];
  tweedeFactor: boolean;
  /** What this user is for (shown on the dev login page and in the README). */
  toelichting: string;
}

export const DEV_WERKPLEK_GEBRUIKERS: readonly DevGebruiker[] = [
  { id: 'corporatie', naam: 'Fatima El Amrani', oin: DEV_OINS.elan, groups: ['signaalbrug-corporatie'], tweedeFactor: true, toelichting: 'medewerker incasso, Elan Wonen' },
  { id: 'corporatie-pre', naam: 'Bram de Vries', oin: DEV_OINS.pre, groups: ['signaalbrug-corporatie'], tweedeFactor: true, toelichting: 'medewerker incasso, Pré Wonen' },
  { id: 'wijkteam-noord', naam: 'Sanne Jansen', oin: DEV_OINS.haarlem, groups: ['signaalbrug-wijkteam-noord'], tweedeFactor: true, toelichting: 'medewerker Sociaal Wijkteam Noord, Gemeente Haarlem' },
  { id: 'wijkteam-zuid', naam: 'Mohamed Bakker', oin: DEV_OINS.haarlem, groups: ['signaalbrug-wijkteam-zuid'], tweedeFactor: true, toelichting: 'medewerker Sociaal Wijkteam Zuid, Gemeente Haarlem' },
  { id: 'coordinator', naam: 'Ingrid Visser', oin: DEV_OINS.haarlem, groups: ['signaalbrug-coordinator'], tweedeFactor: true, toelichting: 'coördinator wijkteams, Gemeente Haarlem' },
  { id: 'troubleshooter', naam: 'Kees Smit', oin: DEV_OINS.haarlem, groups: ['signaalbrug-troubleshooter'], tweedeFactor: true, toelichting: 'troubleshooter, Gemeente Haarlem' },
  { id: 'privacy', naam: 'Priya Ramdin', oin: DEV_OINS.haarlem, groups: ['signaalbrug-privacy'], tweedeFactor: true, toelichting: 'privacy officer, Gemeente Haarlem' },
  { id: 'beheer', naam: 'Willem de Boer', oin: DEV_OINS.haarlem, groups: ['signaalbrug-beheer'], tweedeFactor: true, toelichting: 'beheerder, Gemeente Haarlem' },
  { id: 'wijkteam-hilversum', naam: 'Anouk de Graaf', oin: DEV_OINS.hilversum, groups: ['signaalbrug-wijkteam-hilversum'], tweedeFactor: true, toelichting: 'medewerker Sociaal Wijkteam Hilversum, Gemeente Hilversum' },
  { id: 'troubleshooter-hilversum', naam: 'Ruud Hendriks', oin: DEV_OINS.hilversum, groups: ['signaalbrug-troubleshooter-hilversum'], tweedeFactor: true, toelichting: 'troubleshooter, Gemeente Hilversum' },
  { id: 'zonder-2fa', naam: 'Joost Mulder', oin: DEV_OINS.elan, groups: ['signaalbrug-corporatie'], tweedeFactor: false, toelichting: 'Elan Wonen, logt in zonder tweede factor (wordt geweigerd)' },
  { id: 'indringer', naam: 'Eva Koster', oin: DEV_OINS.elan, groups: ['signaalbrug-wijkteam-noord'], tweedeFactor: true, toelichting: 'Elan Wonen, met een rol van de gemeente (wordt geweigerd)' },
];

/** One client (and one werkplek issuer entry) per organisation, as each has its own IdP in production. */
export const DEV_WERKPLEK_CLIENTS = [
  { naam: 'elan-wonen', oin: DEV_OINS.elan, clientId: 'werkplek-elan-wonen', clientSecret: 'dev-geheim-elan-wonen',
    rollen: { 'signaalbrug-corporatie': { rol: 'corporatie-medewerker' } } },
  { naam: 'pre-wonen', oin: DEV_OINS.pre, clientId: 'werkplek-pre-wonen', clientSecret: 'dev-geheim-pre-wonen',
    rollen: { 'signaalbrug-corporatie': { rol: 'corporatie-medewerker' } } },
  { naam: 'haarlem', oin: DEV_OINS.haarlem, clientId: 'werkplek-haarlem', clientSecret: 'dev-geheim-haarlem',
    rollen: {
      'signaalbrug-wijkteam-noord': { rol: 'wijkteam-medewerker', wijkteam: 'noord' },
      'signaalbrug-wijkteam-oost': { rol: 'wijkteam-medewerker', wijkteam: 'oost' },
      'signaalbrug-wijkteam-zuid': { rol: 'wijkteam-medewerker', wijkteam: 'zuid' },
      'signaalbrug-coordinator': { rol: 'coordinator' },
      'signaalbrug-troubleshooter': { rol: 'troubleshooter' },
      'signaalbrug-privacy': { rol: 'privacy-officer' },
      'signaalbrug-beheer': { rol: 'beheerder' },
    } },
  // The second dev gemeente (config/dev.yaml: a regional hub).
  { naam: 'hilversum', oin: DEV_OINS.hilversum, clientId: 'werkplek-hilversum', clientSecret: 'dev-geheim-hilversum',
    rollen: {
      'signaalbrug-wijkteam-hilversum': { rol: 'wijkteam-medewerker', wijkteam: 'hilversum' },
      'signaalbrug-coordinator-hilversum': { rol: 'coordinator' },
      'signaalbrug-troubleshooter-hilversum': { rol: 'troubleshooter' },
    } },
] as const;

/** The config's `werkplek.issuers` for a dev OP at `issuer` (with the dev CA to trust it). */
export function devWerkplekIssuers(issuer: string, ca: string): Record<string, unknown>[] {
  return DEV_WERKPLEK_CLIENTS.map((c) => ({
    naam: c.naam, issuer, clientId: c.clientId, clientSecret: c.clientSecret, organisatie: c.oin,
    rolclaim: 'groups', rollen: c.rollen, acr: [DEV_ACR_MFA], amr: ['otp'], ca: [ca],
  }));
}

/** The issuer entry a dev user logs in with: the one of its organisation. */
export const issuerVan = (gebruiker: string) => DEV_WERKPLEK_CLIENTS.find((c) => c.oin === DEV_WERKPLEK_GEBRUIKERS.find((g) => g.id === gebruiker)?.oin)?.naam;

export interface DevOpOpties {
  key: string | Buffer;
  cert: string | Buffer;
  host?: string;
  port?: number;
  /** Host name in the issuer URL (must be in the server certificate); default localhost. */
  naam?: string;
  /** Base URLs of the werkplek (redirect URIs are <url>/inloggen/terug). */
  werkplekUrls: string[];
  log?: (regel: Record<string, unknown>) => void;
}

export interface DevOp {
  issuer: string;
  port: number;
  stop(): Promise<void>;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function pagina(titel: string, inhoud: string): string {
  return `<!DOCTYPE html>
<html lang="nl">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(titel)} - Dev inlogdienst</title>
<style>body{font-family:system-ui,sans-serif;margin:0;color:#1a1a1a}header{background:#4a1d6b;color:#fff;padding:.75rem 1rem}main{max-width:40rem;margin:0 auto;padding:1rem}
fieldset{border:1px solid #767676;padding:.75rem}label{display:block;padding:.4rem 0}button{font:inherit;font-weight:600;background:#4a1d6b;color:#fff;border:2px solid #4a1d6b;border-radius:4px;padding:.5rem 1rem;margin:.75rem .5rem 0 0;min-height:44px}
button.secundair{background:#fff;color:#4a1d6b}small{color:#595959}:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}</style></head>
<body><header><p>Dev inlogdienst (alleen voor ontwikkeling)</p></header><main>${inhoud}</main></body></html>`;
}

async function leesFormulier(req: IncomingMessage): Promise<URLSearchParams> {
  const delen: Buffer[] = [];
  let n = 0;
  for await (const d of req) {
    n += (d as Buffer).length;
    if (n > 16_384) throw new Error('formulier te groot');
    delen.push(d as Buffer);
  }
  return new URLSearchParams(Buffer.concat(delen).toString('utf8'));
}

// oidc-provider ships no type declarations: the little used here is typed by hand.
interface ProviderInstance {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<{ uid: string; prompt: { name: string }; params: Record<string, unknown> }>;
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, o?: { mergeWithLastSubmission?: boolean }): Promise<void>;
  on(event: string, f: (...a: unknown[]) => void): void;
  Grant: new (o: { clientId: string; accountId: string }) => { addOIDCScope(s: string): void; addOIDCClaims(c: string[]): void; save(): Promise<string> };
}
type ProviderKlasse = new (issuer: string, config: Record<string, unknown>) => ProviderInstance;

export async function startDevOp(o: DevOpOpties): Promise<DevOp> {
  const modulenaam = 'oidc-provider';
  const { default: Provider } = (await import(modulenaam)) as { default: ProviderKlasse };
  const host = o.host ?? '127.0.0.1';
  const server: Server = createServer({ key: o.key, cert: o.cert, minVersion: 'TLSv1.2' });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `https://${o.naam ?? 'localhost'}:${port}`;
  const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

  const provider = new Provider(issuer, {
    clients: DEV_WERKPLEK_CLIENTS.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      client_name: `Signaalbrug werkplek (${c.naam})`,
      redirect_uris: o.werkplekUrls.map((u) => `${u}/inloggen/terug`),
      post_logout_redirect_uris: o.werkplekUrls.map((u) => `${u}/uitgelogd`),
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    jwks: { keys: [{ ...jwk, kid: 'dev-op-1', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AuthorizationCode: 60, AccessToken: 600, IdToken: 600 },
    scopes: ['openid', 'profile'],
    claims: { openid: ['sub'], profile: ['name', 'groups'] },
    // The name and groups in the ID token itself (the werkplek reads no userinfo).
    conformIdTokenClaims: false,
    acrValues: [DEV_ACR_MFA, DEV_ACR_PWD],
    findAccount: async (_ctx: unknown, id: string) => {
      const g = DEV_WERKPLEK_GEBRUIKERS.find((x) => x.id === id);
      return g && { accountId: id, claims: async () => ({ sub: g.id, name: g.naam, groups: g.groups }) };
    },
    // First-party clients: no consent screen, the grant is given at once.
    loadExistingGrant: async (ctx: { oidc: { client: { clientId: string }; session: { accountId: string; grantIdFor(c: string): string | undefined }; result?: { consent?: { grantId?: string } }; provider: ProviderInstance & { Grant: { find(id: string): Promise<unknown> } } } }) => {
      const bestaand = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (bestaand) return ctx.oidc.provider.Grant.find(bestaand);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid profile');
      grant.addOIDCClaims(['name', 'groups']);
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: { body: string }, form: string) => {
          ctx.body = pagina('Uitloggen', `<h1>Ook uitloggen bij de inlogdienst?</h1>${form}
<button type="submit" form="op.logoutForm" value="yes" name="logout">Ja, uitloggen</button>
<button type="submit" form="op.logoutForm" class="secundair">Nee, ingelogd blijven</button>`);
        },
        postLogoutSuccessSource: async (ctx: { body: string }) => {
          ctx.body = pagina('Uitgelogd', '<h1>U bent uitgelogd bij de inlogdienst</h1>');
        },
      },
    },
    renderError: async (ctx: { type: string; body: string }, out: Record<string, string>) => {
      ctx.type = 'html';
      ctx.body = pagina('Fout', `<h1>Er ging iets mis</h1><p>${esc(out.error ?? '')}: ${esc(out.error_description ?? '')}</p>`);
    },
  });
  provider.on('server_error', (_ctx, err) => o.log?.({ msg: 'dev-op: serverfout', err: (err as Error).message }));
  const callback = provider.callback();

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', issuer);
    const m = /^\/interaction\/([\w-]+)(\/login|\/afbreken)?$/.exec(url.pathname);
    if (!m) return callback(req, res);
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'GET' && !m[2]) {
        const keuzes = DEV_WERKPLEK_GEBRUIKERS.map((g, i) => `<label><input type="radio" name="gebruiker" value="${esc(g.id)}"${i === 0 ? ' checked' : ''}> <strong>${esc(g.id)}</strong> - ${esc(g.naam)} <small>(${esc(g.toelichting)})</small></label>`).join('\n');
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(pagina('Inloggen', `<h1>Inloggen</h1>
<form method="post" action="/interaction/${esc(details.uid)}/login">
<fieldset><legend>Kies een ontwikkelgebruiker</legend>
${keuzes}
</fieldset>
<p><small>De tweede factor (een code uit een app) wordt hier overgeslagen: de inlogdienst zet hem zelf, behalve bij zonder-2fa.</small></p>
<button type="submit">Inloggen</button>
</form>
<form method="post" action="/interaction/${esc(details.uid)}/afbreken"><button type="submit" class="secundair">Afbreken</button></form>`));
        return;
      }
      if (req.method === 'POST' && m[2] === '/login') {
        const form = await leesFormulier(req);
        const g = DEV_WERKPLEK_GEBRUIKERS.find((x) => x.id === form.get('gebruiker'));
        if (!g) {
          res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
          res.end(pagina('Onbekende gebruiker', '<h1>Onbekende gebruiker</h1>'));
          return;
        }
        o.log?.({ msg: 'dev-op: ingelogd', gebruiker: g.id, tweedeFactor: g.tweedeFactor });
        await provider.interactionFinished(req, res, {
          login: { accountId: g.id, acr: g.tweedeFactor ? DEV_ACR_MFA : DEV_ACR_PWD, amr: g.tweedeFactor ? ['pwd', 'otp'] : ['pwd'], remember: false },
        }, { mergeWithLastSubmission: false });
        return;
      }
      if (req.method === 'POST' && m[2] === '/afbreken') {
        await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'de gebruiker brak het inloggen af' }, { mergeWithLastSubmission: false });
        return;
      }
      res.writeHead(405).end();
    })().catch((err: Error) => {
      o.log?.({ msg: 'dev-op: interactie mislukt', err: err.message });
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
      res.end(pagina('Fout', '<h1>Deze inlogpoging is niet (meer) geldig</h1>'));
    });
  });

  return {
    issuer,
    port,
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
