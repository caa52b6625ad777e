// The worker role: outbox relay, delivery, deadline and retention workers, each on BullMQ. Built here,
// stopped in reverse order so jobs in progress finish before their connections close.
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { SmtpTransport } from '../adapters/smtp/transport.js';
import type { Config } from './config.js';
import { bezorgQueue, startBezorgWorker } from './jobs/bezorging.js';
import type { Sleutelring } from './store/sleutelring.js';
import { OutboxRelay } from './jobs/outbox-relay.js';
import { Sjablonen, standaardSjablonenMap } from './jobs/sjablonen.js';
import { createTermijnen, startTermijnWorker, termijnQueue } from './jobs/termijnen.js';
import type { TerugkoppelingDienst } from './jobs/terugkoppeling.js';
import type { Metrics } from './metrics.js';
import type { LinkRepo } from './store/links.js';
import type { MeldingenRepo } from './store/meldingen.js';
import type { Logboek } from './store/logboek.js';
import type { Wisser } from './store/wissen.js';
import { createOpruimer, privacyQueue, startOpruimWorker } from './jobs/opruimen.js';
import { bewaakVerbinding, createRedis, meldFouten, verbind } from './store/redis.js';

/** The SMTP transport the config describes; STARTTLS and certificate checks are the transport's own. */
export function smtpUitConfig(config: Config, maxVerbindingen = config.smtp.maxVerbindingen): SmtpTransport {
  return new SmtpTransport({
    host: config.smtp.host, port: config.smtp.port, servername: config.smtp.servername,
    ca: config.smtp.ca.map((f) => readFileSync(f, 'utf8')), gebruiker: config.smtp.gebruiker, wachtwoord: config.smtp.wachtwoord,
    maxVerbindingen,
  });
}

export interface WerkerDeps {
  config: Config;
  repo: MeldingenRepo;
  links: LinkRepo;
  terugkoppeling: TerugkoppelingDienst;
  metrics: Metrics;
  log: Logger;
  klok: () => Date;
  wisser: Wisser;
  logboek: Logboek;
  sleutels: Sleutelring;
}

export async function startWerker(deps: WerkerDeps): Promise<{ stop(): Promise<void> }> {
  const { config, repo, log, klok } = deps;
  // BullMQ wants connections that retry forever (maxRetriesPerRequest: null). Every connection, queue
  // and worker has an 'error' listener: without one ioredis and BullMQ print each reconnect attempt.
  const verbinding = bewaakVerbinding(new Redis(config.redis.url, { maxRetriesPerRequest: null, connectionName: 'signaalbrug:bullmq' }), log);
  const sjablonen = new Sjablonen(standaardSjablonenMap()).laadAlles();
  const smtp = smtpUitConfig(config);
  const bezorgingen = bezorgQueue(config, verbinding);
  const termijnenQ = termijnQueue(config, verbinding);
  meldFouten(bezorgingen, log, 'bezorging-queue');
  meldFouten(termijnenQ, log, 'termijnen-queue');
  const termijnen = createTermijnen({ config, repo, log, klok }, termijnenQ);

  const relayRedis = bewaakVerbinding(createRedis(config.redis.url, { naam: 'outbox-relay' }), log);
  await verbind(relayRedis);
  const relay = new OutboxRelay(relayRedis, repo, bezorgingen, log, termijnen.plan);
  await relay.start();
  // QueueEvents blocks on its connection (XREAD BLOCK), so it gets one of its own.
  const eventsVerbinding = bewaakVerbinding(new Redis(config.redis.url, { maxRetriesPerRequest: null, connectionName: 'signaalbrug:bullmq-events' }), log);
  const bezorger = startBezorgWorker({ ...deps, sjablonen, smtp }, verbinding, eventsVerbinding, bezorgingen);
  const termijnWerker = await startTermijnWorker({ config, repo, log, klok }, termijnen, termijnenQ, verbinding);
  const privacyQ = privacyQueue(config, verbinding);
  meldFouten(privacyQ, log, 'privacy-queue');
  const opruimer = createOpruimer({ config, wisser: deps.wisser, links: deps.links, logboek: deps.logboek, bezorgingen, termijnen: termijnenQ, klok, log });
  const opruimWerker = await startOpruimWorker(config, opruimer, privacyQ, verbinding, log);

  return {
    async stop() {
      await relay.stop();
      await termijnWerker.close();
      await opruimWerker.close();
      await bezorger.close(); // waits for the jobs in progress
      await Promise.all([bezorgingen.close(), termijnenQ.close(), privacyQ.close()]);
      smtp.close();
      await verbinding.quit().catch(() => verbinding.disconnect());
      eventsVerbinding.disconnect();
    },
  };
}
