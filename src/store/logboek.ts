// The logboek dataverwerkingen: an append-only Redis Stream (RedisNamen.logboek). Entry ids carry the
// service clock (`<ms>-*`), so retention can trim by MINID and exports can filter by time without
// parsing. The service clock rules, never Redis's: a writer whose clock lags the newest entry appends
// at that entry's millisecond, so ids stay monotonic and nothing is trimmed before its time.
//
// The logboek stays for years, so its older records do not stay in the stream: the worker moves
// them, oldest first, into compressed archive blocks (store/logboek-blok.ts) in Redis itself
// (RedisNamen.logboekBlok, indexed in RedisNamen.logboekArchief), replicated and persisted like the
// stream. A block holds a run of records that left the head of the stream in the same script, so
// blocks and stream together always hold every record exactly once, blocks before the stream.
// Readers read the blocks of their time window, then the stream; retention drops whole blocks and
// rewrites the one block that straddles its limit.
import type { Redis } from 'ioredis';
import type { Actie, Verwerking } from '../domain/verwerking.js';
import { leesBlok, maakBlok, type Streamrecord } from './logboek-blok.js';
import { logboekVelden, uitLogboekVelden } from './logboek-velden.js';
import { definieerScripts, SCRIPTS, voerScriptUit } from './lua.js';
import { opslag } from './opslag.js';
import type { RedisNamen } from './redis-namen.js';

export interface Logboekfilter {
  sinds?: Date;
  tot?: Date;
  melding?: string;
  /** The span name (e.g. `melding-ontvangen`) or the processing activity (e.g. `vroegsignalering`). */
  activiteit?: string;
  betrokkene?: string;
}

/** An archive block as its index names it: first and last entry id, number of records. */
interface Blok {
  lid: string;
  eerste: string;
  laatste: string;
  aantal: number;
}

/** What one archiving step did. */
export type Archivering =
  /** `aantal` records moved into a block of `bytes` bytes (0: too few old enough, nothing done). */
  | { aantal: number; bytes: number }
  /** Another archiver or the retention changed the head of the stream meanwhile: nothing done. */
  | 'geweigerd';

const PAGINA = 500;

/** Entry ids as numbers: milliseconds and sequence. */
const delen = (id: string): [bigint, bigint] => {
  const [ms, seq] = id.split('-');
  return [BigInt(ms!), BigInt(seq ?? 0)];
};
/** Order of two entry ids (negative: a before b). */
function vergelijkId(a: string, b: string): number {
  const [am, as] = delen(a);
  const [bm, bs] = delen(b);
  return am !== bm ? (am < bm ? -1 : 1) : as === bs ? 0 : as < bs ? -1 : 1;
}
const msVan = (id: string) => Number(id.slice(0, id.indexOf('-')));
/** The smallest entry id after `id` (what MINID keeps from). */
const volgende = (id: string) => {
  const [ms, seq] = delen(id);
  return seq === 2n ** 64n - 1n ? `${ms + 1n}-0` : `${ms}-${seq + 1n}`;
};
const blokUit = (lid: string): Blok => {
  const [eerste, laatste, aantal] = lid.split(' ');
  return { lid, eerste: eerste!, laatste: laatste!, aantal: Number(aantal) };
};
const alsLid = (records: readonly Streamrecord[]) => `${records[0]![0]} ${records.at(-1)![0]} ${records.length}`;

export class LogboekStore {
  constructor(private readonly redis: Redis, private readonly namen: RedisNamen) {
    definieerScripts(redis);
  }

  private get key(): string {
    return this.namen.logboek();
  }

  /** A record for an action that changes no case (e.g. a reading, inzage): on its own. */
  async schrijf(v: Verwerking): Promise<void> {
    await opslag(() => voerScriptUit(this.redis, SCRIPTS.logboek, { logboek: this.key }, { ms: Date.parse(v.endTime), velden: JSON.stringify(logboekVelden(v)) }));
  }

  /**
   * Records in time order, filtered: first from the archive blocks that overlap the window, then
   * from the stream, read in pages so a long logboek never sits in memory at once. An archiver that
   * moves records into a block while this reads loses none and repeats none: each page of the stream
   * is read together with the index, and records archived meanwhile are read from their block.
   */
  async *lees(f: Logboekfilter = {}): AsyncGenerator<Verwerking> {
    const van = f.sinds?.getTime();
    const tot = f.tot?.getTime();
    const eind = tot !== undefined ? String(tot) : '+';
    const binnen = (id: string) => (van === undefined || msVan(id) >= van) && (tot === undefined || msVan(id) <= tot);
    const past = (velden: string[]): Verwerking | undefined => {
      const v = Object.fromEntries(velden.flatMap((x, i) => (i % 2 ? [] : [[x, velden[i + 1]!]]))) as Record<string, string>;
      if (f.melding && v.melding !== f.melding) return undefined;
      if (f.betrokkene && v.betrokkene !== f.betrokkene) return undefined;
      const span = uitLogboekVelden(v);
      if (f.activiteit && span.name !== f.activiteit && !span.attributes['dpl.core.processing_activity_id']?.endsWith(`#${f.activiteit}`)) return undefined;
      return span;
    };
    /** The last entry id read (or passed): everything up to it is done. */
    let na: string | undefined;
    /** Blocks of the window with records after `na`, oldest first. */
    const nieuwe = (leden: string[]) => leden.map(blokUit)
      .filter((b) => (!na || vergelijkId(b.laatste, na) > 0) && (tot === undefined || msVan(b.eerste) <= tot))
      .sort((a, b) => vergelijkId(a.eerste, b.eerste));
    const vanaf = () => String(na ? msVan(na) : van ?? '-inf');
    archief: for (;;) {
      for (const b of nieuwe(await opslag(() => this.redis.zrangebyscore(this.namen.logboekArchief(), vanaf(), '+inf')))) {
        const records = await this.blokRecords(b);
        if (!records) {
          // Replaced by the retention meanwhile (block and index entry go in one script): ask the index again.
          if ((await opslag(() => this.redis.zscore(this.namen.logboekArchief(), b.lid))) !== null) throw new Error(`logboekblok ${b.eerste} ontbreekt`);
          continue archief;
        }
        for (const [id, velden] of records) {
          if ((na && vergelijkId(id, na) <= 0) || !binnen(id)) continue;
          const v = past(velden);
          if (v) yield v;
        }
        na = b.laatste;
      }
      for (;;) {
        const start = na ? `(${na}` : van !== undefined ? String(van) : '-';
        const [pagina, leden] = (await opslag(async () => {
          const r = await this.redis.multi().xrange(this.key, start, eind, 'COUNT', PAGINA).zrangebyscore(this.namen.logboekArchief(), vanaf(), '+inf').exec();
          for (const [err] of r ?? []) if (err) throw err;
          return (r ?? []).map(([, x]) => x);
        })) as [Streamrecord[], string[]];
        if (nieuwe(leden).length) continue archief; // archived after what was read: from the block first
        for (const [id, velden] of pagina) {
          na = id;
          const v = past(velden);
          if (v) yield v;
        }
        if (pagina.length < PAGINA) return;
      }
    }
  }

  /** Retention of the logboek itself: drop records older than `voor` (whole records, by entry id), from the stream and the archive. */
  async trim(voor: Date): Promise<number> {
    const grens = voor.getTime();
    let weg = (await opslag(() => this.redis.xtrim(this.key, 'MINID', grens))) as number;
    const archief = this.namen.logboekArchief();
    // Blocks wholly before the limit, and the one block that may straddle it: the first by its last record.
    const oud = await opslag(() => this.redis.zrangebyscore(archief, '-inf', `(${grens}`));
    const [, score] = await opslag(() => this.redis.zrangebyscore(archief, grens, '+inf', 'WITHSCORES', 'LIMIT', 0, 1));
    const grensblokken = score === undefined ? [] : await opslag(() => this.redis.zrangebyscore(archief, score, score));
    for (const b of [...oud, ...grensblokken].map(blokUit)) {
      if (msVan(b.laatste) < grens) {
        if (await this.vervang(b, [])) weg += b.aantal;
      } else if (msVan(b.eerste) < grens) {
        const records = await this.blokRecords(b);
        if (!records) continue; // gone meanwhile
        const blijft = records.filter(([id]) => msVan(id) >= grens);
        if (await this.vervang(b, blijft)) weg += records.length - blijft.length;
      }
    }
    return weg;
  }

  /**
   * Move the oldest records of the stream, those from before `voor` on the service clock, into one
   * archive block: at most `max` of them, and nothing while fewer than `min` are that old (a block
   * has a fixed cost, and compresses better with more records).
   */
  async archiveer(o: { voor: Date; max: number; min?: number }): Promise<Archivering> {
    if (o.voor.getTime() <= 0) return { aantal: 0, bytes: 0 };
    const records = (await opslag(() => this.redis.xrange(this.key, '-', String(o.voor.getTime() - 1), 'COUNT', o.max))) as Streamrecord[];
    if (!records.length || records.length < (o.min ?? 1)) return { aantal: 0, bytes: 0 };
    const blok = await maakBlok(records);
    const eerste = records[0]![0];
    const laatste = records.at(-1)![0];
    const r = (await opslag(() => voerScriptUit(this.redis, SCRIPTS.logboekArchiveer,
      { logboek: this.key, archief: this.namen.logboekArchief(), blok: this.namen.logboekBlok(eerste) },
      { eerste, laatste, volgende: volgende(laatste), lid: alsLid(records), score: msVan(laatste), blok }))) as number;
    return r < 0 ? 'geweigerd' : { aantal: r, bytes: blok.length };
  }

  /** The archive's lease on a round, as the timer scheduler's: take it, renew it, or give it back (only its holder). */
  async logboekslot(token: string, ms: number, actie: 'neem' | 'verleng' | 'geef-vrij'): Promise<boolean> {
    const k = this.namen.logboekslot();
    if (actie === 'neem') return (await opslag(() => this.redis.set(k, token, 'PX', ms, 'NX'))) === 'OK';
    return (await opslag(() => voerScriptUit(this.redis, SCRIPTS.slot, { slot: k }, { token, ms: actie === 'verleng' ? ms : 0 }))) === 1;
  }

  /** The records of a block; undefined when it is gone (the retention dropped or replaced it). */
  private async blokRecords(b: Blok): Promise<Streamrecord[] | undefined> {
    const blok = await opslag(() => this.redis.getBuffer(this.namen.logboekBlok(b.eerste)));
    return blok ? leesBlok(blok) : undefined;
  }

  /** Replace a block by one of `records` (none: drop it), unless another did so first. */
  private async vervang(b: Blok, records: readonly Streamrecord[]): Promise<boolean> {
    const nieuw = records.length ? { lid: alsLid(records), blok: await maakBlok(records) } : undefined;
    return (await opslag(() => voerScriptUit(this.redis, SCRIPTS.logboekBlokVervang,
      { archief: this.namen.logboekArchief(), blok: this.namen.logboekBlok(b.eerste), nieuw: this.namen.logboekBlok(nieuw ? records[0]![0] : b.eerste) },
      { lid: b.lid, nieuwLid: nieuw?.lid ?? '', nieuwScore: nieuw ? msVan(records.at(-1)![0]) : 0, nieuwBlok: nieuw?.blok ?? '' }))) === 1;
  }
}

export type { Actie, Verwerking };
