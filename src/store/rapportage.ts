// Reading cases in bulk for reports and operational gauges, and the corporations' own figures of
// 004 art. 9.5.3. Bounded work only, so intake stays fast: cases are found through the corporation
// indexes (streams by moment of receipt, kept after retention; sorted sets written before still
// read), read in pipelined batches, and the indexes themselves are found with SCAN in batches. Ciphertexts come back as they are; the
// service decrypts what it needs.
import type { Redis } from 'ioredis';
import type { Gebeurtenis } from '../domain/overgangen.js';
import type { CasusMeta } from '../domain/rapportage.js';
import type { Soort } from '../domain/melding.js';
import type { Status } from '../domain/status.js';
import { gebeurtenisRegels, uitGebeurtenisTekst } from './gebeurtenis-velden.js';
import { opslag, uitMomentVeld } from './opslag.js';
import type { RedisNamen } from './redis-namen.js';

/** A case as stored: metadata, events, and the ciphertexts asked for (absent once removed). */
export interface RuweCasus extends CasusMeta {
  verwijderdOp?: string;
  gebeurtenissen: Gebeurtenis[];
  eindresultaat?: string;
  terugkoppeling?: string;
  /** Bytes: the compact binary ciphertext (or the text of an older one). */
  gegevens?: Buffer;
}

export interface Leesopties {
  /** Also the events (reports; the gauges need none). */
  gebeurtenissen?: boolean;
  /** These encrypted fields as well. */
  versleuteld?: readonly ('eindresultaat' | 'terugkoppeling' | 'gegevens')[];
}

const VELDEN = ['oin', 'wijkteam', 'wijkteamOin', 'soort', 'status', 'ontvangenOp', 'terugkoppelingUiterlijk', 'verwijderdOp'] as const;

export class RapportageStore {
  constructor(private readonly redis: Redis, private readonly namen: RedisNamen) {}

  /** The corporations with an index, of either form (SCAN in batches: never one long command). */
  async corporatieOins(batch = 500): Promise<string[]> {
    const oins = new Set<string>();
    for (const [patroon, basis] of [[this.namen.corporatieStroomPatroon(), this.namen.corporatieStroom('')],
      [this.namen.corporatieIndexPatroon(), this.namen.corporatieIndex('')]] as const) {
      let cursor = '0';
      do {
        const [volgende, keys] = await opslag(() => this.redis.scan(cursor, 'MATCH', patroon, 'COUNT', batch));
        cursor = volgende;
        for (const k of keys) oins.add(k.slice(basis.length));
      } while (cursor !== '0');
    }
    return [...oins].sort();
  }

  /**
   * The ids of the cases these corporations sent in [vanMs, totMs) (moment of receipt), in batches
   * of at most `batch`, each corporation oldest first: the sorted set of before, then the stream.
   */
  async *meldingIds(oins: readonly string[], vanMs: number | '-inf', totMs: number | '+inf', batch = 500): AsyncGenerator<string[]> {
    const tot = totMs === '+inf' ? '+inf' : `(${totMs}`;
    for (const oin of oins) {
      for (let offset = 0; ; offset += batch) {
        const ids = await opslag(() => this.redis.zrangebyscore(this.namen.corporatieIndex(oin), vanMs, tot, 'LIMIT', offset, batch));
        if (ids.length) yield ids;
        if (ids.length < batch) break;
      }
      // entry ids are `<ms>-<seq>`: the range [vanMs, totMs) is from `<vanMs>-0` up to, not including, `<totMs>-0`
      let van = vanMs === '-inf' ? '-' : `${vanMs}-0`;
      const eind = totMs === '+inf' ? '+' : `(${totMs}-0`;
      for (;;) {
        const r = (await opslag(() => this.redis.xrange(this.namen.corporatieStroom(oin), van, eind, 'COUNT', batch))) as [string, string[]][];
        const ids = r.flatMap(([, velden]) => (velden[0] === 'id' && velden[1] ? [velden[1]] : []));
        if (ids.length) yield ids;
        if (r.length < batch) break;
        van = `(${r.at(-1)![0]}`;
      }
    }
  }

  /** These cases, read in one pipeline; a case that does not exist is left out. */
  async casussen(ids: readonly string[], o: Leesopties = {}): Promise<RuweCasus[]> {
    if (!ids.length) return [];
    const versleuteld = o.versleuteld ?? [];
    const p = this.redis.pipeline();
    // The melding's ciphertext is bytes: read on its own, from the case or from the string of its own
    // it had before; the other ciphertexts are text fields. The events are lines of a field, or a list
    // key of a case written before.
    const inHash = versleuteld.filter((v) => v !== 'gegevens');
    const blob = versleuteld.includes('gegevens');
    for (const id of ids) {
      p.hmget(this.namen.melding(id), ...VELDEN, ...inHash, ...(o.gebeurtenissen ? ['gebeurtenissen'] : []));
      if (o.gebeurtenissen) p.lrange(this.namen.gebeurtenissen(id), 0, -1);
      if (blob) p.hgetBuffer(this.namen.melding(id), 'gegevens').getBuffer(this.namen.meldingBlob(id, 'gegevens'));
    }
    const r = (await opslag(() => p.exec())) ?? [];
    const stap = 1 + (o.gebeurtenissen ? 1 : 0) + (blob ? 2 : 0);
    const uit: RuweCasus[] = [];
    ids.forEach((id, i) => {
      const [fout, waarden] = r[i * stap] ?? [];
      if (fout) throw fout;
      const v = waarden as (string | null)[];
      const [oin, wijkteam, wijkteamOin, soort, status, ontvangenOp, terugkoppelingUiterlijk, verwijderdOp] = v;
      if (!soort || !status || !ontvangenOp) return;
      const extra: Record<string, string> = Object.fromEntries(inHash.flatMap((veld, j) => (v[VELDEN.length + j] ? [[veld, v[VELDEN.length + j]!]] : [])));
      const gegevens = blob ? ((r[i * stap + stap - 2]?.[1] ?? r[i * stap + stap - 1]?.[1]) as Buffer | null) : null;
      const gebeurtenissen = o.gebeurtenissen
        ? gebeurtenisRegels(r[i * stap + 1]?.[1] as string[] | null, v[VELDEN.length + inHash.length]).map(uitGebeurtenisTekst) : [];
      uit.push({
        id, oin: oin ?? '', wijkteam: wijkteam ?? '', wijkteamOin: wijkteamOin ?? '', soort: soort as Soort, status: status as Status,
        ontvangenOp: uitMomentVeld(ontvangenOp), terugkoppelingUiterlijk: terugkoppelingUiterlijk ?? '', ...(verwijderdOp ? { verwijderdOp } : {}), gebeurtenissen, ...extra,
        ...(gegevens ? { gegevens } : {}),
      });
    });
    return uit;
  }

  /** Store a corporation's figures for one period (JSON, counts only); true when the period was new. */
  async bewaarCorporatieCijfers(oin: string, periode: string, json: string): Promise<boolean> {
    return (await opslag(() => this.redis.hset(this.namen.corporatieCijfers(oin), periode, json))) === 1;
  }

  /** Every period a corporation delivered figures for (JSON per period). */
  async corporatieCijfers(oin: string): Promise<string[]> {
    return Object.values(await opslag(() => this.redis.hgetall(this.namen.corporatieCijfers(oin))));
  }

  /** How many outbox entries wait for the relay, and the moment (ms) of the oldest (stream ids carry it). */
  async outboxStand(): Promise<{ lengte: number; oudsteMs?: number }> {
    const [lengte, oudste] = await opslag(() => Promise.all([
      this.redis.xlen(this.namen.outbox()),
      this.redis.xrange(this.namen.outbox(), '-', '+', 'COUNT', 1),
    ]));
    const id = oudste[0]?.[0];
    return { lengte, ...(id ? { oudsteMs: Number(id.split('-')[0]) } : {}) };
  }
}
