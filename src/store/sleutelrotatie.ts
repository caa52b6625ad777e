// Key rotation (`signaalbrug sleutel roteer`): re-encrypt every ciphertext in Redis with the active
// key while the service runs. SCAN in batches, and per field a compare-and-set, so a value the service
// wrote meanwhile (e.g. feedback arriving) is never overwritten with an older one. Passes repeat until
// no ciphertext with another key id is left (a service that has not yet taken up the new keyring may
// still write with the old key for a moment). A string key of its own (the melding, the repeat link)
// is written in the compact binary format, also when only its format is old (`v1` text).
import type { Redis } from 'ioredis';
import { definieerScripts, SCRIPTS, voerScriptUit } from './lua.js';
import { opslag } from './opslag.js';
import { BLOBVELDEN, type RedisNamen } from './redis-namen.js';
import { Sleutelring, type Versleuteld } from './sleutelring.js';

/**
 * Every encrypted field in Redis, with the context (AAD) it was bound to: `context(id, field)` names it,
 * or undefined for a field that is not encrypted. Keys relative to the prefix. A `waarde` key is a
 * string holding one ciphertext; its field is the key's second group.
 */
export const VERSLEUTELD: { sleutel: RegExp; waarde?: true; bytes?: readonly string[]; context: (id: string, veld: string) => string | undefined }[] = [
  { sleutel: /^melding:([^:]+):(gegevens|herhaling)$/, waarde: true, context: (id, veld) => (veld === 'gegevens' ? id : `${id}:${veld}`) },
  { sleutel: /^melding:([^:]+)$/, bytes: BLOBVELDEN, context: (id, veld) => (veld === 'gegevens' ? id
    : ['terugkoppeling', 'eindresultaat', 'troubleshooterUitkomst', 'herhaling'].includes(veld) || veld.startsWith('aanvulling:') ? `${id}:${veld}` : undefined) },
  { sleutel: /^datalek:([^:]+)$/, context: (id, veld) => (veld === 'gegevens' ? `datalek:${id}` : undefined) },
];

/**
 * One ciphertext: a field of a hash, or a string key of its own (`waarde`). `compact`: kept as bytes
 * in the compact format (a string of its own, or a field the table names under `bytes`).
 */
interface Doel { key: string; veld: string; context: string; blob: Versleuteld; waarde?: true; compact?: true }

export interface Rotatieverslag {
  herversleuteld: number;
  /** Changed by the service between our read and our write: read again, nothing lost. */
  gelijktijdigGewijzigd: number;
  rondes: number;
  /** Ciphertexts per key id after the last pass. */
  perSleutel: Record<string, number>;
}

export class Sleutelrotatie {
  constructor(
    private readonly redis: Redis,
    private readonly namen: RedisNamen,
    private readonly sleutels: Sleutelring,
  ) {
    definieerScripts(redis);
  }

  /** Every encrypted field: key, field, context, current ciphertext; in SCAN batches. */
  private async *velden(batch: number): AsyncGenerator<Doel[]> {
    let cursor = '0';
    do {
      const [volgende, keys] = await opslag(() => this.redis.scan(cursor, 'MATCH', this.namen.alles(), 'COUNT', batch));
      cursor = volgende;
      const doelen = keys.flatMap((key) => {
        const rest = this.namen.relatief(key);
        const soort = VERSLEUTELD.find((s) => s.sleutel.test(rest));
        const m = soort?.sleutel.exec(rest);
        return soort && m ? [{ key, id: m[1]!, veld: m[2], waarde: soort.waarde, bytes: soort.bytes ?? [], context: soort.context }] : [];
      });
      if (!doelen.length) continue;
      const p = this.redis.pipeline();
      // hashes as bytes too: a field in the compact format must not pass through a text decoder
      for (const d of doelen) (d.waarde ? p.getBuffer(d.key) : p.hgetallBuffer(d.key));
      const waarden = (await opslag(() => p.exec())) ?? [];
      yield doelen.flatMap((d, i): Doel[] => {
        const w = waarden[i]?.[1];
        if (d.waarde) return Buffer.isBuffer(w) ? [{ key: d.key, veld: d.veld!, context: d.context(d.id, d.veld!)!, blob: w, waarde: true, compact: true }] : [];
        return Object.entries((w ?? {}) as Record<string, Buffer>).flatMap(([veld, b]): Doel[] => {
          const context = d.context(d.id, veld);
          if (!context) return [];
          return d.bytes.includes(veld) ? [{ key: d.key, veld, context, blob: b, compact: true }] : [{ key: d.key, veld, context, blob: b.toString() }];
        });
      });
    } while (cursor !== '0');
  }

  /** How many ciphertexts each key id still has. */
  async status(batch = 500): Promise<Record<string, number>> {
    const telling: Record<string, number> = {};
    for await (const b of this.velden(batch)) for (const v of b) {
      const kid = Sleutelring.sleutelVan(v.blob) ?? 'onbekend';
      telling[kid] = (telling[kid] ?? 0) + 1;
    }
    return telling;
  }

  /** Whether a ciphertext needs writing again: another key id, or a value kept as bytes still in the `v1` text format. */
  private teHerschrijven(v: Pick<Doel, 'blob' | 'compact'>): boolean {
    return Sleutelring.sleutelVan(v.blob) !== this.sleutels.actieveSleutel || (v.compact === true && Sleutelring.formaatVan(v.blob) !== 'v2');
  }

  /** One field: re-encrypt with the active key unless the service changed it meanwhile (then read again). */
  private async roteerVeld(v: Doel, verslag: Rotatieverslag): Promise<void> {
    let blob: Versleuteld | null = v.blob;
    for (let poging = 0; poging < 5 && blob && this.teHerschrijven({ blob, compact: v.compact }); poging++) {
      const platte = this.sleutels.ontsleutel(blob, v.context);
      const nieuw = v.compact ? this.sleutels.versleutelCompact(platte, v.context) : this.sleutels.versleutel(platte, v.context);
      const gezet = v.waarde
        ? await opslag(() => voerScriptUit(this.redis, SCRIPTS.waardeCas, { sleutel: v.key }, { verwacht: blob!, nieuw }))
        : await opslag(() => voerScriptUit(this.redis, SCRIPTS.veldCas, { hash: v.key }, { veld: v.veld, verwacht: blob!, nieuw }));
      if (gezet === 1) {
        verslag.herversleuteld++;
        return;
      }
      verslag.gelijktijdigGewijzigd++;
      blob = await opslag<Versleuteld | null>(() => (v.waarde ? this.redis.getBuffer(v.key)
        : v.compact ? this.redis.hgetBuffer(v.key, v.veld) : this.redis.hget(v.key, v.veld)));
    }
  }

  async roteer(o: { batch?: number; pauzeMs?: number; maxRondes?: number } = {}): Promise<Rotatieverslag> {
    const verslag: Rotatieverslag = { herversleuteld: 0, gelijktijdigGewijzigd: 0, rondes: 0, perSleutel: {} };
    for (let ronde = 1; ronde <= (o.maxRondes ?? 10); ronde++) {
      verslag.rondes = ronde;
      let oud = 0;
      for await (const b of this.velden(o.batch ?? 200)) {
        for (const v of b) if (this.teHerschrijven(v)) {
          oud++;
          await this.roteerVeld(v, verslag);
        }
        if (o.pauzeMs) await new Promise((r) => setTimeout(r, o.pauzeMs));
      }
      if (oud === 0) break;
    }
    verslag.perSleutel = await this.status();
    return verslag;
  }
}
