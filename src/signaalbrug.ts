// The composition root: the one place that builds the app. Connections, stores, services, channels
// and workers are made here once, from the config, for every role (api, portal, worker), every CLI
// command and every test alike. Each part registers its own close; `sluit()` closes them in reverse.
// Parts only one role needs (SMTP, BullMQ queues, key material, extra intake connections) are made on
// first use, so a CLI command opens no more than it needs.
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { httpSms, type SmsKanaal } from '../adapters/beveiligde-link/index.js';
import { SmtpTransport } from '../adapters/smtp/transport.js';
import type { Config } from './config.js';
import { createAanvullingen } from './diensten/aanvullingen.js';
import { createBezorging } from './diensten/bezorging.js';
import { createCasussen } from './diensten/casussen.js';
import { createDatalekken } from './diensten/datalekken.js';
import { createEscalaties } from './diensten/escalaties.js';
import { createIntake } from './diensten/intake.js';
import { createIntrekking } from './diensten/intrekking.js';
import { createLezen } from './diensten/lezen.js';
import { createLogboekarchief } from './diensten/logboekarchief.js';
import { createOpruimer } from './diensten/opruimen.js';
import { createRapportage } from './diensten/rapportage.js';
import { createRechten } from './diensten/rechten.js';
import { createSleutelbeheer } from './diensten/sleutelbeheer.js';
import { createTermijnen } from './diensten/termijnen.js';
import { createTerugkoppelingDienst } from './diensten/terugkoppeling.js';
import { createToegang } from './diensten/toegang.js';
import { createWerkplek } from './diensten/werkplek.js';
import { createWerklijsten } from './diensten/werklijsten.js';
import { regelboekUit } from './domain/overgangen.js';
import { maakKanalen, Sleutelmateriaal, sleutelbestanden } from './kanalen/index.js';
import { createMetrics } from './metrics.js';
import { Sjablonen, standaardSjablonenMap } from './sjablonen.js';
import { DatalekStore } from './store/datalekken.js';
import { LinkStore } from './store/links.js';
import { LogboekStore } from './store/logboek.js';
import { definieerScripts } from './store/lua.js';
import { MeldingenStore } from './store/meldingen.js';
import { OutboxStore } from './store/outbox.js';
import { RapportageStore } from './store/rapportage.js';
import { RedisNamen } from './store/redis-namen.js';
import { bewaakVerbinding, createRedis, redisDoel, verbind } from './store/redis.js';
import { Sleutelring } from './store/sleutelring.js';
import { Sleutelrotatie } from './store/sleutelrotatie.js';
import { bezorgQueue, jobId, privacyQueue, type Wachtrijen } from './store/wachtrijen.js';
import { WerkplekSessieStore } from './store/werkplek-sessies.js';
import { WisStore } from './store/wissen.js';
import { meldFouten } from './verbindingsfouten.js';

export interface SignaalbrugOpties {
  log: Logger;
  /** The service clock (tests inject theirs); default the real one. */
  klok?: () => Date;
  /** Where SIGNAALBRUG_SLEUTELS may come from. */
  env?: NodeJS.ProcessEnv;
  /** The name the Redis connections carry (CLIENT LIST): the roles, or `cli`. */
  naam?: string;
  /** Give up when Redis is not reachable within this time (an operator command fails fast); default: wait. */
  verbindBinnenMs?: number;
  /** Take up a rotated keyring file while running (the service roles). */
  volgSleutelring?: boolean;
  /** An SMS gateway for one-time codes other than the configured one (tests). */
  sms?: SmsKanaal;
}

export class RedisOnbereikbaar extends Error {}

export async function createSignaalbrug(config: Config, o: SignaalbrugOpties) {
  const { log } = o;
  const klok = o.klok ?? (() => new Date());
  const env = o.env ?? process.env;
  const sluiters: (() => unknown)[] = [];
  /** Register how a part closes; `sluit()` runs these in reverse order. */
  const bijSluiten = (f: () => unknown) => void sluiters.push(f);
  // Where Redis is (one server or the sentinels' primary), with user, password and TLS: every
  // connection below, BullMQ's included, is made from this. A password that cannot be read stops here.
  const doel = redisDoel(config.redis, env);
  const namen = new RedisNamen(config.redis.prefix);

  const sleutels = Sleutelring.laad(config.versleuteling.sleutelbestand, env);
  const metrics = createMetrics();

  const verbinding = (naam: string) => {
    const r = definieerScripts(bewaakVerbinding(createRedis(doel, { naam }), log));
    bijSluiten(() => r.quit().catch(() => r.disconnect()));
    return r;
  };
  const redis = verbinding(o.naam ?? 'signaalbrug');
  if (o.verbindBinnenMs) {
    const bereikt = await Promise.race([
      verbind(redis).then(() => true, () => false),
      new Promise<false>((r) => setTimeout(() => r(false), o.verbindBinnenMs).unref()),
    ]);
    if (!bereikt) {
      redis.disconnect();
      throw new RedisOnbereikbaar(`Redis is niet bereikbaar op ${doel.omschrijving} (gewacht: ${o.verbindBinnenMs / 1000} s)`);
    }
  } else await verbind(redis);
  // Key rotation without downtime: a new active key in the keyring file is taken up while running.
  if (o.volgSleutelring && config.versleuteling.sleutelbestand && !env.SIGNAALBRUG_SLEUTELS)
    bijSluiten(sleutels.volg(config.versleuteling.sleutelbestand, config.versleuteling.herlaadSeconden, log));

  // Stores: they execute, and know no rules.
  const store = new MeldingenStore(redis, namen, config.redis.replicaBevestiging);
  const links = new LinkStore(redis, namen, sleutels, config.portal, klok);
  const logboek = new LogboekStore(redis, namen);
  const wisser = new WisStore(redis, namen);

  // Parts made on first use.
  const smtpVoor = new Map<string, SmtpTransport>();
  /** The SMTP transport the config describes (STARTTLS and certificate checks are the transport's own). */
  const smtp = (doel: 'bezorging' | 'portaal') => {
    let t = smtpVoor.get(doel);
    if (!t) {
      t = new SmtpTransport({
        host: config.smtp.host, port: config.smtp.port, servername: config.smtp.servername,
        ca: config.smtp.ca.map((f) => readFileSync(f, 'utf8')), gebruiker: config.smtp.gebruiker, wachtwoord: config.smtp.wachtwoord,
        maxVerbindingen: doel === 'portaal' ? 1 : config.smtp.maxVerbindingen,
      });
      smtpVoor.set(doel, t);
      const transport = t;
      bijSluiten(() => transport.close());
    }
    return t;
  };
  let bull: { verbinding: Redis; wachtrijen: Wachtrijen } | undefined;
  /** BullMQ wants connections that retry forever (maxRetriesPerRequest: null), with an 'error' listener each. */
  const bullVerbinding = (naam: string, blokkerend = false) => {
    const r = bewaakVerbinding(createRedis(doel, { naam, bullmq: true }), log);
    // A connection blocked in XREAD would hold a QUIT until its wait ends: that one is cut.
    bijSluiten(() => (blokkerend ? r.disconnect() : r.quit().catch(() => r.disconnect())));
    return r;
  };
  const wachtrijen = (): Wachtrijen => {
    if (!bull) {
      const v = bullVerbinding('bullmq');
      const w = { bezorging: bezorgQueue(config, namen, v), privacy: privacyQueue(namen, v) };
      for (const [naam, q] of Object.entries(w)) meldFouten(q, log, `${naam}-queue`);
      bijSluiten(() => Promise.all(Object.values(w).map((q) => q.close())));
      bull = { verbinding: v, wachtrijen: w };
    }
    return bull.wachtrijen;
  };

  // Services: every state change goes through them.
  const regelboek = regelboekUit(config);
  const regels = regelboek.alle[0]!;
  const sjablonen = new Sjablonen(standaardSjablonenMap()).laadAlles();
  const casussen = createCasussen({ store, regelboek, klok });
  const lezen = createLezen({ config, store, logboek, sleutels, regels, klok });
  const intake = createIntake({ config, store, sleutels, lezen, regelboek, klok });
  const terugkoppeling = createTerugkoppelingDienst({ casussen, store, lezen, sleutels, klok });
  const intrekking = createIntrekking({ casussen, links });
  const escalaties = createEscalaties({ casussen, lezen, sleutels, klok });
  const aanvullingen = createAanvullingen({ casussen, lezen, sleutels, klok });
  const sms = o.sms ?? (config.portal.codeKanaal === 'sms' && config.portal.sms ? httpSms(config.portal.sms.url, config.portal.sms.token) : undefined);
  const toegang = createToegang({
    config, links, casussen, lezen, sjablonen, sms, klok,
    smtp: { verstuur: (...a: Parameters<SmtpTransport['verstuur']>) => smtp('portaal').verstuur(...a) },
  });
  const opruimer = createOpruimer({ config, regelboek, store, wisser, links, logboek, klok, log, wachtrijen });
  const rechten = createRechten({ config, store, lezen, logboek, opruimer, klok, pseudoniem: intake.betrokkene });
  const datalekken = createDatalekken({ config, store: new DatalekStore(redis, namen, sleutels, new RapportageStore(redis, namen)), klok });
  const sleutelbeheer = createSleutelbeheer({ rotatie: new Sleutelrotatie(redis, namen, sleutels), sleutels });
  const termijnen = createTermijnen({ casussen, store, log, klok, bewaartermijn: (id) => opruimer.wis(id, 'bewaartermijn', { kanaal: 'werker' }) });
  const logboekarchief = createLogboekarchief({ config, logboek, klok });
  const rapportage = createRapportage({ config, store: new RapportageStore(redis, namen), sleutels, klok, wachtrijen,
    vastleggen: (id, oin) => lezen.vastleggen(id, { actie: 'ddas-geleverd', oin, extra: { kanaal: 'ddas' } }) });
  metrics.koppelStand(() => rapportage.toestand());
  const werkplek = createWerkplek({ config, store: new WerkplekSessieStore(redis, namen), sleutels, klok, log, env });

  /** What the worker role needs beyond the services: channels, queues and its own connections. */
  async function werkdelen() {
    const q = wachtrijen();
    // Dedicated: XREADGROUP BLOCK holds the connection while the relay waits.
    const relay = verbinding('outbox-relay');
    await verbind(relay);
    const materiaal = new Sleutelmateriaal(sleutelbestanden(config), { herlaadSeconden: config.bezorging.sleutelsHerlaadSeconden, log });
    materiaal.start();
    bijSluiten(() => materiaal.stop());
    const kanalen = maakKanalen({ config, materiaal, klok, nieuweLink: toegang.nieuweLink });
    return {
      wachtrijen: q,
      materiaal,
      verbinding: bull!.verbinding,
      bullVerbinding,
      prefix: namen.bull(),
      outbox: new OutboxStore(relay, namen),
      /** The timer scheduler's lease. */
      termijnslot: store,
      /** The logboek archiver's lease. */
      logboekslot: logboek,
      jobId,
      bezorging: createBezorging({
        config, casussen, store, lezen, sjablonen, smtp: smtp('bezorging'), kanaal: (x, afzender) => kanalen.voor(x, afzender),
        metrics, log, klok, sleutels, queue: q.bezorging, nieuweLink: toegang.nieuweLink,
      }),
    };
  }

  let gesloten: Promise<void> | undefined;
  return {
    config, klok, log, metrics, namen, redis, sleutels, sjablonen,
    diensten: { casussen, lezen, intake, terugkoppeling, intrekking, escalaties, aanvullingen, toegang, opruimer, rechten, datalekken, sleutelbeheer, termijnen, rapportage,
      werkplek, logboekarchief,
      werklijsten: createWerklijsten({ config, store: new RapportageStore(redis, namen), klok }) },
    wachtrijen,
    werkdelen,
    bijSluiten,
    /** Run API writes and answer only once the replicas have them (redis.replicaBevestiging). */
    bevestigd: <T>(werk: () => Promise<T>): Promise<T> => store.bevestigd(werk),
    /** Spread the intake's writes over more connections (config redis.intakeVerbindingen). */
    async meerIntakeVerbindingen(): Promise<void> {
      const extra: Redis[] = [];
      for (let i = 1; i < config.redis.intakeVerbindingen; i++) {
        const r = verbinding(`api-intake-${i}`);
        await verbind(r);
        extra.push(r);
      }
      store.verspreidIntakeOver(extra);
    },
    sluit(): Promise<void> {
      return (gesloten ??= (async () => {
        for (const s of sluiters.reverse()) await s();
      })());
    },
  };
}

export type Signaalbrug = Awaited<ReturnType<typeof createSignaalbrug>>;
