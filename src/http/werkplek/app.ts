// The werkplek role's Fastify instance (HTTPS, server certificate only), built from the composition
// root's services and never listening here (server.ts does that). The foundation: login at the
// organisation's OpenID Provider, the session, CSRF, security headers and the layout; the pages of
// each role are plugins (paginas/index.ts) that ask the context who is logged in.
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import type { TlsOptions } from 'node:tls';
import type { Sessie, GeenSessie } from '../../diensten/werkplek.js';
import { FOUTCODES, SignaalbrugError, type Foutcode } from '../../errors.js';
import { BASIS_TLS } from '../../pki/tls-materiaal.js';
import type { Signaalbrug } from '../../signaalbrug.js';
import { clientFoutAfhandelaar } from '../problem.js';
import type { Gebruiker, Paginas, WerkplekContext, Werkplekrol } from './context.js';
import { PAGINAS } from './paginas/index.js';
import { Weergave } from './weergave.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A werkplek route that needs no session (the stylesheet, the login's redirect URI). */
    zonderSessie?: boolean;
  }
}

/** No script at all; styles and images only from the werkplek itself; forms only to itself; no framing. */
export const WERKPLEK_CSP = {
  defaultSrc: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
};

export const SESSIECOOKIE = '__Host-werkplek';
export const BINDINGCOOKIE = '__Host-werkplek-login';
export const CSRFCOOKIE = '__Host-werkplek-csrf';
const COOKIE = { path: '/', secure: true, httpOnly: true, sameSite: 'lax' } as const;

/** How each role is named on the pages. */
export const ROLNAMEN: Record<Werkplekrol, string> = {
  'corporatie-medewerker': 'Medewerker corporatie',
  'wijkteam-medewerker': 'Medewerker wijkteam',
  coordinator: 'Coördinator wijkteams',
  troubleshooter: 'Troubleshooter',
  'privacy-officer': 'Privacy officer',
  beheerder: 'Beheerder',
};

/** Where each role starts (the home page `/` sends it there). */
export const STARTPAGINA: Record<Werkplekrol, string> = {
  'corporatie-medewerker': '/meldingen',
  'wijkteam-medewerker': '/werklijst',
  coordinator: '/werklijst',
  troubleshooter: '/escalaties',
  'privacy-officer': '/privacy',
  beheerder: '/beheer',
};

/** The navigation of each role: the pages of its area (the page plugins own the routes). */
export const NAVIGATIE: Record<Werkplekrol, { href: string; tekst: string }[]> = {
  'corporatie-medewerker': [{ href: '/meldingen', tekst: 'Meldingen' }, { href: '/meldingen/nieuw', tekst: 'Nieuwe melding' }, { href: '/cijfers', tekst: 'Cijfers' }],
  'wijkteam-medewerker': [{ href: '/werklijst', tekst: 'Werklijst' }],
  coordinator: [{ href: '/werklijst', tekst: 'Werklijst' }, { href: '/cijfers', tekst: 'Cijfers' }],
  troubleshooter: [{ href: '/escalaties', tekst: 'Escalaties' }],
  'privacy-officer': [{ href: '/privacy', tekst: 'Privacy' }, { href: '/privacy/logboek', tekst: 'Logboek' }, { href: '/privacy/inzage', tekst: 'Inzage' },
    { href: '/privacy/verwijderen', tekst: 'Verwijderen' }, { href: '/privacy/datalekken', tekst: 'Datalekken' }],
  beheerder: [{ href: '/beheer', tekst: 'Beheer' }, { href: '/cijfers', tekst: 'Cijfers' }],
};

const PER_STATUS: Record<number, Foutcode> = { 401: 'SB_NIET_INGELOGD', 403: 'SB_ROL_NIET_TOEGESTAAN', 404: 'SB_NIET_GEVONDEN', 405: 'SB_METHODE_NIET_TOEGESTAAN', 413: 'SB_TE_GROOT', 415: 'SB_MEDIATYPE', 429: 'SB_TE_VEEL_VERZOEKEN', 503: 'SB_OPSLAG_ONBEREIKBAAR' };

function alsProbleem(err: FastifyError): SignaalbrugError {
  if (err instanceof SignaalbrugError) return err;
  if (err.code === 'FST_CSRF_MISSING_SECRET' || err.code === 'FST_CSRF_INVALID_TOKEN')
    return new SignaalbrugError('SB_CSRF', 'Dit formulier is verlopen of niet door de werkplek gemaakt. Ga terug, laad de pagina opnieuw en probeer het nog eens.');
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code = PER_STATUS[status] ?? 'SB_ONGELDIGE_INVOER';
    return new SignaalbrugError(code, status === 429 ? 'U heeft het te vaak geprobeerd. Wacht een minuut en probeer het opnieuw.' : FOUTCODES[code].title);
  }
  return new SignaalbrugError('SB_INTERN', 'Er ging iets mis aan onze kant. Probeer het over enkele minuten opnieuw.');
}

export interface WerkplekOpties {
  https: TlsOptions;
  /** The role pages to register (default: paginas/index.ts). */
  paginas?: readonly Paginas[];
}

export async function buildWerkplek(sb: Signaalbrug, o: WerkplekOpties) {
  const dienst = sb.diensten.werkplek;
  dienst.controleer();
  const weergave = new Weergave();
  const organisatieNaam = (oin: string) => sb.config.organisaties.find((x) => x.oin === oin)?.naam ?? oin;
  const wijkteamNaam = (id?: string) => (id ? sb.config.wijkteams.find((w) => w.id === id)?.naam ?? id : undefined);

  // The session of this request, looked up once (before the CSRF check, which is bound to it).
  const sessies = new WeakMap<FastifyRequest, Sessie | GeenSessie>();
  const sessieVan = (request: FastifyRequest): Sessie | undefined => {
    const s = sessies.get(request);
    return typeof s === 'object' ? s : undefined;
  };

  const app = Fastify({
    loggerInstance: sb.log.child({ listener: 'werkplek' }) as FastifyBaseLogger,
    https: { ...BASIS_TLS, ...o.https, requestCert: false },
    bodyLimit: 65_536,
    requestTimeout: 15_000,
    connectionTimeout: 30_000,
    return503OnClosing: true,
    // The login callback's URL holds the code and state: we log routes, not URLs.
    logController: new LogController({ disableRequestLogging: true }),
    frameworkErrors: (_err, request, reply) => void niet(request, reply),
    clientErrorHandler: clientFoutAfhandelaar({ 'Cache-Control': 'no-store' }),
  });
  app.server.headersTimeout = 10_000;

  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: WERKPLEK_CSP },
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    frameguard: { action: 'deny' },
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('Cache-Control')) void reply.header('Cache-Control', 'no-store');
    void reply.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    return payload;
  });
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 65_536 });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: CSRFCOOKIE,
    cookieOpts: COOKIE,
    // Session-bound: a token only works with the session it was made for.
    getUserInfo: (request: FastifyRequest) => sessieVan(request)?.hash ?? '',
    csrfOpts: { hmacKey: sb.sleutels.pseudoniem('werkplek-csrf') },
  });
  await app.register(rateLimit, { global: false, redis: sb.redis, nameSpace: sb.namen.werkplekTempo(), skipOnError: false });

  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config?.zonderSessie) return;
    sessies.set(request, await dienst.sessie(request.cookies[SESSIECOOKIE]));
  });
  // Every form is checked: a page cannot forget its CSRF token.
  app.addHook('preHandler', (request, reply, done) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return done();
    app.csrfProtection(request, reply, done);
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ route: request.routeOptions.url ?? 'onbekend', methode: request.method, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'werkplek');
  });

  const kader = (request: FastifyRequest, reply: FastifyReply, titel: string) => {
    const s = sessieVan(request);
    if (!s) return { titel, gebruiker: false, navigatie: [], csrf: '' };
    const g = s.gebruiker;
    const pad = request.url.split('?')[0]!;
    return {
      titel,
      gebruiker: { naam: g.naam, rolNaam: ROLNAMEN[g.rol], organisatieNaam: organisatieNaam(g.oin), wijkteamNaam: wijkteamNaam(g.wijkteam) ?? false },
      navigatie: NAVIGATIE[g.rol].map((n) => ({ ...n, huidig: pad === n.href })),
      csrf: reply.generateCsrf({ userInfo: s.hash }),
    };
  };
  const render = (reply: FastifyReply, request: FastifyRequest, sjabloon: string, model: Record<string, unknown>, status = 200) => {
    const titel = typeof model.titel === 'string' ? model.titel : 'Werkplek';
    return reply.code(status).type('text/html; charset=utf-8').send(weergave.render(sjabloon, { ...model, titel }, kader(request, reply, titel)));
  };
  const niet = (request: FastifyRequest, reply: FastifyReply) => render(reply, request, 'fout/niet-gevonden', { titel: 'Niet gevonden' }, 404);

  const ctx: WerkplekContext = {
    sb,
    async gebruiker(request, reply, rollen) {
      const s = sessies.get(request);
      if (typeof s !== 'object') {
        const terug = request.method === 'GET' ? `terug=${encodeURIComponent(request.url)}` : '';
        const q = [s === 'verlopen' ? 'verlopen=1' : '', terug].filter(Boolean).join('&');
        if (s === 'verlopen') reply.clearCookie(SESSIECOOKIE, COOKIE);
        await reply.redirect(`/inloggen${q ? `?${q}` : ''}`, 303);
        return undefined;
      }
      if (!rollen.includes(s.gebruiker.rol)) {
        await render(reply, request, 'fout/geen-toegang', { titel: 'Geen toegang', rolNaam: ROLNAMEN[s.gebruiker.rol] }, 403);
        return undefined;
      }
      return s.gebruiker;
    },
    pagina: (reply, request, sjabloon, model, status) => render(reply, request, sjabloon, model, status),
    csrf: (reply) => reply.generateCsrf({ userInfo: sessieVan(reply.request)?.hash ?? '' }),
  };

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const p = alsProbleem(err);
    if (p.code === 'SB_INTERN') request.log.error({ err: { type: err.name, code: err.code, message: err.message, stack: err.stack } }, 'interne fout');
    else if (p.status >= 500) request.log.warn({ code: p.code }, p.detail);
    if (p.status === 404) return niet(request, reply);
    if (p.status === 503) void reply.header('Retry-After', '5');
    const inloggen = ['SB_INLOGGEN_MISLUKT', 'SB_TWEEDE_FACTOR_ONTBREEKT'].includes(p.code);
    return render(reply, request, inloggen ? 'fout/inloggen' : 'fout/fout', { titel: p.title, tekst: p.detail }, p.status);
  });
  app.setNotFoundHandler((request, reply) => niet(request, reply));

  // The stylesheet: NL Design System components and the theme, from the werkplek itself (CSP 'self').
  app.get('/werkplek.css', { config: { zonderSessie: true } }, async (_request, reply) =>
    reply.header('Cache-Control', 'public, max-age=3600').type('text/css; charset=utf-8').send(weergave.css));

  app.get('/', async (request, reply) => {
    const g = await ctx.gebruiker(request, reply, Object.keys(STARTPAGINA) as Werkplekrol[]);
    if (g) return reply.redirect(STARTPAGINA[g.rol], 303);
    return reply;
  });

  app.get<{ Querystring: { verlopen?: string; terug?: string } }>('/inloggen', async (request, reply) => {
    if (sessieVan(request)) return reply.redirect('/', 303);
    const terug = typeof request.query.terug === 'string' && /^\/(?![/\\])/.test(request.query.terug) ? request.query.terug : '';
    const issuers = dienst.issuers();
    return render(reply, request, 'start/inloggen', { titel: 'Inloggen', issuers, verlopen: request.query.verlopen === '1', terug });
  });

  const loginLimiet = { rateLimit: { max: sb.config.werkplek?.loginsPerMinuut ?? 30, timeWindow: 60_000 } };
  app.get<{ Params: { issuer: string }; Querystring: { terug?: string } }>('/inloggen/:issuer', { config: loginLimiet }, async (request, reply) => {
    const { url, binding } = await dienst.begin(request.params.issuer, typeof request.query.terug === 'string' ? request.query.terug : undefined);
    reply.setCookie(BINDINGCOOKIE, binding, { ...COOKIE, maxAge: (sb.config.werkplek?.loginMinuten ?? 10) * 60 });
    return reply.redirect(url, 303);
  });

  // The redirect URI: the OP sends the browser back here with code and state.
  app.get('/inloggen/terug', { config: { ...loginLimiet, zonderSessie: true } }, async (request, reply) => {
    const binding = request.cookies[BINDINGCOOKIE];
    reply.clearCookie(BINDINGCOOKIE, COOKIE);
    const { sessieId, terug } = await dienst.terug(request.url, binding);
    reply.setCookie(SESSIECOOKIE, sessieId, COOKIE);
    return reply.redirect(terug, 303);
  });

  // Logout: the session ends here; the page then offers the OP's own logout as a link (a form may
  // only go to the werkplek itself, CSP form-action 'self', also through a redirect).
  app.post('/uitloggen', async (request, reply) => {
    const { issuer } = await dienst.uitloggen(request.cookies[SESSIECOOKIE]);
    reply.clearCookie(SESSIECOOKIE, COOKIE);
    reply.clearCookie(CSRFCOOKIE, COOKIE);
    return reply.redirect(issuer ? `/uitgelogd?bij=${encodeURIComponent(issuer)}` : '/uitgelogd', 303);
  });

  // Who is logged in, and until when (also where a test or a person finds the session's facts).
  app.get('/sessie', async (request, reply) => {
    const g = await ctx.gebruiker(request, reply, Object.keys(STARTPAGINA) as Werkplekrol[]);
    if (!g) return reply;
    const s = sessieVan(request)!;
    return render(reply, request, 'start/sessie', {
      titel: 'Uw sessie', naam: g.naam, rolNaam: ROLNAMEN[g.rol], organisatieNaam: organisatieNaam(g.oin), wijkteamNaam: wijkteamNaam(g.wijkteam) ?? false,
      verlooptOp: s.verlooptOp.toISOString(), inactiefMinuten: sb.config.werkplek!.sessieMinutenInactief, startpagina: STARTPAGINA[g.rol],
    });
  });

  app.get<{ Querystring: { bij?: string } }>('/uitgelogd', async (request, reply) => {
    if (sessieVan(request)) return reply.redirect('/', 303);
    const op = typeof request.query.bij === 'string' ? await dienst.opUitloggen(request.query.bij) : undefined;
    return render(reply, request, 'start/uitgelogd', { titel: 'Uitgelogd', op: op ?? false });
  });

  for (const p of o.paginas ?? PAGINAS) await app.register(async (scope) => p(scope, ctx));
  return app;
}

export type { Gebruiker };
