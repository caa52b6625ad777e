// The Fastify instances, built by functions and never listening here (server.ts does that):
// buildApi for partner systems over mutual TLS, buildOps for health and metrics on loopback.
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { TlsOptions } from 'node:tls';
import type { Config } from './config.js';
import beveiligingsheaders, { BEVEILIGINGSHEADERS } from './http/beveiligingsheaders.js';
import meldingenRoutes from './http/meldingen.js';
import mtlsIdentiteit from './http/mtls-identiteit.js';
import { API_VERSION, openapiDocument } from './http/openapi.js';
import problem, { clientFoutAfhandelaar, frameworkFoutAfhandelaar } from './http/problem.js';
import terugkoppelingRoutes from './http/terugkoppelingen.js';
import traceparent from './http/traceparent.js';
import type { TerugkoppelingDienst } from './jobs/terugkoppeling.js';
import type { Metrics } from './metrics.js';
import type { TlsMateriaal } from './pki/tls-materiaal.js';
import type { MeldingenRepo, MeldingRecord } from './store/meldingen.js';

export interface ApiDeps {
  config: Config;
  repo: MeldingenRepo;
  terugkoppeling: TerugkoppelingDienst;
  metrics: Metrics;
  log: Logger;
  https: TlsOptions;
  klok?: () => Date;
  onOntvangen?: (record: MeldingRecord) => void;
}

export async function buildApi(deps: ApiDeps) {
  const { config, metrics } = deps;
  // What every response carries, also the ones Fastify and Node give before any hook runs.
  const koppen = { ...BEVEILIGINGSHEADERS, 'API-Version': API_VERSION };
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    https: deps.https,
    bodyLimit: config.api.bodyLimitBytes,
    requestTimeout: config.api.requestTimeoutMs,
    connectionTimeout: config.api.requestTimeoutMs * 2,
    keepAliveTimeout: 30_000,
    return503OnClosing: true,
    // Bounds how long a busy keep-alive connection outlives a CRL reload (see TlsMateriaal.herlaad).
    maxRequestsPerSocket: 1000,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // One access line per response (the onResponse hook below) instead of Fastify's two per request.
    logController: new LogController({ disableRequestLogging: true }),
    clientErrorHandler: clientFoutAfhandelaar(koppen),
    frameworkErrors: frameworkFoutAfhandelaar(koppen),
  });
  // Slow clients: the whole header block must arrive within this time. Node checks headersTimeout
  // only every 30 s (connectionsCheckingInterval; a shorter interval turns idle-socket timeouts off
  // in Node 20), so each connection also gets its own deadline for its first request's headers.
  app.server.headersTimeout = 10_000;
  const kopDeadline = new WeakMap<object, NodeJS.Timeout>();
  app.server.on('secureConnection', (socket) => {
    const timer = setTimeout(() => socket.destroy(), app.server.headersTimeout).unref();
    kopDeadline.set(socket, timer);
    socket.once('close', () => clearTimeout(timer));
  });
  app.addHook('onRequest', async (request) => clearTimeout(kopDeadline.get(request.raw.socket)));
  app.removeContentTypeParser('text/plain');

  await app.register(problem);
  await app.register(beveiligingsheaders, { apiVersion: API_VERSION });
  await app.register(traceparent);
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'onbekend';
    metrics.httpVerzoeken.inc({ route, methode: request.method, status: String(reply.statusCode) });
    metrics.httpDuur.observe({ route, methode: request.method }, reply.elapsedTime / 1000);
    request.log.info({ methode: request.method, url: request.url, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime), oin: request.organisatie?.oin }, 'api');
  });
  await app.register(mtlsIdentiteit, { organisaties: config.organisaties });

  const document = openapiDocument(config);
  app.get('/v1/openapi.json', { config: { publiek: true } }, async () => document);
  await app.register(terugkoppelingRoutes, { repo: deps.repo, terugkoppeling: deps.terugkoppeling });
  await app.register(meldingenRoutes, {
    config,
    repo: deps.repo,
    terugkoppeling: deps.terugkoppeling,
    klok: deps.klok ?? (() => new Date()),
    onOntvangen: (r) => {
      metrics.meldingenOntvangen.inc({ soort: r.soort });
      deps.onOntvangen?.(r);
    },
  });
  return app;
}

export interface OpsDeps {
  redis: Redis;
  tls?: TlsMateriaal;
  metrics: Metrics;
  log: Logger;
}

/** Health and metrics, meant for 127.0.0.1 only (server.ts binds it there). */
export async function buildOps(deps: OpsDeps) {
  const app = Fastify({ loggerInstance: deps.log.child({ listener: 'ops' }, { level: 'warn' }) as FastifyBaseLogger });
  app.get('/health/live', async () => ({ status: 'ok' }));
  app.get('/health/ready', async (_request, reply) => {
    const redis = await Promise.race([
      deps.redis.ping().then(() => true, () => false),
      new Promise<boolean>((r) => setTimeout(() => r(false), 1000).unref()),
    ]);
    const checks = { redis, tlsGeladen: deps.tls !== undefined || undefined, crlVers: deps.tls ? deps.tls.crlsVers : undefined };
    const ok = Object.values(checks).every((v) => v !== false);
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'niet-gereed', checks });
  });
  app.get('/metrics', async (_request, reply) =>
    reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()));
  return app;
}
