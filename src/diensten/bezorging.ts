// Delivery of one message to one recipient: check → render → build → send → record. The channel is
// whatever the recipient's configuration names (src/kanalen): this service never asks which. Key
// problems are permanent (bezorging-mislukt at once, operator alarm); SMTP trouble is retried by the
// worker with backoff. Never plaintext: a channel builds the message or refuses with a coded error.
// A withdrawal reaches the wijkteam only when the melding may have reached it (intrekkingNodig).
import { DelayedError, Job, UnrecoverableError, type Queue } from 'bullmq';
import type { Logger } from 'pino';
import { KanaalFout, type Adressering, type Inhoud, type Kanaal, type Ontvanger, type Uitgaand } from '../../adapters/kanaal.js';
import { isTijdelijk, type SmtpTransport } from '../../adapters/smtp/transport.js';
import { gemeenteVan, type Config } from '../config.js';
import type { Bezorgreden } from '../errors.js';
import {
  aanvullingModel, escalatieModel, sjabloonVan, herinneringModel, intrekkingModel, meldingAanWijkteamModel, ontruimingsdatumModel, terugkoppelingModel,
} from '../domain/berichten.js';
import type { Ontvangerrol } from '../domain/overgangen.js';
import { INTREKKING_LABELS, notificatieModel } from '../domain/portaalberichten.js';
import type { Metrics } from '../metrics.js';
import type { Sjablonen } from '../sjablonen.js';
import type { MeldingenStore } from '../store/meldingen.js';
import type { Sleutelring } from '../store/sleutelring.js';
import { jobId, type BezorgOpdracht } from '../store/wachtrijen.js';
import type { Casussen } from './casussen.js';
import type { Lezen, MeldingRecord } from './lezen.js';

/** Prefix of failure reasons already reported (bezorging-mislukt recorded, alarm raised). */
export const GEMELD = 'GEMELD: ';

/** An intrekking waits this long at most for a melding that is being sent, then goes anyway. */
const MAX_WACHT_OP_MELDING_MS = 15 * 60_000;

/** Retry a Redis write for up to about 30 s (a Redis restart), then give up loudly. */
export async function metHerhaling<T>(werk: () => Promise<T>): Promise<T> {
  for (let i = 0, wacht = 200; ; i++, wacht = Math.min(wacht * 2, 5000)) {
    try {
      return await werk();
    } catch (err) {
      if (i >= 10) throw err;
      await new Promise((r) => setTimeout(r, wacht));
    }
  }
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
  const extra = [...(o.versie ? [o.versie] : []), ...(o.fase ? [`fase:${o.fase}`] : [])];
  const hash = Buffer.from(sleutels.pseudoniem('message-id', o.meldingId, o.bericht, o.ontvanger, ...extra), 'base64url');
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

export interface BezorgDeps {
  config: Config;
  casussen: Casussen;
  store: Pick<MeldingenStore, 'isBezorgd'>;
  lezen: Lezen;
  sjablonen: Pick<Sjablonen, 'render'>;
  smtp: Pick<SmtpTransport, 'verstuur'>;
  /** The channel of a recipient (src/kanalen). */
  /** The channel to a recipient, signing with `afzender`'s keys (a gemeente's own identity) or the deployment's. */
  kanaal(o: Ontvanger, afzender?: Config['afzender']): Kanaal;
  metrics: Metrics;
  log: Logger;
  klok: () => Date;
  /** For the opaque Message-IDs (a keyed hash per melding, kind and recipient). */
  sleutels: Pick<Sleutelring, 'pseudoniem'>;
  /** Where the melding jobs live, so a withdrawal can see whether its melding is on its way. */
  queue: Queue<BezorgOpdracht>;
  /** A fresh link to the melding's page in the portal (the wijkteam's feedback form, or the troubleshooter's take-up page); older links of that role stop working. */
  nieuweLink(meldingId: string, rol?: 'wijkteam' | 'troubleshooter', o?: { herinnering?: boolean }): Promise<string>;
}

export function createBezorging(deps: BezorgDeps) {
  const { config, casussen, store, lezen, sjablonen, smtp, metrics, log, klok, sleutels, queue } = deps;
  const wijkteams = new Map(config.wijkteams.map((w) => [w.id, w]));
  const organisaties = new Map(config.organisaties.map((o) => [o.oin, o]));

  /** The recipient of a message, or undefined when that party has no mailbox (corporation feedback is optional). */
  function ontvangerVan(rol: Ontvangerrol, r: MeldingRecord): Ontvanger | undefined {
    // Escalations go to the troubleshooter and second mailbox of the melding's own gemeente.
    if (rol === 'troubleshooter') return gemeenteVan(config, r).troubleshooter;
    if (rol === 'tweede-escalatie') return gemeenteVan(config, r).tweedeEscalatie;
    if (rol === 'wijkteam') return wijkteams.get(r.wijkteam);
    const org = organisaties.get(r.oin);
    return org?.terugkoppeling ? { ...org.terugkoppeling, naam: org.naam } : undefined;
  }

  /** The message rendered from its template (only channels that carry content ask for it). */
  async function inhoudVoor(o: BezorgOpdracht, r: MeldingRecord, intrekkingsreden?: string): Promise<Inhoud> {
    const casus = lezen.berichtcasus(r);
    switch (o.bericht) {
      // Inside the encryption only: the wijkteam's personal link to the feedback page in the portal.
      case 'melding-aan-wijkteam':
        return sjablonen.render(sjabloonVan(o.bericht, casus.gegevens), meldingAanWijkteamModel(casus, await deps.nieuweLink(r.id), (await lezen.herhaling(r.id)) ?? null));
      case 'herinnering': return sjablonen.render(o.bericht, herinneringModel(casus, await deps.nieuweLink(r.id, 'wijkteam', { herinnering: true }), o.fase ?? null));
      // The troubleshooter's mail carries its take-up link (art. 8.2); the second mailbox is told who did not act.
      case 'escalatie': return sjablonen.render(o.bericht, o.ontvanger === 'tweede-escalatie'
        ? escalatieModel(casus, 0, { tweede: { werkdagen: gemeenteVan(config, r).convenant.opnemenWerkdagen ?? 0, troubleshooter: gemeenteVan(config, r).troubleshooter.naam } })
        : escalatieModel(casus, o.werkdagenTeLaat ?? 0, { opnameLink: await deps.nieuweLink(r.id, 'troubleshooter') }));
      case 'ontruimingsdatum': return sjablonen.render(o.bericht, ontruimingsdatumModel(casus, await deps.nieuweLink(r.id, 'troubleshooter')));
      case 'aanvulling': {
        const a = await lezen.aanvulling(r.id, o.versie ?? '');
        if (!a) throw new KanaalFout('SB_SLEUTEL_ONGESCHIKT', 'geen aanvulling opgeslagen');
        return sjablonen.render(o.bericht, aanvullingModel(casus, a,
          o.ontvanger === 'troubleshooter' && a.soort === 'ontruimingsdatum' ? await deps.nieuweLink(r.id, 'troubleshooter') : null));
      }
      case 'intrekking': return sjablonen.render(o.bericht, intrekkingModel(casus, intrekkingsreden ? INTREKKING_LABELS[intrekkingsreden] ?? null : null));
      case 'terugkoppeling': {
        const k = await lezen.terugkoppeling(r.id);
        if (!k) throw new KanaalFout('SB_SLEUTEL_ONGESCHIKT', 'geen terugkoppeling opgeslagen');
        return sjablonen.render(o.bericht, terugkoppelingModel(casus, k));
      }
      default: throw new KanaalFout('SB_SLEUTEL_ONGESCHIKT', `berichtsoort ${o.bericht} hoort niet bij dit kanaal`);
    }
  }

  async function mislukt(o: BezorgOpdracht, reden: Bezorgreden, detail: string): Promise<void> {
    metrics.bezorgingMislukt.inc({ reden });
    // Operator alert: an error log line and a counter (alert on it); ids and codes only.
    log.error({ alarm: 'bezorging-mislukt', meldingId: o.meldingId, bericht: o.bericht, ontvanger: o.ontvanger, reden }, `ALARM bezorging mislukt: ${detail}`);
    await casussen.pasToe(o.meldingId, { soort: 'bezorging-mislukt', bericht: o.bericht, ontvanger: o.ontvanger, reden });
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
    if (await store.isBezorgd(jobId(melding))) return 'ja';
    const meldingJob = await Job.fromId<BezorgOpdracht>(queue, jobId(melding));
    const v = verzendingVan(meldingJob?.progress);
    if (!meldingJob || !v || v === 'niet') return 'nee';
    return (await meldingJob.isActive()) ? 'wacht' : 'ja';
  }

  /** Why this message is not (or no longer) to be sent, or undefined: the check before any work. */
  async function overslaan(o: BezorgOpdracht, r: MeldingRecord | undefined, doel: Ontvanger | undefined, kanaal: Kanaal | undefined): Promise<string | undefined> {
    if (!r) return 'melding bestaat niet meer';
    if (r.status === 'ingetrokken' && o.bericht !== 'intrekking') return 'ingetrokken';
    // A reminder or escalation is moot once the case is answered or closed.
    if ((o.bericht === 'herinnering' || o.bericht === 'escalatie') && ['teruggekoppeld', 'afgesloten'].includes(r.status)) return r.status;
    if (await store.isBezorgd(jobId(o))) return 'al bezorgd';
    if (!doel || !kanaal) return `geen mailbox voor ${o.ontvanger}`;
    return kanaal.slaatOver(o.bericht);
  }

  async function verwerk(job: Job<BezorgOpdracht>, token?: string): Promise<{ smtpAntwoord?: string; overgeslagen?: string }> {
    const o = job.data;
    // 1. Check.
    const r = await lezen.melding(o.meldingId);
    const doel = r && ontvangerVan(o.ontvanger, r);
    const eigen = r ? gemeenteVan(config, r).afzender : undefined;
    const kanaal = doel && (eigen ? deps.kanaal(doel, eigen) : deps.kanaal(doel));
    const reden = await overslaan(o, r, doel, kanaal);
    if (reden) return { overgeslagen: reden };
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
    // Mail of a gemeente's melding goes out under that gemeente's sender identity when it has one.
    const afzender = gemeenteVan(config, r!).afzender ?? config.afzender;
    const messageId = berichtId(o, sleutels, afzender.mailbox);
    const adressering: Adressering = {
      van: { naam: afzender.naam, adres: afzender.mailbox },
      aan: { naam: doel!.naam, adres: doel!.mailbox },
      messageId,
      datum: klok(),
      buitenOnderwerp: 'Beveiligd bericht via Signaalbrug',
    };
    const intrekkingsreden = o.bericht === 'intrekking'
      ? String((await lezen.gebeurtenissen(o.meldingId)).findLast((g) => g.soort === 'ingetrokken')?.reden ?? 'overig') : undefined;
    // 2. Render and 3. build, through whichever channel the recipient has.
    const uitgaand: Uitgaand = {
      meldingId: o.meldingId, bericht: o.bericht,
      inhoud: () => inhoudVoor(o, r!, intrekkingsreden),
      kennisgeving: (url) => sjablonen.render('notificatie-beveiligd-bericht',
        notificatieModel({ id: r!.id, corporatie: lezen.berichtcasus(r!).corporatie, terugkoppelingUiterlijk: r!.terugkoppelingUiterlijk }, url, {
          aanleiding: o.bericht === 'herinnering' || o.bericht === 'aanvulling' || o.bericht === 'intrekking' ? o.bericht : 'melding',
          terugkoppelingVerwacht: !['teruggekoppeld', 'afgesloten'].includes(r!.status), reden: intrekkingsreden })),
    };
    let raw: Buffer;
    try {
      raw = await kanaal!.bouw(uitgaand, adressering);
    } catch (err) {
      await markeer('niet');
      if (err instanceof KanaalFout) {
        await mislukt(o, err.code, err.message);
        throw new UnrecoverableError(`${GEMELD}${err.code}`);
      }
      throw err;
    }
    // Withdrawn meanwhile: nothing about the case goes out any more.
    if (o.bericht !== 'intrekking' && (await casussen.meta(o.meldingId))?.status === 'ingetrokken') {
      await markeer('niet');
      return { overgeslagen: 'ingetrokken' };
    }
    // 4. Send.
    const poging = job.attemptsMade + 1;
    let bewijs;
    try {
      bewijs = await smtp.verstuur(raw, { from: afzender.mailbox, to: doel!.mailbox }, messageId);
    } catch (err) {
      await markeer(zekerNietAangenomen(err) ? 'niet' : 'mogelijk');
      const e = err as { code?: string; responseCode?: number };
      const tijdelijk = isTijdelijk(err);
      await casussen.pasToe(o.meldingId, { soort: 'bezorgpoging-mislukt', bericht: o.bericht, poging, smtpCode: e.responseCode ?? null, fout: e.code ?? 'onbekend', tijdelijk });
      if (!tijdelijk) {
        await mislukt(o, `SMTP_${e.responseCode ?? 0}`, 'de mailserver weigert het bericht blijvend');
        throw new UnrecoverableError(`${GEMELD}SMTP ${e.responseCode}`);
      }
      throw new Error(`SMTP ${e.code ?? ''} ${e.responseCode ?? ''}`.trim());
    }
    // 5. Record. Sent: from here on never send again. Recording it rides out a short Redis outage in
    // this job rather than failing it (a retry would send a second copy).
    await metHerhaling(() => casussen.pasToe(o.meldingId, {
      soort: 'verzonden', bericht: o.bericht, ontvanger: o.ontvanger, mailbox: doel!.mailbox, bezorging: kanaal!.naam, poging,
      smtpAntwoord: bewijs.smtpAntwoord, messageId, markering: jobId(o),
    }));
    metrics.bezorgd.inc({ kanaal: kanaal!.naam, bericht: o.bericht });
    return { smtpAntwoord: bewijs.smtpAntwoord };
  }

  return { verwerk, mislukt };
}

export type Bezorging = ReturnType<typeof createBezorging>;
