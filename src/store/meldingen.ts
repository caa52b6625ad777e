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

// KEYS: case, events, delivered-marker ('' for none); ARGV: expected status, new status, event, time
const REGISTREER_LUA = `
if redis.call('HGET', KEYS[1], 'status') ~= ARGV[1] then return 0 end
if ARGV[2] ~= ARGV[1] then redis.call('HSET', KEYS[1], 'status', ARGV[2]) end
redis.call('RPUSH', KEYS[2], ARGV[3])
if KEYS[3] ~= '' then redis.call('SET', KEYS[3], ARGV[4]) end
return 1
`;

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
    redis.defineCommand('sbRegistreer', { numberOfKeys: 3, lua: REGISTREER_LUA });
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
   * Record an event and apply the state machine atomically: a compare-and-set on the status in Lua
   * (safe on a shared connection, unlike WATCH), retried when another writer moved the case first.
   * `bezorgd` also sets the delivered-marker of one message in the same step.
   */
  async registreer(id: string, gebeurtenis: Gebeurtenis, opties: { bezorgd?: string } = {}): Promise<Status> {
    const caseKey = this.key('melding', id);
    const markeer = opties.bezorgd ? this.key('bezorgd', opties.bezorgd) : '';
    for (let poging = 0; poging < 20; poging++) {
      const huidig = (await opslag(() => this.redis.hget(caseKey, 'status'))) as Status | null;
      if (!huidig) throw new SignaalbrugError('SB_NIET_GEVONDEN', 'melding niet gevonden');
      const volgende = volgendeStatus(huidig, gebeurtenis.soort);
      const ok = await opslag(() => this.lua('sbRegistreer', caseKey, this.key('melding', id, 'gebeurtenissen'), markeer,
        huidig, volgende, JSON.stringify(gebeurtenis), gebeurtenis.op));
      if (ok === 1) return volgende;
    }
    throw new SignaalbrugError('SB_OPSLAG_ONBEREIKBAAR', 'te veel gelijktijdige wijzigingen op deze melding');
  }

  async isBezorgd(berichtId: string): Promise<boolean> {
    return (await opslag(() => this.redis.exists(this.key('bezorgd', berichtId)))) === 1;
  }

  async gebeurtenissen(id: string): Promise<Gebeurtenis[]> {
    const items = await opslag(() => this.redis.lrange(this.key('melding', id, 'gebeurtenissen'), 0, -1));
    return items.map((s) => JSON.parse(s) as Gebeurtenis);
  }
}
