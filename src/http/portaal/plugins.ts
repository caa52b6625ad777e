// The portal's plumbing comes from the maintained Fastify plugins, configured once, here: cookies
// (@fastify/cookie), form bodies (@fastify/formbody), CSRF tokens made from the portal session's secret
// (@fastify/csrf-protection), security headers (@fastify/helmet) and rate limits counted in Redis
// (@fastify/rate-limit with its Redis store), so that every portal instance counts the same requests.
import cookie from '@fastify/cookie';
import csrfProtection from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Signaalbrug } from '../../signaalbrug.js';
import { BEVEILIGINGSHEADERS } from '../beveiligingsheaders.js';
import { STANDAARD_LIMIETEN, type Tempo, type Tempolimieten } from './context.js';
import { veldwaarde, type Formulier } from './formulier.js';

/** No script at all, styles only from the portal's own stylesheet (no inline styles), no framing. */
export const PORTAAL_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * Every header the portal sends for security: the API's, with the portal's CSP, and no opener, no
 * cross-origin use, no device APIs. Helmet and the hook below set them on every response; replies
 * Fastify makes before any hook runs (an unreadable request, a malformed path) set them from here.
 */
export const PORTAAL_HEADERS: Record<string, string> = {
  ...BEVEILIGINGSHEADERS,
  'Content-Security-Policy': PORTAAL_CSP,
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

/**
 * What helmet does not set, or not byte for byte: it writes a CSP with ";" between directives where
 * ours has "; ", and it has no Cache-Control or Permissions-Policy. Set at the start of each request,
 * so a route can still choose its own (the stylesheet's Cache-Control).
 */
const EIGEN_HEADERS = {
  'Content-Security-Policy': PORTAAL_CSP,
  'Cache-Control': PORTAAL_HEADERS['Cache-Control']!,
  'Permissions-Policy': PORTAAL_HEADERS['Permissions-Policy']!,
};

/** A form is a few short fields; anything larger is not ours. */
const FORMULIER_LIMIET = 16_384;

/** Register the plugins on the portal's instance; returns the rate limits its routes check. */
export async function portaalPlugins(app: FastifyInstance, sb: Signaalbrug, limieten?: Partial<Tempolimieten>): Promise<Tempo> {
  // Security headers: helmet for the ones it writes exactly as PORTAAL_HEADERS has them, and nothing
  // else of its defaults (the header set stays what it was).
  await app.register(helmet, {
    contentSecurityPolicy: false,
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    originAgentCluster: false,
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true, preload: false },
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xFrameOptions: { action: 'deny' },
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  });
  app.addHook('onRequest', async (_request, reply) => {
    void reply.headers(EIGEN_HEADERS);
  });

  // Only forms: every other body is refused with 415 (JSON included).
  app.removeAllContentTypeParsers();
  await app.register(formbody, { bodyLimit: FORMULIER_LIMIET });

  // The session cookie (unsigned: it holds a random id whose keyed hash is the Redis key).
  await app.register(cookie);

  // CSRF: the secret lives in the portal's own Redis session (created with it), which metSessie lends
  // to the plugin as `request.session` (its `@fastify/session` mode); the token travels only in the
  // form field `_csrf`, never in a header.
  app.decorateRequest('session', null);
  await app.register(csrfProtection, {
    sessionPlugin: '@fastify/session',
    getToken: (request) => veldwaarde(request.body as Formulier | undefined, '_csrf'),
  });

  // Rate limits, counted in Redis on the composition root's connection. One registration per limit,
  // so each counts under its own key prefix (redis-namen); the routes ask the limiter at the point
  // where the limit applies (the code limit only for a link that is open), and show the 429 page.
  // When Redis cannot count, the request goes on and meets the same outage at its first read (503).
  const tempo = {} as Tempo;
  const alle = { ...STANDAARD_LIMIETEN, ...limieten };
  for (const soort of Object.keys(alle) as (keyof Tempolimieten)[]) {
    const { max, venster } = alle[soort];
    await app.register(async (eigen) => {
      await eigen.register(rateLimit, {
        global: false,
        redis: sb.redis,
        nameSpace: sb.namen.tempoBasis(soort),
        max,
        timeWindow: venster * 1000,
        skipOnError: true,
        // A keyed hash of the IP address, or of the link's token: neither is stored as such.
        keyGenerator: (request) => sb.diensten.toegang.tempoSleutel(
          soort === 'codesPerLink' ? (request.params as { token?: string }).token ?? '' : request.ip),
      });
      tempo[soort] = eigen.createRateLimit();
    });
  }
  return tempo;
}
