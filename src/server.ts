// Entry for `signaalbrug serve`: builds the app once (the composition root), chooses the roles asked
// for, listens, and shuts down gracefully (stop accepting, finish in-flight requests and jobs, then
// close the connections) on SIGTERM/SIGINT.
import { readFileSync } from 'node:fs';
import type { Server as HttpsServer } from 'node:https';
import type { Server as NetServer } from 'node:net';
import type { Logger } from 'pino';
import type { SmsKanaal } from '../adapters/beveiligde-link/index.js';
import type { Config } from './config.js';
import type { MeldingRecord } from './diensten/lezen.js';
import { buildApi } from './http/api/app.js';
import { buildOps } from './http/ops.js';
import { buildPortal } from './http/portaal/app.js';
import { buildWerkplek } from './http/werkplek/app.js';
import type { Tempolimieten } from './http/portaal/context.js';
import { TlsMateriaal } from './pki/tls-materiaal.js';
import { createSignaalbrug, type Signaalbrug } from './signaalbrug.js';
import { controleerDuurzaamheid, replicaStand } from './store/redis.js';
import { startWerkers } from './werkers/index.js';

export const ROLLEN = ['api', 'portal', 'worker', 'werkplek'] as const;
/** The roles `serve` runs when none are asked for: the werkplek only when the config has its block. */
export const STANDAARDROLLEN = ['api', 'portal', 'worker'] as const;
export type Rol = (typeof ROLLEN)[number];

export function parseRollen(s: string | undefined, config?: Pick<Config, 'werkplek'>): Rol[] {
  if (!s) return config?.werkplek ? [...ROLLEN] : [...STANDAARDROLLEN];
  const gevraagd = s.split(',').map((r) => r.trim()).filter(Boolean);
  const onbekend = gevraagd.filter((r) => !(ROLLEN as readonly string[]).includes(r));
  if (onbekend.length || !gevraagd.length)
    throw new Error(`onbekende of nog niet beschikbare rol: ${onbekend.join(', ') || '(leeg)'}; beschikbaar: ${ROLLEN.join(', ')}`);
  return gevraagd as Rol[];
}

export interface Draaiend {
  sb: Signaalbrug;
  api?: Awaited<ReturnType<typeof buildApi>>;
  portal?: Awaited<ReturnType<typeof buildPortal>>;
  werkplek?: Awaited<ReturnType<typeof buildWerkplek>>;
  ops: Awaited<ReturnType<typeof buildOps>>;
  werkers?: Awaited<ReturnType<typeof startWerkers>>;
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
  /** Tests: another SMS gateway, other rate limits, a hook per new melding. */
  sms?: SmsKanaal;
  limieten?: Partial<Tempolimieten>;
  onOntvangen?: (record: MeldingRecord) => void;
}

export async function start({ config, rollen, log, klok, env, ...o }: StartOpties): Promise<Draaiend> {
  const sb = await createSignaalbrug(config, { log, klok, env, naam: rollen.join('+'), volgSleutelring: true, sms: o.sms });
  try {
    await controleerDuurzaamheid(sb.redis, log);
    const adressen: Record<string, string> = {};
    let api: Draaiend['api'];
    let tls: TlsMateriaal | undefined;
    if (rollen.includes('api')) {
      await sb.meerIntakeVerbindingen();
      tls = new TlsMateriaal(config.tls, log, sb.klok);
      const materiaal = tls;
      sb.bijSluiten(() => materiaal.stop());
      api = await buildApi(sb, { https: { ...tls.serverOpties(), ...handshakeGrens(config.api) }, onOntvangen: o.onOntvangen });
      begrensVerbindingen(api.server, config.api, log, 'api');
      adressen.api = await api.listen({ host: config.api.host, port: config.api.port });
      tls.start(api.server as HttpsServer);
    }
    let portal: Draaiend['portal'];
    if (rollen.includes('portal')) {
      portal = await buildPortal(sb, {
        // Server certificate only: people in a browser, not partner systems.
        https: { key: readFileSync(config.tls.key), cert: readFileSync(config.tls.cert), ...handshakeGrens(config.portal) },
        limieten: o.limieten,
      });
      begrensVerbindingen(portal.server, config.portal, log, 'portal');
      adressen.portal = await portal.listen({ host: config.portal.host, port: config.portal.port });
    }
    let werkplek: Draaiend['werkplek'];
    if (rollen.includes('werkplek')) {
      if (!config.werkplek) throw new Error('de rol werkplek vraagt een werkplek-blok in de configuratie (issuers, zie docs/contract.md)');
      werkplek = await buildWerkplek(sb, {
        // Server certificate only, like the portal: staff in a browser.
        https: { key: readFileSync(config.tls.key), cert: readFileSync(config.tls.cert), ...handshakeGrens(config.werkplek) },
      });
      begrensVerbindingen(werkplek.server, config.werkplek, log, 'werkplek');
      adressen.werkplek = await werkplek.listen({ host: config.werkplek.host, port: config.werkplek.port });
    }
    const werkers = rollen.includes('worker') ? await startWerkers(sb) : undefined;

    // Ops listener is bound to loopback only: health and metrics are for the platform, not partners.
    const bevestiging = config.redis.replicaBevestiging;
    const ops = await buildOps({ redis: sb.redis, tls, metrics: sb.metrics, log,
      ...(bevestiging ? { replicas: { nodig: bevestiging.replicas, stand: () => replicaStand(sb.redis) } } : {}) });
    adressen.ops = await ops.listen({ host: '127.0.0.1', port: config.ops.port });
    log.info({ adressen, rollen }, 'signaalbrug gestart');

    let gestopt: Promise<void> | undefined;
    const stop = () =>
      (gestopt ??= (async () => {
        await api?.close();
        await portal?.close();
        await werkplek?.close();
        await werkers?.stop();
        await ops.close();
        await sb.sluit();
        log.info('signaalbrug gestopt');
      })());
    return { sb, api, portal, werkplek, ops, werkers, tls, adressen, stop };
  } catch (err) {
    // A role that failed to start leaves no connection open behind it.
    await sb.sluit();
    throw err;
  }
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
