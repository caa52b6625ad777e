// The connections an operator command needs: the config from SIGNAALBRUG_CONFIG, the keyring, Redis
// and the repositories on it, and (only when asked) the BullMQ queues whose jobs it may withdraw.
import { Redis } from 'ioredis';
import { loadConfig, type Config } from '../config.js';
import { createTerugkoppelingDienst } from '../jobs/terugkoppeling.js';
import { bezorgQueue } from '../jobs/bezorging.js';
import { createOpruimer, type Opruimer } from '../jobs/opruimen.js';
import { termijnQueue } from '../jobs/termijnen.js';
import { createLogger } from '../logger.js';
import { LinkRepo } from '../store/links.js';
import { Logboek } from '../store/logboek.js';
import { MeldingenRepo } from '../store/meldingen.js';
import { bewaakVerbinding, createRedis, meldFouten, verbind } from '../store/redis.js';
import { Sleutelring } from '../store/sleutelring.js';
import { Wisser } from '../store/wissen.js';
import { GebruikFout } from './gebruik.js';

export interface Omgeving {
  config: Config;
  redis: Redis;
  sleutels: Sleutelring;
  repo: MeldingenRepo;
  logboek: Logboek;
  terugkoppeling: ReturnType<typeof createTerugkoppelingDienst>;
  klok: () => Date;
  /** The removal the retention job uses, with the queues whose jobs it withdraws. */
  opruimer(): Opruimer;
  sluit(): Promise<void>;
}

export async function omgeving(env: NodeJS.ProcessEnv = process.env): Promise<Omgeving> {
  const config = loadConfig(env.SIGNAALBRUG_CONFIG, env);
  const sleutels = Sleutelring.laad(config.versleuteling.sleutelbestand, env);
  const redis = createRedis(config.redis.url, { naam: 'cli' });
  redis.on('error', () => {});
  // An operator command fails fast and says so, instead of waiting for Redis forever.
  const bereikt = await Promise.race([
    verbind(redis).then(() => true, () => false),
    new Promise<false>((r) => setTimeout(() => r(false), 5000).unref()),
  ]);
  if (!bereikt) {
    redis.disconnect();
    throw new GebruikFout(`Redis is niet bereikbaar op ${new URL(config.redis.url).host}`);
  }
  const { prefix } = config.redis;
  const register = config.privacy.verwerkingsregister;
  const repo = new MeldingenRepo(redis, sleutels, prefix, register);
  const klok = () => new Date();
  const sluiten: (() => Promise<unknown>)[] = [];
  return {
    config, redis, sleutels, repo, klok,
    logboek: new Logboek(redis, prefix, register),
    terugkoppeling: createTerugkoppelingDienst({ config, repo, sleutels, klok }),
    opruimer() {
      const log = createLogger(process.stderr, 'warn');
      const verbinding = bewaakVerbinding(new Redis(config.redis.url, { maxRetriesPerRequest: null, connectionName: 'signaalbrug:cli-bullmq' }), log);
      const bezorgingen = bezorgQueue(config, verbinding);
      const termijnen = termijnQueue(config, verbinding);
      meldFouten(bezorgingen, log, 'bezorgingen');
      meldFouten(termijnen, log, 'termijnen');
      sluiten.push(() => bezorgingen.close(), () => termijnen.close(), async () => verbinding.disconnect());
      const links = new LinkRepo(redis, sleutels, { prefix, ...config.portal }, klok);
      return createOpruimer({
        config, wisser: new Wisser(redis, prefix, register), links, logboek: new Logboek(redis, prefix, register),
        bezorgingen, termijnen, klok, log,
      });
    },
    async sluit() {
      for (const s of sluiten) await s();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
