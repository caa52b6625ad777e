// Repository of meldingen in Redis, the system of record. One Lua script writes a new case, its
// idempotency key, its indexes and its outbox entry atomically, so a 201 never stands for half a case.
// Personal data lives only inside the encrypted `gegevens` field.
import type { Redis } from 'ioredis';
import { SignaalbrugError } from '../errors.js';
import type { Melding, Soort } from '../domain/melding.js';
import type { Sleutelring } from './sleutelring.js';

export type Status =
  | 'ontvangen' | 'verzonden' | 'gelezen' | 'teruggekoppeld' | 'geescaleerd' | 'bezorging-mislukt' | 'ingetrokken' | 'afgesloten';

export interface Gebeurtenis {
  soort: string;
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
  }

  private key(...delen: string[]): string {
    return [this.prefix, ...delen].join(':');
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
    const [ok, waarde] = (await opslag(() => (this.redis as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>).sbBewaarMelding!(
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

  async gebeurtenissen(id: string): Promise<Gebeurtenis[]> {
    const items = await opslag(() => this.redis.lrange(this.key('melding', id, 'gebeurtenissen'), 0, -1));
    return items.map((s) => JSON.parse(s) as Gebeurtenis);
  }
}
