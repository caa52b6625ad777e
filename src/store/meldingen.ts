// Repository of meldingen in Redis, the system of record. One Lua script writes a new case, its
// idempotency key, its indexes and its outbox entry atomically, so a 201 never stands for half a case.
// Personal data lives only inside the encrypted `gegevens` field.
import type { Redis } from 'ioredis';
import { SignaalbrugError } from '../errors.js';
import type { Melding, Soort } from '../domain/melding.js';
import type { Sleutelring } from './sleutelring.js';

import { volgendeStatus, type Gebeurtenissoort, type Status } from '../domain/status.js';

export type { Status };

export interface Gebeurtenis {
  soort: Gebeurtenissoort;
  op: string;
  [detail: string]: unknown;
}

export interface MeldingRecord {
  id: string;
  oin: string;
  wijkteam: string;
  wijkteamOin: string;
  soort: Soort;
  status: Status;
  ontvangenOp: string;
  terugkoppelingUiterlijk: string;
  gegevens: Melding;
}

export type BewaarUitkomst =
  | { nieuw: true; record: MeldingRecord }
  | { nieuw: false; id: string; zelfdeInhoud: boolean };

// KEYS: idem, case, events, idx-corp, idx-wijkteam, outbox
// ARGV: id, fingerprint, score, event, then field/value pairs of the case hash
const BEWAAR_LUA = `
local bestaand = redis.call('GET', KEYS[1])
if bestaand then return {0, bestaand} end
redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. ARGV[2])
redis.call('HSET', KEYS[2], unpack(ARGV, 5))
redis.call('RPUSH', KEYS[3], ARGV[4])
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[5], ARGV[3], ARGV[1])
redis.call('XADD', KEYS[6], '*', 'melding', ARGV[1], 'actie', 'bezorgen')
return {1, ARGV[1]}
`;

// One state change, all or nothing: compare-and-set of the status, the event, and what must happen
// with it (delivered-marker, timers stopped or planned, an outbox entry, the corporation's feed).
// KEYS: case, events, marker|'', timers zset, outbox, feed|''
// ARGV: expected status, new status, event, time, gate member|'', JSON {velden, stop, plan, outbox, feed}
const REGISTREER_LUA = `
if redis.call('HGET', KEYS[1], 'status') ~= ARGV[1] then return 0 end
if ARGV[5] ~= '' and redis.call('ZREM', KEYS[4], ARGV[5]) == 0 then return -1 end
local x = cjson.decode(ARGV[6])
if ARGV[2] ~= ARGV[1] then redis.call('HSET', KEYS[1], 'status', ARGV[2]) end
redis.call('RPUSH', KEYS[2], ARGV[3])
if KEYS[3] ~= '' then redis.call('SET', KEYS[3], ARGV[4]) end
for k, v in pairs(x.velden) do redis.call('HSET', KEYS[1], k, v) end
for _, lid in ipairs(x.stop) do redis.call('ZREM', KEYS[4], lid) end
for _, p in ipairs(x.plan) do redis.call('ZADD', KEYS[4], p[2], p[1]) end
if #x.outbox > 0 then redis.call('XADD', KEYS[5], '*', unpack(x.outbox)) end
if KEYS[6] ~= '' then redis.call('XADD', KEYS[6], '*', unpack(x.feed)) end
return 1
`;

export interface RegistreerOpties {
  /** Mark one message as delivered (by its job id) in the same step. */
  bezorgd?: string;
  /** A timer that must still be pending; it is claimed (removed), or nothing happens (returns undefined). */
  poort?: string;
  /** Timers to cancel, e.g. on feedback or withdrawal. */
  stop?: string[];
  /** Timers to plan: member and due time (ms). */
  plan?: [string, number][];
  /** Extra case fields (already encrypted where personal). */
  velden?: Record<string, string>;
  /** An outbox entry: what the relay must do next (e.g. send the escalation). */
  outbox?: Record<string, string>;
  /** Only from these statuses; otherwise SB_CONFLICT (checked under the same compare-and-set). */
  alleenVanuit?: readonly Status[];
  /** An entry in the sending corporation's feed (GET /v1/terugkoppelingen). */
  feed?: { oin: string; velden: Record<string, string> };
}

/** Canonical JSON (sorted keys) so the same melding always has the same fingerprint. */
export function canoniek(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canoniek).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canoniek((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/**
 * Run a Redis call; any failure of Redis itself becomes a 503 problem. A write whose reply was lost
 * may still have landed, which is safe: the caller retries and gets the idempotent replay.
 */
export async function opslag<T>(werk: () => Promise<T>): Promise<T> {
  try {
    return await werk();
  } catch (err) {
    if (err instanceof SignaalbrugError) throw err;
    throw new SignaalbrugError('SB_OPSLAG_ONBEREIKBAAR', 'de opslag is tijdelijk niet bereikbaar; probeer het later opnieuw', undefined, err);
  }
}

export class MeldingenRepo {
  constructor(
    private readonly redis: Redis,
    private readonly sleutels: Sleutelring,
    private readonly prefix: string,
  ) {
    redis.defineCommand('sbBewaarMelding', { numberOfKeys: 6, lua: BEWAAR_LUA });
    redis.defineCommand('sbRegistreer', { numberOfKeys: 6, lua: REGISTREER_LUA });
  }

  private key(...delen: string[]): string {
    return [this.prefix, ...delen].join(':');
  }

  private lua(naam: string, ...args: (string | number)[]): Promise<unknown> {
    return (this.redis as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[naam]!(...args);
  }

  get outboxKey(): string {
    return this.key('outbox');
  }

  async bewaar(nieuw: Omit<MeldingRecord, 'status'>): Promise<BewaarUitkomst> {
    const { id, oin, gegevens } = nieuw;
    const idem = this.key('idem', this.sleutels.pseudoniem('idem', oin, gegevens.referentie));
    const vingerafdruk = this.sleutels.pseudoniem('vingerafdruk', canoniek(gegevens));
    const record: MeldingRecord = { ...nieuw, status: 'ontvangen' };
    const velden: Record<string, string> = {
      id, oin, wijkteam: nieuw.wijkteam, wijkteamOin: nieuw.wijkteamOin, soort: nieuw.soort, status: record.status,
      ontvangenOp: nieuw.ontvangenOp, terugkoppelingUiterlijk: nieuw.terugkoppelingUiterlijk,
      gegevens: this.sleutels.versleutel(JSON.stringify(gegevens), id),
    };
    const gebeurtenis: Gebeurtenis = { soort: 'ontvangen', op: nieuw.ontvangenOp };
    const [ok, waarde] = (await opslag(() => this.lua('sbBewaarMelding',
      idem, this.key('melding', id), this.key('melding', id, 'gebeurtenissen'),
      this.key('idx', 'corporatie', oin), this.key('idx', 'wijkteam', nieuw.wijkteam), this.outboxKey,
      id, vingerafdruk, Date.parse(nieuw.ontvangenOp), JSON.stringify(gebeurtenis), ...Object.entries(velden).flat(),
    ))) as [number, string];
    if (ok === 1) return { nieuw: true, record };
    const [bestaandId = '', bestaandeAfdruk] = waarde.split(' ');
    return { nieuw: false, id: bestaandId, zelfdeInhoud: bestaandeAfdruk === vingerafdruk };
  }

  async haal(id: string): Promise<MeldingRecord | undefined> {
    const h = await opslag(() => this.redis.hgetall(this.key('melding', id)));
    if (!h.id) return undefined;
    return {
      id: h.id, oin: h.oin!, wijkteam: h.wijkteam!, wijkteamOin: h.wijkteamOin!, soort: h.soort as Soort,
      status: h.status as Status, ontvangenOp: h.ontvangenOp!, terugkoppelingUiterlijk: h.terugkoppelingUiterlijk!,
      gegevens: JSON.parse(this.sleutels.ontsleutel(h.gegevens!, id)) as Melding,
    };
  }

  /** The case without its personal data (no decryption), e.g. to plan deliveries. */
  async haalMeta(id: string): Promise<Omit<MeldingRecord, 'gegevens'> | undefined> {
    const [soort, oin, wijkteam, wijkteamOin, status, ontvangenOp, terugkoppelingUiterlijk] = await opslag(() =>
      this.redis.hmget(this.key('melding', id), 'soort', 'oin', 'wijkteam', 'wijkteamOin', 'status', 'ontvangenOp', 'terugkoppelingUiterlijk'));
    if (!soort) return undefined;
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
    const extra = JSON.stringify({
      velden: o.velden ?? {}, stop: o.stop ?? [], plan: o.plan ?? [], outbox: plat(o.outbox), feed: plat(o.feed?.velden),
    });
    for (let poging = 0; poging < 20; poging++) {
      const huidig = (await opslag(() => this.redis.hget(caseKey, 'status'))) as Status | null;
      if (!huidig) throw new SignaalbrugError('SB_NIET_GEVONDEN', 'melding niet gevonden');
      if (o.alleenVanuit && !o.alleenVanuit.includes(huidig))
        throw new SignaalbrugError('SB_CONFLICT', `de melding is ${huidig}; dit kan nu niet meer`);
      const volgende = volgendeStatus(huidig, gebeurtenis.soort);
      const ok = await opslag(() => this.lua('sbRegistreer', caseKey, this.key('melding', id, 'gebeurtenissen'),
        o.bezorgd ? this.key('bezorgd', o.bezorgd) : '', this.termijnenKey, this.outboxKey, o.feed ? this.feedKey(o.feed.oin) : '',
        huidig, volgende, JSON.stringify(gebeurtenis), gebeurtenis.op, o.poort ?? '', extra));
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
