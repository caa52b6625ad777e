// Entry for `signaalbrug serve`: builds the roles asked for, listens, and shuts down gracefully
// (stop accepting, finish in-flight requests, close Redis) on SIGTERM/SIGINT.
import type { Server as HttpsServer } from 'node:https';
import type { Server as NetServer } from 'node:net';
import type { Logger } from 'pino';
import type { Redis } from 'ioredis';
import { buildApi, buildOps } from './app.js';
import type { Config } from './config.js';
import { createMetrics } from './metrics.js';
import { TlsMateriaal } from './pki/tls-materiaal.js';
import { MeldingenRepo } from './store/meldingen.js';
import { bewaakVerbinding, controleerDuurzaamheid, createRedis, verbind } from './store/redis.js';
import { Sleutelring } from './store/sleutelring.js';
import { readFileSync } from 'node:fs';
import { httpSms } from '../adapters/beveiligde-link/index.js';
import type { SmtpTransport } from '../adapters/smtp/transport.js';
import { Sjablonen, standaardSjablonenMap } from './jobs/sjablonen.js';
import { createTerugkoppelingDienst } from './jobs/terugkoppeling.js';
import { buildPortal } from './portaal.js';
import { LinkRepo } from './store/links.js';
import { Logboek } from './store/logboek.js';
import { Wisser } from './store/wissen.js';
import { smtpUitConfig, startWerker } from './werker.js';

export const ROLLEN = ['api', 'portal', 'worker'] as const;
export type Rol = (typeof ROLLEN)[number];

export function parseRollen(s: string | undefined): Rol[] {
  if (!s) return [...ROLLEN];
  const gevraagd = s.split(',').map((r) => r.trim()).filter(Boolean);
  const onbekend = gevraagd.filter((r) => !(ROLLEN as readonly string[]).includes(r));
  if (onbekend.length || !gevraagd.length)
    throw new Error(`onbekende of nog niet beschikbare rol: ${onbekend.join(', ') || '(leeg)'}; beschikbaar: ${ROLLEN.join(', ')}`);
  return gevraagd as Rol[];
}

export interface Draaiend {
  api?: Awaited<ReturnType<typeof buildApi>>;
  portal?: Awaited<ReturnType<typeof buildPortal>>;
  ops: Awaited<ReturnType<typeof buildOps>>;
  tls?: TlsMateriaal;
  adressen: Record<string, string>;
  stop(): Promise<void>;
}

export interface StartOpties {
  config: Config;
  rollen: Rol[];
  log: Logger;
  klok?: () => Date;
  env?: NodeJS.ProcessEnv;
}

export async function start({ config, rollen, log, klok: gegevenKlok, env = process.env }: StartOpties): Promise<Draaiend> {
  const klok = gegevenKlok ?? (() => new Date());
  const sleutels = Sleutelring.laad(config.versleuteling.sleutelbestand, env);
  const metrics = createMetrics();
  const redis = bewaakVerbinding(createRedis(config.redis.url, { naam: rollen.join('+') }), log);
  await verbind(redis);
  await controleerDuurzaamheid(redis, log);
  const { prefix } = config.redis;
  const { verwerkingsregister } = config.privacy;
  const repo = new MeldingenRepo(redis, sleutels, prefix, verwerkingsregister);
  const logboek = new Logboek(redis, prefix, verwerkingsregister);
  const wisser = new Wisser(redis, prefix, verwerkingsregister);
  // Key rotation without downtime: a new active key in the keyring file is taken up while running.
  const stopHerladen = config.versleuteling.sleutelbestand && !env.SIGNAALBRUG_SLEUTELS
    ? sleutels.volg(config.versleuteling.sleutelbestand, config.versleuteling.herlaadSeconden, log) : () => {};
  const links = new LinkRepo(redis, sleutels, { prefix: config.redis.prefix, ...config.portal }, klok);
  const terugkoppeling = createTerugkoppelingDienst({
    config, repo, sleutels, klok,
    // Withdrawal revokes the secure link (the portal also checks the status on every request).
    naIntrekking: async (id) => {
      await links.trekIn(id);
    },
  });

  const adressen: Record<string, string> = {};
  let api: Draaiend['api'];
  let tls: TlsMateriaal | undefined;
  const intakeRedis: Redis[] = [];
  if (rollen.includes('api')) {
    for (let i = 1; i < config.redis.intakeVerbindingen; i++) {
      const r = bewaakVerbinding(createRedis(config.redis.url, { naam: `api-intake-${i}` }), log);
      await verbind(r);
      intakeRedis.push(r);
    }
    repo.verspreidIntakeOver(intakeRedis);
    tls = new TlsMateriaal(config.tls, log, klok);
    api = await buildApi({ config, repo, terugkoppeling, metrics, log, https: { ...tls.serverOpties(), ...handshakeGrens(config.api) }, klok });
    begrensVerbindingen(api.server, config.api, log, 'api');
    adressen.api = await api.listen({ host: config.api.host, port: config.api.port });
    tls.start(api.server as HttpsServer);
  }
  let portal: Draaiend['portal'];
  let portaalSmtp: SmtpTransport | undefined;
  if (rollen.includes('portal')) {
    portaalSmtp = smtpUitConfig(config, 1);
    const sms = config.portal.codeKanaal === 'sms' && config.portal.sms ? httpSms(config.portal.sms.url, config.portal.sms.token) : undefined;
    portal = await buildPortal({
      config, repo, links, terugkoppeling, logboek, smtp: portaalSmtp, sms, klok, log, sjablonen: new Sjablonen(standaardSjablonenMap()).laadAlles(),
      // Server certificate only: people in a browser, not partner systems.
      https: { key: readFileSync(config.tls.key), cert: readFileSync(config.tls.cert), ...handshakeGrens(config.portal) },
    });
    begrensVerbindingen(portal.server, config.portal, log, 'portal');
    adressen.portal = await portal.listen({ host: config.portal.host, port: config.portal.port });
  }
  let werker: { stop(): Promise<void> } | undefined;
  if (rollen.includes('worker')) werker = await startWerker({ config, repo, links, terugkoppeling, metrics, log, klok, wisser, logboek, sleutels });

  // Ops listener is bound to loopback only: health and metrics are for the platform, not partners.
  const ops = await buildOps({ redis, tls, metrics, log });
  adressen.ops = await ops.listen({ host: '127.0.0.1', port: config.ops.port });
  log.info({ adressen, rollen }, 'signaalbrug gestart');

  let gestopt: Promise<void> | undefined;
  const stop = () =>
    (gestopt ??= (async () => {
      tls?.stop();
      stopHerladen();
      await api?.close();
      await portal?.close();
      portaalSmtp?.close();
      await werker?.stop();
      await ops.close();
      for (const r of [redis, ...intakeRedis]) await r.quit().catch(() => r.disconnect());
      log.info('signaalbrug gestopt');
    })());
  return { api, portal, ops, tls, adressen, stop };
}

interface TlsGrenzen {
  handshakeTimeoutSeconden: number;
  maxVerbindingen: number;
}

/**
 * node:tls closes a connection whose handshake has not finished in time: a raw TCP connection that
 * never sends a ClientHello, or one that stops halfway (Node's default waits 120 s).
 */
const handshakeGrens = (g: TlsGrenzen) => ({ handshakeTimeout: Math.round(g.handshakeTimeoutSeconden * 1000) });

/** Node closes connections beyond the cap at once; the operator hears of it at most once a minute. */
function begrensVerbindingen(server: NetServer, g: TlsGrenzen, log: Logger, listener: string): void {
  server.maxConnections = g.maxVerbindingen;
  let geweigerd = 0;
  let gemeldOp = 0;
  server.on('drop', () => {
    geweigerd++;
    if (Date.now() - gemeldOp < 60_000) return;
    log.warn({ listener, maxVerbindingen: g.maxVerbindingen, geweigerd }, 'verbindingslimiet bereikt: nieuwe verbindingen geweigerd');
    [gemeldOp, geweigerd] = [Date.now(), 0];
  });
}

/** Install signal handlers: first signal stops gracefully, a second one (or 15 s) forces exit. */
export function stopBijSignaal(d: Draaiend, log: Logger): void {
  let bezig = false;
  const handler = (signaal: string) => {
    if (bezig) process.exit(1);
    bezig = true;
    log.info({ signaal }, 'stoppen');
    setTimeout(() => process.exit(1), 15_000).unref();
    d.stop().then(() => process.exit(0), (err) => {
      log.error({ err: (err as Error).message }, 'stoppen mislukt');
      process.exit(1);
    });
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
