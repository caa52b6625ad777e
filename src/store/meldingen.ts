// The store of cases in Redis, the system of record. It executes what the services computed with the
// domain's rules and knows none of them: a new case in one script (case, idempotency key, indexes,
// timers, outbox entry, logboek record), a transition in another (compare-and-set on the status).
// Personal data arrives here encrypted by the services and lives only in the encrypted fields of the
// case hash: `gegevens` and `herhaling` (compact binary ciphertexts, stored and read as bytes), and
// feedback, outcomes and updates.
import type { Redis } from 'ioredis';
import type { Casus, Gebeurtenis, Mijlpaal, NieuweCasus, Overgang } from '../domain/overgangen.js';
import type { Soort } from '../domain/melding.js';
import type { Status } from '../domain/status.js';
import { gebeurtenisRegels, gebeurtenisTekst, uitGebeurtenisTekst } from './gebeurtenis-velden.js';
import { logboekVelden } from './logboek-velden.js';
import { definieerScripts, SCRIPTS, voerScriptUit } from './lua.js';
import { momentVeld, opslag, uitMomentVeld } from './opslag.js';
import { EMMER, EMMERVELD, isBlobveld, type RedisNamen } from './redis-namen.js';
import { generatie, wachtOpReplicas, type Replicabevestiging } from './redis.js';
import type { Versleuteld } from './sleutelring.js';

export type { Gebeurtenis };

/** A new case as the intake service built it: the domain's part, and the encrypted and keyed values. */
export interface NieuwRecord extends NieuweCasus {
  /** The melding, encrypted in the compact binary format (AAD: the case id). */
  gegevens: Buffer;
  /** Keyed hash of (corporation, referentie): the idempotency key. */
  idem: string;
  /** Keyed fingerprint of the validated melding: tells a replay from a different melding. */
  vingerafdruk: string;
  /** The link to an earlier melding of the same data subject (repeat signal), encrypted as `gegevens`. */
  herhaling?: Buffer;
  /** Start of the repeat window (ms): a melding of the data subject received since then is an earlier signal. */
  herhalingVanaf: number;
  /** The data subject's latest melding within the window that `herhaling` links to (absent: none). */
  vorige?: string;
  /** Keep the link as given, without looking for a later melding (the intake's last round under a flood). */
  vorigeVast?: boolean;
}

/**
 * What keeping a new case did: stored; not stored because the idempotency entry exists (a replay, or
 * a conflict); or not stored because the data subject's latest melding within the repeat window is
 * another than `vorige` said (`laatste`, or none): link to that one and keep it again.
 */
export type Bewaaruitkomst =
  | { uitkomst: 'nieuw' }
  | { uitkomst: 'bestaand'; id: string; vingerafdruk: string | undefined }
  | { uitkomst: 'andere-vorige'; laatste: string | undefined };

/** What a transition did: done, the status moved meanwhile (compute again), or its gate timer was gone. */
export type Uitvoering = 'gedaan' | 'verschoven' | 'poort-weg';

/** The case with the store's own bookkeeping. */
export type Opgeslagen = Casus & { verwijderdOp?: string };

/** The case's once-only milestone fields (typed by the domain, so none is missed). */
const MIJLPAALVELDEN = Object.keys({
  geescaleerdOp: 1, opgepaktOp: 1, uitkomstOp: 1, tweedeEscalatieOp: 1, ontruimingsdatumOp: 1,
} satisfies Record<Mijlpaal, 1>) as Mijlpaal[];

/** A record as a flat field list (`Array.prototype.flat` is several times slower on this hot path). */
function plat(r: Record<string, string> | undefined): string[] {
  const uit: string[] = [];
  for (const k in r) uit.push(k, r[k]!);
  return uit;
}

export class MeldingenStore {
  /** Connections the intake writes take turns on (the first is the store's own). */
  private intake: Redis[];
  private volgende = 0;

  /**
   * @param bevestiging config redis.replicaBevestiging: a new case (and bevestigd()'s writes) is
   * acknowledged only once that many replicas have it.
   */
  constructor(private readonly redis: Redis, private readonly namen: RedisNamen, private readonly bevestiging?: Replicabevestiging) {
    definieerScripts(redis);
    this.intake = [redis];
  }

  /** Spread new cases over these connections as well (config redis.intakeVerbindingen). */
  verspreidIntakeOver(extra: Redis[]): void {
    this.intake = [this.redis, ...extra];
  }

  async bewaar(n: NieuwRecord): Promise<Bewaaruitkomst> {
    const c = n.casus;
    const k = this.namen;
    const ms = Date.parse(c.ontvangenOp);
    // The case is one hash (Redis keeps it as a listpack: see the README on hash-max-listpack-value):
    // pseudonymous fields, the ciphertexts of the melding and the repeat link as bytes, and the
    // events. Its id is in its key.
    const velden = ['oin', c.oin, 'wijkteam', c.wijkteam, 'wijkteamOin', c.wijkteamOin, 'soort', c.soort,
      'status', c.status, 'ontvangenOp', momentVeld(c.ontvangenOp), 'terugkoppelingUiterlijk', c.terugkoppelingUiterlijk,
      // of the idempotency entry's keyed hash only what names it (bucket and field), for erasure
      'betrokkene', c.betrokkene, 'idem', n.idem.slice(0, EMMER + EMMERVELD),
      // the trace the case continues: one field (`<traceId>-<spanId>`), as W3C traceparent spells them
      ...(c.traceId && c.spanId ? ['spoor', `${c.traceId}-${c.spanId}`] : []),
      ...(c.gemeente ? ['gemeente', c.gemeente] : [])];
    const verbinding = this.intake[this.volgende++ % this.intake.length]!;
    const sinds = generatie(verbinding);
    const idem = k.idemPlek(n.idem);
    const betrokkene = k.betrokkenePlek(c.betrokkene);
    const [ok, waarde] = (await opslag(() => voerScriptUit(verbinding, SCRIPTS.nieuweMelding, {
      idem: k.idem(n.idem), idemEmmer: idem.key, melding: k.melding(c.id), corporatieStroom: k.corporatieStroom(c.oin),
      outbox: k.outbox(), betrokkeneEmmer: betrokkene.key, logboek: k.logboek(), termijnen: k.termijnen(),
      termijnEmmer: k.termijnEmmer(c.id), termijnEmmers: k.termijnEmmers(), betrokkeneIndex: k.betrokkeneIndex(c.betrokkene),
    }, {
      id: c.id, vingerafdruk: n.vingerafdruk, gebeurtenis: gebeurtenisTekst(n.gebeurtenis), gegevens: n.gegevens, herhaling: n.herhaling ?? '',
      idemVeld: idem.veld, betrokkeneVeld: betrokkene.veld, vanaf: String(n.herhalingVanaf), vorige: n.vorige ?? '', vast: n.vorigeVast ? '1' : '',
      extra: JSON.stringify({ velden, ms, outbox: plat(n.outbox), plan: n.plan, logboek: logboekVelden(n.logboek), bewaar: n.verwijderUiterlijk }),
    }))) as [number, string];
    // Nothing written: the caller links to the latest melding and keeps the case again.
    if (ok === 2) return { uitkomst: 'andere-vorige', laatste: waarde || undefined };
    // WAIT on the connection that wrote; a replay (the client's retry) waits too before it answers.
    if (this.bevestiging) await wachtOpReplicas(verbinding, this.bevestiging, sinds, ok === 1 ? {} : { schrijfEerst: this.namen.bevestiging() });
    if (ok === 1) return { uitkomst: 'nieuw' };
    const [id = '', vingerafdruk] = waarde.split(' ');
    return { uitkomst: 'bestaand', id, vingerafdruk };
  }

  /** The case's metadata and pseudonyms (no personal data), also after its personal data was removed. */
  async casus(id: string): Promise<Opgeslagen | undefined> {
    const [soort, oin, wijkteam, wijkteamOin, status, ontvangenOp, terugkoppelingUiterlijk, betrokkene, spoor, traceIdVoor, spanIdVoor, gemeente, verwijderdOp,
      ...mijlpalen] = await opslag(() => this.redis.hmget(this.namen.melding(id), 'soort', 'oin', 'wijkteam', 'wijkteamOin', 'status', 'ontvangenOp',
      'terugkoppelingUiterlijk', 'betrokkene', 'spoor', 'traceId', 'spanId', 'gemeente', 'verwijderdOp', ...MIJLPAALVELDEN));
    if (!soort || !status) return undefined;
    // (a case written before keeps the trace in two fields)
    const [traceId, spanId] = spoor ? spoor.split('-') : [traceIdVoor, spanIdVoor];
    return {
      id, soort: soort as Soort, oin: oin!, wijkteam: wijkteam!, wijkteamOin: wijkteamOin!, status: status as Status, ontvangenOp: uitMomentVeld(ontvangenOp!),
      terugkoppelingUiterlijk: terugkoppelingUiterlijk!, betrokkene: betrokkene ?? 'onbekend',
      ...(traceId ? { traceId } : {}), ...(spanId ? { spanId } : {}), ...(gemeente ? { gemeente } : {}), ...(verwijderdOp ? { verwijderdOp } : {}),
      ...Object.fromEntries(MIJLPAALVELDEN.flatMap((m, i) => (mijlpalen[i] ? [[m, mijlpalen[i]]] : []))),
    };
  }

  /**
   * Run writes the API acknowledges (feedback, withdrawal, additions) and return only once the
   * replicas have them (config redis.replicaBevestiging; without it just run them). They go through
   * this store's own connection, so the WAIT there covers them; its publish covers a replay too.
   */
  async bevestigd<T>(werk: () => Promise<T>): Promise<T> {
    if (!this.bevestiging) return werk();
    const sinds = generatie(this.redis);
    const r = await werk();
    await wachtOpReplicas(this.redis, this.bevestiging, sinds, { schrijfEerst: this.namen.bevestiging() });
    return r;
  }

  /**
   * One field of the case (e.g. the encrypted `gegevens` or `terugkoppeling`). The ciphertexts in
   * bytes are read as bytes, from the case or from the string of their own they had before.
   */
  async veld(id: string, naam: string): Promise<Versleuteld | undefined> {
    if (!isBlobveld(naam)) return (await opslag(() => this.redis.hget(this.namen.melding(id), naam))) ?? undefined;
    const [nu, eerder] = await opslag(() => Promise.all([
      this.redis.hgetBuffer(this.namen.melding(id), naam), this.redis.getBuffer(this.namen.meldingBlob(id, naam))]));
    return nu ?? eerder ?? undefined;
  }

  /** Execute a transition atomically: all of it, or nothing when the status moved or the gate timer is gone. */
  async voerUit(o: Overgang): Promise<Uitvoering> {
    const k = this.namen;
    const extra = JSON.stringify({
      op: o.gebeurtenis.op, velden: plat(o.velden), eenmalig: o.eenmalig ?? '', stop: o.stop, plan: o.plan, outbox: plat(o.outbox), feed: plat(o.feed?.velden),
      ...(o.logboek ? { logboek: logboekVelden(o.logboek), ms: String(Date.parse(o.logboek.endTime)) } : {}),
      ...(o.verwijderUiterlijk !== undefined ? { bewaar: String(o.verwijderUiterlijk) } : {}),
      ...(o.bezorgd ? { bezorgd: k.bezorgdVeld(o.bezorgd).veld, bezorgdOp: Date.parse(o.gebeurtenis.op) } : {}),
    });
    const r = await opslag(() => voerScriptUit(this.redis, SCRIPTS.overgang, {
      melding: k.melding(o.meldingId), gebeurtenissen: k.gebeurtenissen(o.meldingId),
      termijnen: k.termijnen(), outbox: k.outbox(), feed: o.feed ? k.feed(o.feed.oin) : '', logboek: k.logboek(),
      termijnEmmer: k.termijnEmmer(o.meldingId), termijnEmmers: k.termijnEmmers(),
    }, { verwacht: o.van, nieuw: o.naar, gebeurtenis: gebeurtenisTekst(o.gebeurtenis), poort: o.poort ?? '', extra, id: o.meldingId }));
    return r === 1 ? 'gedaan' : r === -1 ? 'poort-weg' : 'verschoven';
  }

  /** The case's events, oldest first (the lines of its field, or the list key of a case written before). */
  async gebeurtenissen(id: string): Promise<Gebeurtenis[]> {
    const [regels, lijst] = await opslag(() => Promise.all([
      this.redis.hget(this.namen.melding(id), 'gebeurtenissen'), this.redis.lrange(this.namen.gebeurtenissen(id), 0, -1)]));
    return gebeurtenisRegels(lijst, regels).map(uitGebeurtenisTekst);
  }

  /**
   * The data subject's meldingen that still hold personal data, with their moment of receipt (ms):
   * the pseudonym's field in its bucket, and the sorted set per pseudonym of before.
   */
  private async betrokkeneItems(pseudoniem: string): Promise<{ id: string; ms: number }[]> {
    const plek = this.namen.betrokkenePlek(pseudoniem);
    const [items, eerder] = await opslag(() => Promise.all([
      this.redis.hget(plek.key, plek.veld), this.redis.zrange(this.namen.betrokkeneIndex(pseudoniem), '0', '-1', 'WITHSCORES')]));
    const uit = (items ?? '').split(' ').filter(Boolean).map((item) => {
      const dubbelepunt = item.indexOf(':');
      return { id: item.slice(dubbelepunt + 1), ms: Number(item.slice(0, dubbelepunt)) };
    });
    for (let i = 0; i + 1 < eerder.length; i += 2) uit.push({ id: eerder[i]!, ms: Number(eerder[i + 1]) });
    return uit;
  }

  /** The cases that still hold personal data of this data subject (the index written at intake). */
  async meldingenVan(pseudoniem: string): Promise<string[]> {
    return [...new Set((await this.betrokkeneItems(pseudoniem)).map((i) => i.id))].sort();
  }

  /** Whether the message was delivered: its marker on the case, or the key of a marker written before that. */
  async isBezorgd(markering: string): Promise<boolean> {
    const { melding, veld } = this.namen.bezorgdVeld(markering);
    const [nu, eerder] = await opslag(() => Promise.all([this.redis.hexists(melding, veld), this.redis.exists(this.namen.bezorgd(markering))]));
    return nu === 1 || eerder === 1;
  }

  /**
   * Due members at or before `nu` (ms), at most `max`, leaving out `overslaan`: those of the shared
   * sorted set of before first, then the buckets' in the order of their earliest member (each bucket
   * oldest first). Every due member is found, whatever was skipped before it.
   */
  private async verstrekenLeden(nu: number, max: number, overslaan: ReadonlySet<string>): Promise<(readonly [string, number])[]> {
    const uit: (readonly [string, number])[] = [];
    const neem = (r: string[]) => {
      for (let i = 0; i + 1 < r.length && uit.length < max; i += 2) if (!overslaan.has(r[i]!)) uit.push([r[i]!, Number(r[i + 1])]);
    };
    const genoeg = overslaan.size + max; // read this many per set: the skipped ones and a whole batch
    neem(await opslag(() => this.redis.zrangebyscore(this.namen.termijnen(), '-inf', nu, 'WITHSCORES', 'LIMIT', 0, genoeg)));
    if (uit.length >= max) return uit;
    const emmers = await opslag(() => this.redis.zrangebyscore(this.namen.termijnEmmers(), '-inf', nu));
    for (let i = 0; i < emmers.length && uit.length < max; i += 16) {
      const p = this.redis.pipeline();
      for (const e of emmers.slice(i, i + 16)) p.zrangebyscore(e, '-inf', nu, 'WITHSCORES', 'LIMIT', 0, genoeg);
      for (const [fout, r] of (await opslag(() => p.exec())) ?? []) {
        if (fout) throw fout;
        neem(r as string[]);
      }
    }
    return uit;
  }

  /**
   * Timers due at or before `nu` (ms), at most `max` members and none of `overslaan` (members this
   * round already tried): per member its due timers (`<meldingId>|<actie>` and their moments, oldest
   * first). A member is a case (its timers are fields of its hash) or a timer planned before they
   * moved there; a member that has nothing due (moved meanwhile, or not ours) comes back empty.
   */
  async verstrekenTermijnen(nu: number, max = 500, overslaan: ReadonlySet<string> = new Set()): Promise<{ lid: string; timers: [string, number][] }[]> {
    const leden = await this.verstrekenLeden(nu, max, overslaan);
    // Only the timer fields: the case's events and ciphertexts stay in Redis. A case hash in the
    // compact encoding answers one HSCAN call whole; a larger one may take more pages.
    const p = this.redis.pipeline();
    for (const [lid] of leden) if (!lid.includes('|')) p.hscan(this.namen.melding(lid), '0', 'MATCH', 't:*', 'COUNT', 1000);
    const eerste = (await opslag(() => p.exec())) ?? [];
    let i = 0;
    const rest = async (id: string, cursor: string): Promise<string[]> => {
      if (cursor === '0') return [];
      const [volgende, w] = await opslag(() => this.redis.hscan(this.namen.melding(id), cursor, 'MATCH', 't:*', 'COUNT', 1000));
      return [...w, ...(await rest(id, volgende))];
    };
    const perLid = await Promise.all(leden.map(async ([lid]) => {
      if (lid.includes('|')) return [];
      const [fout, r] = eerste[i++] ?? [];
      if (fout) throw fout;
      const [cursor, w] = r as [string, string[]];
      return [...w, ...(await rest(lid, cursor))];
    }));
    return leden.map(([lid, score], j) => {
      if (lid.includes('|')) return { lid, timers: [[lid, score]] };
      const w = perLid[j]!;
      // (pages of a large hash may repeat a field: once per timer)
      const velden = new Map(Array.from({ length: w.length / 2 }, (_, k) => [w[2 * k]!, Number(w[2 * k + 1])] as const));
      return { lid, timers: [...velden].flatMap(([veld, ms]): [string, number][] => (ms <= nu ? [[`${lid}|${veld.slice(2)}`, ms]] : []))
        .sort((a, b) => a[1] - b[1]) };
    });
  }

  /**
   * The scheduler's lease on one round of the timers (`token` names the holder): taken when free,
   * renewed or released only by its holder. Returns whether this holder has it.
   */
  async termijnslot(token: string, ms: number, actie: 'neem' | 'verleng' | 'geef-vrij'): Promise<boolean> {
    const k = this.namen.termijnslot();
    if (actie === 'neem') return (await opslag(() => this.redis.set(k, token, 'PX', ms, 'NX'))) === 'OK';
    return (await opslag(() => voerScriptUit(this.redis, SCRIPTS.slot, { slot: k }, { token, ms: actie === 'verleng' ? ms : 0 }))) === 1;
  }

  /** A pending timer's moment (ms): a field of its case, or a member planned before timers moved there. */
  async termijn(lid: string): Promise<number | undefined> {
    const [id, actie] = lid.split('|');
    const [veld, oud] = await opslag(() => Promise.all([
      id && actie ? this.redis.hget(this.namen.melding(id), `t:${actie}`) : null, this.redis.zscore(this.namen.termijnen(), lid)]));
    const s = veld ?? oud;
    return s === null ? undefined : Number(s);
  }

  /** Stop these timers (`<meldingId>|<actie>`, of any cases); each case moves to its next timer in the sorted set. */
  async stopTermijnen(leden: string[]): Promise<void> {
    const perCasus = new Map<string, string[]>();
    for (const lid of leden) {
      const [id, actie] = lid.split('|');
      if (id && actie) perCasus.set(id, [...(perCasus.get(id) ?? []), lid]);
    }
    await Promise.all([...perCasus].map(([id, timers]) => opslag(() => voerScriptUit(this.redis, SCRIPTS.termijnStop,
      { melding: this.namen.melding(id), termijnen: this.namen.termijnen(), termijnEmmer: this.namen.termijnEmmer(id), termijnEmmers: this.namen.termijnEmmers() },
      { id, leden: JSON.stringify(timers) }))));
  }

  /** One page of a corporation's feed after `sinds` (exclusive), oldest first. */
  async feed(oin: string, sinds: string, max: number): Promise<[string, Record<string, string>][]> {
    const start = sinds === '0' ? '-' : `(${sinds}`;
    const r = (await opslag(() => this.redis.xrange(this.namen.feed(oin), start, '+', 'COUNT', max))) as [string, string[]][];
    return r.map(([id, velden]) => [id, Object.fromEntries(velden.flatMap((v, i) => (i % 2 ? [] : [[v, velden[i + 1]!]])))]);
  }
}
