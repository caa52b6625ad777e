// Delivery of encrypted messages through BullMQ. Job payloads hold ids only; the job id is derived
// from (melding, message kind, recipient) so planning twice queues once. The worker re-reads the
// case, renders the template, encrypts through the recipient's channel and sends over SMTP.
// Key problems are permanent (bezorging-mislukt at once); SMTP trouble is retried with exponential
// backoff, and after the last attempt the melding is bezorging-mislukt. Never plaintext.
// A withdrawal reaches the wijkteam only when the melding may have reached it (see intrekkingNodig).
import { readFileSync } from 'node:fs';
import { DelayedError, Job, Queue, QueueEvents, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { KanaalFout, type Adressering, type Inhoud } from '../../adapters/kanaal.js';
import { pgp } from '../../adapters/pgp/index.js';
import { smime } from '../../adapters/smime/index.js';
import { isTijdelijk, type SmtpTransport } from '../../adapters/smtp/transport.js';
import type { Config } from '../config.js';
import {
  escalatieModel, herinneringModel, intrekkingModel, meldingAanWijkteamModel, ontruimingsdatumModel, terugkoppelingModel, type Casus,
} from '../domain/berichten.js';
import type { TerugkoppelingDienst } from './terugkoppeling.js';
import type { LinkRepo } from '../store/links.js';
import { beveiligdeLink, portaalUrl } from '../../adapters/beveiligde-link/index.js';
import { notificatieModel } from '../domain/berichten.js';
import type { Metrics } from '../metrics.js';
import type { MeldingenRepo, MeldingRecord } from '../store/meldingen.js';
import { meldFouten } from '../store/redis.js';
import type { Sleutelring } from '../store/sleutelring.js';
import type { Berichtsoort, Sjablonen } from './sjablonen.js';

export type Ontvangerrol = 'wijkteam' | 'troubleshooter' | 'corporatie';

export interface BezorgOpdracht {
  meldingId: string;
  bericht: Berichtsoort;
  ontvanger: Ontvangerrol;
  /** Escalation only: how many werkdagen late (not personal). */
  werkdagenTeLaat?: number;
}

export const BEZORG_QUEUE = 'bezorging';

/** Prefix of failure reasons already reported (bezorging-mislukt recorded, alarm raised). */
export const GEMELD = 'GEMELD: ';

/** Retry a Redis write for up to about 30 s (a Redis restart), then give up loudly. */
async function metHerhaling<T>(werk: () => Promise<T>): Promise<T> {
  for (let i = 0, wacht = 200; ; i++, wacht = Math.min(wacht * 2, 5000)) {
    try {
      return await werk();
    } catch (err) {
      if (i >= 10) throw err;
      await new Promise((r) => setTimeout(r, wacht));
    }
  }
}

export function jobId(o: BezorgOpdracht): string {
  return `${o.meldingId}.${o.bericht}.${o.ontvanger}`;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 base32, lower case, no padding: letters and digits only, safe in any msg-id. */
function base32(b: Buffer): string {
  let uit = '';
  let bits = 0;
  let waarde = 0;
  for (const byte of b) {
    waarde = (waarde << 8) | byte;
    for (bits += 8; bits >= 5; bits -= 5) uit += BASE32[(waarde >>> (bits - 5)) & 31];
    waarde &= (1 << bits) - 1;
  }
  return bits > 0 ? uit + BASE32[(waarde << (5 - bits)) & 31] : uit;
}

/**
 * Stable Message-ID per (melding, message kind, recipient), so a copy re-sent after a crash is
 * recognisable as the same mail, yet opaque: a keyed hash (the keyring's pseudonym key, which never
 * changes), so no relay learns which case it is about or that, say, an eviction date is known.
 */
export function berichtId(o: BezorgOpdracht, sleutels: Pick<Sleutelring, 'pseudoniem'>, afzender: string): string {
  const domein = afzender.split('@')[1] ?? 'signaalbrug.invalid';
  const hash = Buffer.from(sleutels.pseudoniem('message-id', o.meldingId, o.bericht, o.ontvanger), 'base64url');
  return `<${base32(hash.subarray(0, 20))}@${domein}>`;
}

/**
 * What the melding's BullMQ job (its `progress`) says about the SMTP server having the melding.
 * `bezig`: an attempt is sending, or died while sending; `mogelijk`: an earlier attempt ended so that
 * the server may have accepted it (a crash, a lost answer); `niet`: no attempt can have delivered it.
 */
type Verzending = 'bezig' | 'mogelijk' | 'niet';
const verzendingVan = (p: unknown): Verzending | undefined => (p as { verzending?: Verzending } | undefined)?.verzending;

/** Only an answer of the server, or a connection that never reached it, proves it has no copy. */
function zekerNietAangenomen(err: unknown): boolean {
  const e = err as { responseCode?: number; code?: string; originalCode?: string };
  if (typeof e.responseCode === 'number') return true;
  // STARTTLS is required, so nothing of the message leaves before TLS is up.
  if (e.code === 'ETLS' || e.code === 'EDNS') return true;
  return ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(e.originalCode ?? '');
}

/** An intrekking waits this long at most for a melding that is being sent, then goes anyway. */
const MAX_WACHT_OP_MELDING_MS = 15 * 60_000;

export function bezorgQueue(config: Config, connection: object) {
  return new Queue<BezorgOpdracht>(BEZORG_QUEUE, {
    connection,
    prefix: `${config.redis.prefix}:bull`,
    defaultJobOptions: {
      attempts: config.bezorging.pogingen,
      backoff: { type: 'exponential', delay: config.bezorging.eersteWachttijdSeconden * 1000 },
      // Kept for a week so a re-planned job id is recognised as already done.
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    },
  });
}

export interface BezorgDeps {
  config: Config;
  repo: MeldingenRepo;
  sjablonen: Sjablonen;
  smtp: SmtpTransport;
  metrics: Metrics;
  log: Logger;
  klok: () => Date;
  terugkoppeling: Pick<TerugkoppelingDienst, 'lees'>;
  links: Pick<LinkRepo, 'maak'>;
  /** For the opaque Message-IDs (a keyed hash per melding, kind and recipient). */
  sleutels: Pick<Sleutelring, 'pseudoniem'>;
}

const lees = (bestand: string | undefined) => {
  if (!bestand) throw new KanaalFout('SB_SLEUTEL_ONTBREEKT', 'geen sleutelbestand geconfigureerd');
  try {
    return readFileSync(bestand, 'utf8');
  } catch (err) {
    throw new KanaalFout('SB_SLEUTEL_ONTBREEKT', `${bestand}: ${(err as NodeJS.ErrnoException).code ?? 'onleesbaar'}`);
  }
};

/** `queue`: where the melding jobs live, so a withdrawal can see whether its melding is on its way. */
export function createBezorger(deps: BezorgDeps, queue: Queue<BezorgOpdracht>) {
  const { config, repo, sjablonen, smtp, metrics, log, klok, sleutels } = deps;
  const wijkteams = new Map(config.wijkteams.map((w) => [w.id, w]));
  const corporaties = new Map(config.organisaties.map((o) => [o.oin, o.naam]));

  const organisaties = new Map(config.organisaties.map((o) => [o.oin, o]));

  /** The recipient of a message, or undefined when that party has no mailbox (corporation feedback is optional). */
  function ontvangerVan(rol: Ontvangerrol, r: MeldingRecord): Config['troubleshooter'] | undefined {
    if (rol === 'troubleshooter') return config.troubleshooter;
    if (rol === 'wijkteam') return wijkteams.get(r.wijkteam);
    const org = organisaties.get(r.oin);
    return org?.terugkoppeling ? { ...org.terugkoppeling, naam: org.naam } : undefined;
  }

  async function inhoudVoor(o: BezorgOpdracht, r: MeldingRecord): Promise<Inhoud> {
    const casus: Casus = { ...r, corporatie: corporaties.get(r.oin) ?? r.oin, wijkteam: wijkteams.get(r.wijkteam)?.naam ?? r.wijkteam };
    const model = {
      'melding-aan-wijkteam': () => meldingAanWijkteamModel(casus),
      herinnering: () => herinneringModel(casus),
      escalatie: () => escalatieModel(casus, o.werkdagenTeLaat ?? 0),
      ontruimingsdatum: () => ontruimingsdatumModel(casus),
      intrekking: () => intrekkingModel(casus),
      terugkoppeling: () => undefined,
    }[o.bericht as 'melding-aan-wijkteam'];
    if (!model) throw new KanaalFout('SB_SLEUTEL_ONGESCHIKT', `berichtsoort ${o.bericht} hoort niet bij dit kanaal`);
    if (o.bericht === 'terugkoppeling') {
      const k = await deps.terugkoppeling.lees(r.id);
      if (!k) throw new KanaalFout('SB_SLEUTEL_ONGESCHIKT', 'geen terugkoppeling opgeslagen');
      return sjablonen.render(o.bericht, terugkoppelingModel(casus, k));
    }
    return sjablonen.render(o.bericht, model()!);
  }

  async function bouw(o: BezorgOpdracht, r: MeldingRecord, doel: NonNullable<ReturnType<typeof ontvangerVan>>, adressering: Adressering): Promise<Buffer> {
    const nu = klok();
    if (doel.bezorging === 'beveiligde-link') {
      // NTA 7516 / Zivver style: the content stays in the portal; this mail only notifies, without
      // personal data. A reminder re-notifies with a fresh link (older links stop working).
      if (o.ontvanger !== 'wijkteam' || !['melding-aan-wijkteam', 'herinnering'].includes(o.bericht))
        throw new KanaalFout('SB_SLEUTEL_ONGESCHIKT', `${o.bericht} kan niet via beveiligde-link`);
      const token = await deps.links.maak(r.id, new Date(nu.getTime() + config.portal.linkGeldigDagen * 86_400_000));
      const inhoud = sjablonen.render('notificatie-beveiligd-bericht',
        notificatieModel({ corporatie: corporaties.get(r.oin) ?? r.oin, terugkoppelingUiterlijk: r.terugkoppelingUiterlijk }, portaalUrl(config.portal, token)));
      return beveiligdeLink.bouw(inhoud, adressering, {});
    }
    const inhoud = await inhoudVoor(o, r);
    if (doel.bezorging === 'smime')
      return smime.bouw(inhoud, adressering, {
        ontvangerCertificaat: lees(doel.certificaat), afzenderCertificaat: lees(config.afzender.certificaat),
        afzenderSleutel: lees(config.afzender.sleutel), ca: config.smimePki.ca.map(lees), crl: config.smimePki.crl.map(lees),
        keyTransport: doel.keyTransport, inhoud: doel.inhoudVersleuteling, nu,
      });
    if (doel.bezorging === 'pgp')
      return pgp.bouw(inhoud, adressering, { ontvangerSleutel: lees(doel.pgpSleutel), afzenderSleutel: lees(config.afzender.pgpSleutel), nu });
    throw new KanaalFout('SB_SLEUTEL_ONGESCHIKT', `onbekend kanaal ${String(doel.bezorging)}`);
  }

  async function mislukt(o: BezorgOpdracht, reden: string, detail: string): Promise<void> {
    metrics.bezorgingMislukt.inc({ reden });
    // Operator alert: an error log line and a counter (alert on it); ids and codes only.
    log.error({ alarm: 'bezorging-mislukt', meldingId: o.meldingId, bericht: o.bericht, ontvanger: o.ontvanger, reden }, `ALARM bezorging mislukt: ${detail}`);
    await repo.registreer(o.meldingId, { soort: 'bezorging-mislukt', op: klok().toISOString(), bericht: o.bericht, ontvanger: o.ontvanger, reden });
  }

  /**
   * Whether the wijkteam may have the melding, so that it must hear of the withdrawal. Runs only after
   * the withdrawal is committed (its outbox entry is written in the same step), and a melding attempt
   * marks itself `bezig` before its last status check. So either that check sees `ingetrokken` and
   * nothing is sent, or the mark was there before this reads it: never a melding without its
   * withdrawal, and no withdrawal of a melding that never left. While the melding is being sent this
   * waits for the outcome, so the withdrawal arrives after it.
   */
  async function intrekkingNodig(o: BezorgOpdracht): Promise<'ja' | 'nee' | 'wacht'> {
    const melding: BezorgOpdracht = { meldingId: o.meldingId, bericht: 'melding-aan-wijkteam', ontvanger: 'wijkteam' };
    if (await repo.isBezorgd(jobId(melding))) return 'ja';
    const meldingJob = await Job.fromId<BezorgOpdracht>(queue, jobId(melding));
    const v = verzendingVan(meldingJob?.progress);
    if (!meldingJob || !v || v === 'niet') return 'nee';
    return (await meldingJob.isActive()) ? 'wacht' : 'ja';
  }

  async function verwerk(job: Job<BezorgOpdracht>, token?: string): Promise<{ smtpAntwoord?: string; overgeslagen?: string }> {
    const o = job.data;
    const r = await repo.haal(o.meldingId);
    if (!r) return { overgeslagen: 'melding bestaat niet meer' };
    if (r.status === 'ingetrokken' && o.bericht !== 'intrekking') return { overgeslagen: 'ingetrokken' };
    // A reminder or escalation is moot once the case is answered or closed.
    if ((o.bericht === 'herinnering' || o.bericht === 'escalatie') && ['teruggekoppeld', 'afgesloten'].includes(r.status))
      return { overgeslagen: r.status };
    const messageId = berichtId(o, sleutels, config.afzender.mailbox);
    if (await repo.isBezorgd(jobId(o))) return { overgeslagen: 'al bezorgd' };
    const doel = ontvangerVan(o.ontvanger, r);
    if (!doel) return { overgeslagen: `geen mailbox voor ${o.ontvanger}` };
    // The portal itself shows "ingetrokken"; a mail about it would only be a second notification.
    if (o.bericht === 'intrekking' && doel.bezorging === 'beveiligde-link') return { overgeslagen: 'portaal toont ingetrokken' };
    if (o.bericht === 'intrekking') {
      const nodig = await intrekkingNodig(o);
      if (nodig === 'nee') return { overgeslagen: 'melding nooit bezorgd' };
      if (nodig === 'wacht' && Date.now() - job.timestamp < MAX_WACHT_OP_MELDING_MS) {
        await job.moveToDelayed(Date.now() + Math.min(5000, config.bezorging.lockSeconden * 500), token);
        throw new DelayedError();
      }
    }
    // The melding marks itself before its last status check (see intrekkingNodig). A mark left by an
    // attempt that may have delivered is never taken back.
    const isMelding = o.bericht === 'melding-aan-wijkteam';
    const eerder = verzendingVan(job.progress);
    const alMogelijk = eerder === 'bezig' || eerder === 'mogelijk';
    const markeer = async (v: Verzending) => {
      if (isMelding && !(alMogelijk && v === 'niet')) await job.updateProgress({ verzending: alMogelijk && v === 'bezig' ? 'mogelijk' : v });
    };
    await markeer('bezig');
    const adressering: Adressering = {
      van: { naam: config.afzender.naam, adres: config.afzender.mailbox },
      aan: { naam: doel.naam, adres: doel.mailbox },
      messageId,
      datum: klok(),
      buitenOnderwerp: 'Beveiligd bericht via Signaalbrug',
    };
    let raw: Buffer;
    try {
      raw = await bouw(o, r, doel, adressering);
    } catch (err) {
      await markeer('niet');
      if (err instanceof KanaalFout) {
        await mislukt(o, err.code, err.message);
        throw new UnrecoverableError(`${GEMELD}${err.code}`);
      }
      throw err;
    }
    // Withdrawn meanwhile: nothing about the case goes out any more.
    if (o.bericht !== 'intrekking' && (await repo.haalMeta(o.meldingId))?.status === 'ingetrokken') {
      await markeer('niet');
      return { overgeslagen: 'ingetrokken' };
    }
    const poging = job.attemptsMade + 1;
    let bewijs;
    try {
      bewijs = await smtp.verstuur(raw, { from: config.afzender.mailbox, to: doel.mailbox }, messageId);
    } catch (err) {
      await markeer(zekerNietAangenomen(err) ? 'niet' : 'mogelijk');
      const e = err as { code?: string; responseCode?: number };
      const tijdelijk = isTijdelijk(err);
      await repo.registreer(o.meldingId, {
        soort: 'bezorgpoging-mislukt', op: klok().toISOString(), bericht: o.bericht, poging,
        smtpCode: e.responseCode ?? null, fout: e.code ?? 'onbekend', tijdelijk,
      });
      if (!tijdelijk) {
        await mislukt(o, `SMTP_${e.responseCode}`, 'de mailserver weigert het bericht blijvend');
        throw new UnrecoverableError(`${GEMELD}SMTP ${e.responseCode}`);
      }
      throw new Error(`SMTP ${e.code ?? ''} ${e.responseCode ?? ''}`.trim());
    }
    // Sent: from here on never send again. Recording it rides out a short Redis outage in this job
    // rather than failing it (a retry would send a second copy).
    const alleenDeMelding = o.bericht === 'melding-aan-wijkteam';
    await metHerhaling(() => repo.registreer(o.meldingId, {
      // Only the melding itself moves the case to verzonden; other messages are events.
      soort: alleenDeMelding ? 'verzonden' : 'bericht-verzonden', op: klok().toISOString(), bericht: o.bericht, kanaal: doel.bezorging,
      ontvanger: doel.mailbox, poging, smtpAntwoord: bewijs.smtpAntwoord.slice(0, 200), tls: 'STARTTLS (TLS 1.2+ vereist, certificaat gecontroleerd)', messageId,
    }, {
      bezorgd: jobId(o),
      // Logboek: the service delivers on behalf of the corporation that sent the melding.
      logboek: { actie: 'melding-bezorgd', oin: r.oin, extra: { kanaal: 'werker', bericht: o.bericht, ontvanger: o.ontvanger, bezorging: doel.bezorging } },
    }));
    metrics.bezorgd.inc({ kanaal: doel.bezorging, bericht: o.bericht });
    return { smtpAntwoord: bewijs.smtpAntwoord };
  }

  return { verwerk, mislukt };
}

export function startBezorgWorker(deps: BezorgDeps, connection: object, connectionVoorEvents: object, queue: Queue<BezorgOpdracht>) {
  const bezorger = createBezorger(deps, queue);
  const worker = new Worker<BezorgOpdracht>(BEZORG_QUEUE, bezorger.verwerk, {
    connection,
    prefix: `${deps.config.redis.prefix}:bull`,
    concurrency: deps.config.bezorging.gelijktijdig,
    lockDuration: deps.config.bezorging.lockSeconden * 1000,
    stalledInterval: deps.config.bezorging.lockSeconden * 1000,
    maxStalledCount: 5,
  });
  // Final failures (attempts used up, or stalled too often) are reported here, once: QueueEvents sees
  // also the jobs that BullMQ's stalled checker fails, which never reach a worker's 'failed' event.
  const events = new QueueEvents(BEZORG_QUEUE, { connection: connectionVoorEvents, prefix: `${deps.config.redis.prefix}:bull` });
  events.on('failed', ({ jobId: id, failedReason }) => {
    if (failedReason?.startsWith(GEMELD)) return;
    void (async () => {
      const job = await Job.fromId<BezorgOpdracht>(queue, id);
      if (job) await metHerhaling(() => bezorger.mislukt(job.data, 'POGINGEN_OP', `na ${job.attemptsMade} pogingen: ${failedReason?.slice(0, 100)}`));
    })().catch((e: Error) => deps.log.error({ alarm: 'bezorging-mislukt', err: e.message, jobId: id }, 'kon bezorging-mislukt niet vastleggen'));
  });
  meldFouten(events, deps.log, 'bezorging-events');
  meldFouten(worker, deps.log, 'bezorgworker');
  return {
    async close() {
      await worker.close(); // waits for the jobs in progress
      await events.close();
    },
  };
}
