// The API for partner systems over mutual TLS, as a Fastify instance built from the composition
// root's services (server.ts makes it listen). Its routes are plugins that call services only.
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import type { TlsOptions } from 'node:tls';
import type { MeldingRecord } from '../../diensten/lezen.js';
import type { Signaalbrug } from '../../signaalbrug.js';
import beveiligingsheaders, { BEVEILIGINGSHEADERS } from '../beveiligingsheaders.js';
import problem, { clientFoutAfhandelaar, frameworkFoutAfhandelaar } from '../problem.js';
import traceparent from '../traceparent.js';
import meldingenRoutes from './meldingen.js';
import mtlsIdentiteit from './mtls-identiteit.js';
import { API_VERSION, openapiDocument } from './openapi.js';
import rapportageRoutes from './rapportages.js';
import terugkoppelingRoutes from './terugkoppelingen.js';

export interface ApiOpties {
  https: TlsOptions;
  /** Called for every new melding (benchmarks count with it). */
  onOntvangen?: (record: MeldingRecord) => void;
}

export async function buildApi(sb: Signaalbrug, deps: ApiOpties) {
  const { config, metrics } = sb;
  // What every response carries, also the ones Fastify and Node give before any hook runs.
  const koppen = { ...BEVEILIGINGSHEADERS, 'API-Version': API_VERSION };
  const app = Fastify({
    loggerInstance: sb.log as FastifyBaseLogger,
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
  // Callback hooks here and below: an async hook costs a promise and a microtask on every request.
  app.addHook('onRequest', (request, _reply, done) => {
    clearTimeout(kopDeadline.get(request.raw.socket));
    done();
  });
  app.removeContentTypeParser('text/plain');

  await app.register(problem);
  await app.register(beveiligingsheaders, { apiVersion: API_VERSION });
  await app.register(traceparent);
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'onbekend';
    metrics.httpVerzoeken.inc({ route, methode: request.method, status: String(reply.statusCode) });
    metrics.httpDuur.observe({ route, methode: request.method }, reply.elapsedTime / 1000);
    request.log.info({ methode: request.method, url: request.url, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime), oin: request.organisatie?.oin }, 'api');
    done();
  });
  await app.register(mtlsIdentiteit, { organisaties: config.organisaties });

  const document = openapiDocument(config);
  app.get('/v1/openapi.json', { config: { publiek: true } }, async () => document);
  const wijkteamNaam = new Map(config.wijkteams.map((w) => [w.id, w.naam]));
  await app.register(terugkoppelingRoutes, { terugkoppeling: sb.diensten.terugkoppeling, intrekking: sb.diensten.intrekking, aanvullingen: sb.diensten.aanvullingen,
    bevestigd: sb.bevestigd });
  await app.register(rapportageRoutes, { rapportage: sb.diensten.rapportage });
  await app.register(meldingenRoutes, {
    intake: sb.diensten.intake,
    lezen: sb.diensten.lezen,
    wijkteamNaam: (id) => wijkteamNaam.get(id) ?? id,
    onOntvangen: (r) => {
      metrics.meldingenOntvangen.inc({ soort: r.soort });
      deps.onOntvangen?.(r);
    },
  });
  return app;
}

