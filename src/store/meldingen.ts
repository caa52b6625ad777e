// Repository of meldingen in Redis, the system of record. One Lua script writes a new case, its
// idempotency key, its indexes, its outbox entry and its logboek record atomically, so a 201 never
// stands for half a case. Personal data lives only inside the encrypted `gegevens` field.
import type { Redis } from 'ioredis';
import { SignaalbrugError } from '../errors.js';
import type { Melding, Soort } from '../domain/melding.js';
import type { Sleutelring } from './sleutelring.js';
import { volgendeStatus, type Status } from '../domain/status.js';
import { nieuwSpoor, verwerking } from '../domain/verwerking.js';
import { logboekVelden } from './logboek-lua.js';
import { BEWAAR_LUA, REGISTREER_LUA } from './meldingen-lua.js';
import type { BewaarOpties, BewaarUitkomst, Gebeurtenis, MeldingRecord, RegistreerOpties } from './meldingen-typen.js';
import { canoniek, opslag } from './opslag.js';

export type { Status };

export type { BewaarOpties, BewaarUitkomst, Gebeurtenis, Logboekactie, MeldingRecord, RegistreerOpties } from './meldingen-typen.js';
export { canoniek, opslag } from './opslag.js';

/** The intake script, defined on every connection that writes new cases. */
const BEWAAR = { numberOfKeys: 8, lua: BEWAAR_LUA };

export class MeldingenRepo {
  /** Connections the intake writes take turns on (the first is the repository's own). */
  private intake: Redis[];
  private volgende = 0;

  constructor(
    private readonly redis: Redis,
    private readonly sleutels: Sleutelring,
    private readonly prefix: string,
    /** Base URI of the register of processing activities, for `dpl.core.processing_activity_id`. */
    private readonly register = 'urn:signaalbrug:verwerkingsregister',
  ) {
    redis.defineCommand('sbBewaarMelding', BEWAAR);
    redis.defineCommand('sbRegistreer', { numberOfKeys: 8, lua: REGISTREER_LUA });
    this.intake = [redis];
  }

  /** Spread new cases over these connections as well (see config redis.intakeVerbindingen). */
  verspreidIntakeOver(extra: Redis[]): void {
    for (const r of extra) r.defineCommand('sbBewaarMelding', BEWAAR);
    this.intake = [this.redis, ...extra];
  }

  /** The data subject's keyed pseudonym: (corporation OIN, relatienummer), never reversible without the key. */
  betrokkene(oin: string, relatienummer: string): string {
    return this.sleutels.pseudoniem('betrokkene', oin, relatienummer);
  }

  betrokkeneKey(pseudoniem: string): string {
    return this.key('idx', 'betrokkene', pseudoniem);
  }

  /** The cases that still hold personal data of this data subject (the index written at intake). */
  async meldingenVan(pseudoniem: string): Promise<string[]> {
    return (await opslag(() => this.redis.smembers(this.betrokkeneKey(pseudoniem)))).sort();
  }

  get logboekKey(): string {
    return this.key('logboek');
  }

  get bewaartermijnenKey(): string {
    return this.key('bewaartermijnen');
  }

  private key(...delen: string[]): string {
    return [this.prefix, ...delen].join(':');
  }

  private lua(naam: string, ...args: (string | number)[]): Promise<unknown> {
    return this.luaOp(this.redis, naam, ...args);
  }

  private luaOp(redis: Redis, naam: string, ...args: (string | number)[]): Promise<unknown> {
    return (redis as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[naam]!(...args);
  }

  get outboxKey(): string {
    return this.key('outbox');
  }

  async bewaar(nieuw: Omit<MeldingRecord, 'status'>, o: BewaarOpties = {}): Promise<BewaarUitkomst> {
    const { id, oin, gegevens } = nieuw;
    const idemHash = this.sleutels.pseudoniem('idem', oin, gegevens.referentie);
    // The validated melding's JSON is canonical: the schema builds it in its own key order, whatever
    // order the request had. The prefix tells it from fingerprints of sorted JSON (canoniek) written
    // by earlier versions, which a replay still matches below.
    const json = JSON.stringify(gegevens);
    const vingerafdruk = `j:${this.sleutels.pseudoniem('vingerafdruk', json)}`;
    const record: MeldingRecord = { ...nieuw, status: 'ontvangen' };
    const betrokkene = this.betrokkene(oin, gegevens.huurder.relatienummer);
    const spoor = o.spoor ?? nieuwSpoor();
    const span = verwerking({ actie: 'melding-ontvangen', spoor, register: this.register, betrokkene, oin, meldingId: id,
      start: new Date(nieuw.ontvangenOp), extra: { soort: nieuw.soort, wijkteam: nieuw.wijkteam } });
    const gebeurtenis: Gebeurtenis = { soort: 'ontvangen', op: nieuw.ontvangenOp };
    const ms = Date.parse(nieuw.ontvangenOp);
    // One flat argument list, built in place (spreading and .flat() showed up in the intake profile).
    const args: (string | number)[] = [
      this.key('idem', idemHash), this.key('melding', id), this.key('melding', id, 'gebeurtenissen'),
      this.key('idx', 'corporatie', oin), this.outboxKey, this.betrokkeneKey(betrokkene), this.logboekKey, this.bewaartermijnenKey,
      id, vingerafdruk, ms, JSON.stringify(gebeurtenis), ms, o.verwijderUiterlijk ?? '',
    ];
    for (const v of logboekVelden(span)) args.push(v);
    // The case hash. Pseudonymous only besides `gegevens`: betrokkene, idem and the trace ids serve
    // the logboek, retention (idem key, index) and later spans of this trace.
    args.push('id', id, 'oin', oin, 'wijkteam', nieuw.wijkteam, 'wijkteamOin', nieuw.wijkteamOin, 'soort', nieuw.soort,
      'status', record.status, 'ontvangenOp', nieuw.ontvangenOp, 'terugkoppelingUiterlijk', nieuw.terugkoppelingUiterlijk,
      'gegevens', this.sleutels.versleutel(json, id), 'betrokkene', betrokkene, 'idem', idemHash,
      'traceId', span.traceId, 'spanId', span.spanId);
    const verbinding = this.intake[this.volgende++ % this.intake.length]!;
    const [ok, waarde] = (await opslag(() => this.luaOp(verbinding, 'sbBewaarMelding', ...args))) as [number, string];
    if (ok === 1) return { nieuw: true, record };
    const [bestaandId = '', bestaandeAfdruk] = waarde.split(' ');
    const zelfdeInhoud = bestaandeAfdruk?.startsWith('j:')
      ? bestaandeAfdruk === vingerafdruk
      : bestaandeAfdruk === this.sleutels.pseudoniem('vingerafdruk', canoniek(gegevens));
    return { nieuw: false, id: bestaandId, zelfdeInhoud };
  }

  async haal(id: string): Promise<MeldingRecord | undefined> {
    const h = await opslag(() => this.redis.hgetall(this.key('melding', id)));
    // Personal data removed (retention or the tenant's request): for every reader it no longer exists.
    if (!h.id || !h.gegevens) return undefined;
    return {
      id: h.id, oin: h.oin!, wijkteam: h.wijkteam!, wijkteamOin: h.wijkteamOin!, soort: h.soort as Soort,
      status: h.status as Status, ontvangenOp: h.ontvangenOp!, terugkoppelingUiterlijk: h.terugkoppelingUiterlijk!,
      gegevens: JSON.parse(this.sleutels.ontsleutel(h.gegevens!, id)) as Melding,
    };
  }

  /** The case without its personal data (no decryption), e.g. to plan deliveries. */
  async haalMeta(id: string): Promise<Omit<MeldingRecord, 'gegevens'> | undefined> {
    const [soort, oin, wijkteam, wijkteamOin, status, ontvangenOp, terugkoppelingUiterlijk, verwijderdOp] = await opslag(() =>
      this.redis.hmget(this.key('melding', id), 'soort', 'oin', 'wijkteam', 'wijkteamOin', 'status', 'ontvangenOp', 'terugkoppelingUiterlijk', 'verwijderdOp'));
    if (!soort || verwijderdOp) return undefined;
    return { id, soort: soort as Soort, oin: oin!, wijkteam: wijkteam!, wijkteamOin: wijkteamOin!, status: status as Status, ontvangenOp: ontvangenOp!, terugkoppelingUiterlijk: terugkoppelingUiterlijk! };
  }

  /**
   * Record an event and apply the state machine atomically (compare-and-set on the status in Lua,
   * safe on a shared connection; retried when another writer moved the case first). Returns the new
   * status, or undefined when the `poort` timer was already claimed or cancelled.
   */
  async registreer(id: string, gebeurtenis: Gebeurtenis, o: RegistreerOpties = {}): Promise<Status | undefined> {
    const caseKey = this.key('melding', id);
    const plat = (r: Record<string, string> | undefined) => Object.entries(r ?? {}).flat();
    for (let poging = 0; poging < 20; poging++) {
      const [huidig, betrokkene, traceId, spanId] = (await opslag(() =>
        this.redis.hmget(caseKey, 'status', 'betrokkene', 'traceId', 'spanId'))) as [Status | null, ...(string | null)[]];
      if (!huidig) throw new SignaalbrugError('SB_NIET_GEVONDEN', 'melding niet gevonden');
      if (o.alleenVanuit && !o.alleenVanuit.includes(huidig))
        throw new SignaalbrugError('SB_CONFLICT', `de melding is ${huidig}; dit kan nu niet meer`);
      const volgende = volgendeStatus(huidig, gebeurtenis.soort);
      const l = o.logboek;
      const span = l && verwerking({
        actie: l.actie, oin: l.oin, register: this.register, betrokkene: betrokkene ?? 'onbekend', meldingId: id,
        spoor: l.spoor ?? (traceId ? { traceId, ...(spanId ? { parentSpanId: spanId } : {}) } : nieuwSpoor()),
        start: l.start ?? new Date(gebeurtenis.op), eind: new Date(gebeurtenis.op), extra: l.extra,
      });
      const extra = JSON.stringify({
        id, velden: o.velden ?? {}, stop: o.stop ?? [], plan: o.plan ?? [], outbox: plat(o.outbox), feed: plat(o.feed?.velden),
        ...(span ? { logboek: logboekVelden(span), ms: String(Date.parse(gebeurtenis.op)) } : {}),
        ...(o.verwijderUiterlijk !== undefined ? { bewaar: String(o.verwijderUiterlijk) } : {}),
      });
      const ok = await opslag(() => this.lua('sbRegistreer', caseKey, this.key('melding', id, 'gebeurtenissen'),
        o.bezorgd ? this.key('bezorgd', o.bezorgd) : '', this.termijnenKey, this.outboxKey, o.feed ? this.feedKey(o.feed.oin) : '',
        this.logboekKey, this.bewaartermijnenKey, huidig, volgende, JSON.stringify(gebeurtenis), gebeurtenis.op, o.poort ?? '', extra));
      if (ok === 1) return volgende;
      if (ok === -1) return undefined;
    }
    throw new SignaalbrugError('SB_OPSLAG_ONBEREIKBAAR', 'te veel gelijktijdige wijzigingen op deze melding');
  }

  get termijnenKey(): string {
    return this.key('termijnen');
  }

  feedKey(oin: string): string {
    return this.key('feed', oin);
  }

  /** Timers due at or before `nu` (ms), oldest first: members `<meldingId>|<actie>`. */
  async verstrekenTermijnen(nu: number, max = 500): Promise<string[]> {
    return opslag(() => this.redis.zrangebyscore(this.termijnenKey, '-inf', nu, 'LIMIT', 0, max));
  }

  async termijn(lid: string): Promise<number | undefined> {
    const s = await opslag(() => this.redis.zscore(this.termijnenKey, lid));
    return s === null ? undefined : Number(s);
  }

  async stopTermijnen(leden: string[]): Promise<void> {
    if (leden.length) await opslag(() => this.redis.zrem(this.termijnenKey, ...leden));
  }

  async plan(termijnen: [string, number][]): Promise<void> {
    if (termijnen.length) await opslag(() => this.redis.zadd(this.termijnenKey, ...termijnen.flatMap(([lid, op]) => [op, lid])));
  }

  /** One page of a corporation's feed after `sinds` (exclusive), oldest first. */
  async feed(oin: string, sinds: string, max: number): Promise<[string, Record<string, string>][]> {
    const start = sinds === '0' ? '-' : `(${sinds}`;
    const r = (await opslag(() => this.redis.xrange(this.feedKey(oin), start, '+', 'COUNT', max))) as [string, string[]][];
    return r.map(([id, velden]) => [id, Object.fromEntries(velden.flatMap((v, i) => (i % 2 ? [] : [[v, velden[i + 1]!]])))]);
  }

  async veld(id: string, naam: string): Promise<string | undefined> {
    return (await opslag(() => this.redis.hget(this.key('melding', id), naam))) ?? undefined;
  }

  async isBezorgd(berichtId: string): Promise<boolean> {
    return (await opslag(() => this.redis.exists(this.key('bezorgd', berichtId)))) === 1;
  }

  async gebeurtenissen(id: string): Promise<Gebeurtenis[]> {
    const items = await opslag(() => this.redis.lrange(this.key('melding', id, 'gebeurtenissen'), 0, -1));
    return items.map((s) => JSON.parse(s) as Gebeurtenis);
  }
}
