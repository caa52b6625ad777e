// Health and metrics for the platform, meant for 127.0.0.1 only (server.ts binds it there).
import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import type { TlsMateriaal } from '../pki/tls-materiaal.js';

export interface OpsDeps {
  redis: Redis;
  tls?: TlsMateriaal;
  metrics: Metrics;
  log: Logger;
}

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
