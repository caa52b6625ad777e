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
  /**
   * With redis.replicaBevestiging: ready only when the primary has at least `nodig` replicas in sync
   * (otherwise every intake would wait for WAIT and answer 503).
   */
  replicas?: { nodig: number; stand: () => Promise<{ rol: string; verbonden: number; inSync: number }> };
}

export async function buildOps(deps: OpsDeps) {
  const app = Fastify({ loggerInstance: deps.log.child({ listener: 'ops' }, { level: 'warn' }) as FastifyBaseLogger });
  app.get('/health/live', async () => ({ status: 'ok' }));
  app.get('/health/ready', async (_request, reply) => {
    const redis = await Promise.race([
      deps.redis.ping().then(() => true, () => false),
      new Promise<boolean>((r) => setTimeout(() => r(false), 1000).unref()),
    ]);
    const checks: Record<string, boolean | undefined> = { redis, tlsGeladen: deps.tls !== undefined || undefined, crlVers: deps.tls ? deps.tls.crlsVers : undefined };
    let reden: string | undefined;
    if (deps.replicas && redis) {
      const nodig = deps.replicas.nodig;
      const stand = await Promise.race([
        deps.replicas.stand().catch(() => undefined),
        new Promise<undefined>((r) => setTimeout(() => r(undefined), 1000).unref()),
      ]);
      checks.replicas = stand !== undefined && stand.rol === 'master' && stand.inSync >= nodig;
      if (!stand) reden = 'de replicatiestand van Redis is niet leesbaar';
      else if (stand.rol !== 'master') reden = `de verbonden Redis is geen primary (rol ${stand.rol})`;
      else if (stand.inSync < nodig) reden = `${stand.inSync} van de ${nodig} vereiste replica's bij (verbonden: ${stand.verbonden})`;
    } else if (!redis) reden = 'Redis is niet bereikbaar';
    const ok = Object.values(checks).every((v) => v !== false);
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'niet-gereed', checks, ...(ok || !reden ? {} : { reden }) });
  });
  app.get('/metrics', async (_request, reply) =>
    reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()));
  return app;
}
