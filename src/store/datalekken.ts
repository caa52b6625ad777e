// The register of breaches (004 Bijlage 1 art. 9.3, fields a to j): each incident encrypted at rest
// (a description of a breach can itself name people), and which meldingen and organisations were
// held in a time window, so partners can be told within 24 hours (art. 9.1).
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { definieerScripts, SCRIPTS, voerScriptUit } from './lua.js';
import { opslag, uitMomentVeld } from './opslag.js';
import type { RapportageStore } from './rapportage.js';
import type { RedisNamen } from './redis-namen.js';
import type { Sleutelring } from './sleutelring.js';

/** 004 Bijlage 1 art. 9.3; `null` where not (yet) known. */
export interface Datalek {
  /** a */ aard: string; oorzaak: string | null; omvang: string | null;
  /** b */ plaatsgevondenVan: string; plaatsgevondenTot: string | null;
  /** c */ bekendOp: string;
  /** d */ categorieenBetrokkenen: string | null;
  /** e */ soortGegevens: string | null;
  /** f */ versleuteld: boolean | null; versleuteldToelichting: string | null;
  /** g */ contact: string | null;
  /** h */ gevolgen: string | null;
  /** i */ maatregelen: string | null;
  /** j */ gemeldBijAp: boolean | null; redenAp: string | null;
}

/** Which letter of art. 9.3 each field answers: to say what is still missing. */
export const ARTIKEL_9_3: Record<keyof Datalek, string> = {
  aard: 'a', oorzaak: 'a', omvang: 'a', plaatsgevondenVan: 'b', plaatsgevondenTot: 'b', bekendOp: 'c',
  categorieenBetrokkenen: 'd', soortGegevens: 'e', versleuteld: 'f', versleuteldToelichting: 'f', contact: 'g',
  gevolgen: 'h', maatregelen: 'i', gemeldBijAp: 'j', redenAp: 'j',
};

export interface Geregistreerd extends Datalek { id: string; geregistreerdOp: string; bijgewerktOp: string }

export interface Getroffen {
  id: string; oin: string; wijkteam: string; wijkteamOin: string; soort: string; ontvangenOp: string; verwijderdOp: string | null;
}

export class DatalekStore {
  /** @param indexen the corporation indexes' reader (the meldingen a breach may concern are found there). */
  constructor(private readonly redis: Redis, private readonly namen: RedisNamen, private readonly sleutels: Sleutelring,
    private readonly indexen: Pick<RapportageStore, 'corporatieOins' | 'meldingIds'>) {
    definieerScripts(redis);
  }

  private key(id: string) {
    return this.namen.datalek(id);
  }

  async registreer(d: Datalek, nu: Date): Promise<Geregistreerd> {
    const g: Geregistreerd = { id: randomUUID(), geregistreerdOp: nu.toISOString(), bijgewerktOp: nu.toISOString(), ...d };
    await opslag(() => this.redis.multi()
      .hset(this.key(g.id), 'id', g.id, 'geregistreerdOp', g.geregistreerdOp, 'gegevens', this.sleutels.versleutel(JSON.stringify(g), `datalek:${g.id}`))
      .zadd(this.namen.datalekken(), nu.getTime(), g.id).exec());
    return g;
  }

  /** Complete or correct a record: the given fields replace the old ones (compare-and-set on the ciphertext). */
  async werkBij(id: string, wijziging: Partial<Datalek>, nu: Date): Promise<Geregistreerd> {
    for (let i = 0; i < 5; i++) {
      const oud = await opslag(() => this.redis.hget(this.key(id), 'gegevens'));
      if (!oud) throw new Error(`datalek ${id} bestaat niet`);
      const g: Geregistreerd = { ...(JSON.parse(this.sleutels.ontsleutel(oud, `datalek:${id}`)) as Geregistreerd), ...wijziging, bijgewerktOp: nu.toISOString() };
      const nieuw = this.sleutels.versleutel(JSON.stringify(g), `datalek:${id}`);
      const ok = await opslag(() => voerScriptUit(this.redis, SCRIPTS.veldCas, { hash: this.key(id) }, { veld: 'gegevens', verwacht: oud, nieuw }));
      if (ok === 1) return g;
    }
    throw new Error(`datalek ${id}: te veel gelijktijdige wijzigingen`);
  }

  async haal(id: string): Promise<Geregistreerd | undefined> {
    const blob = await opslag(() => this.redis.hget(this.key(id), 'gegevens'));
    return blob ? (JSON.parse(this.sleutels.ontsleutel(blob, `datalek:${id}`)) as Geregistreerd) : undefined;
  }

  async lijst(): Promise<Geregistreerd[]> {
    const ids = await opslag(() => this.redis.zrange(this.namen.datalekken(), '0', '-1'));
    return (await Promise.all(ids.map((id) => this.haal(id)))).filter((g): g is Geregistreerd => g !== undefined);
  }

  /**
   * Meldingen whose personal data was held at some moment in [van, tot]: received by `tot` and not
   * removed before `van`. Found through the per-corporation indexes (by time), no decryption.
   */
  async getroffen(van: Date, tot: Date): Promise<Getroffen[]> {
    const uit: Getroffen[] = [];
    for await (const ids of this.indexen.meldingIds(await this.indexen.corporatieOins(), '-inf', tot.getTime() + 1)) {
      for (const id of ids) {
        const [oin, wijkteam, wijkteamOin, soort, ontvangenOp, verwijderdOp] = await opslag(() =>
          this.redis.hmget(this.namen.melding(id), 'oin', 'wijkteam', 'wijkteamOin', 'soort', 'ontvangenOp', 'verwijderdOp'));
        if (!oin || (verwijderdOp && Date.parse(verwijderdOp) < van.getTime())) continue;
        uit.push({ id, oin, wijkteam: wijkteam!, wijkteamOin: wijkteamOin!, soort: soort!, ontvangenOp: uitMomentVeld(ontvangenOp!), verwijderdOp: verwijderdOp ?? null });
      }
    }
    return uit.sort((a, b) => a.ontvangenOp.localeCompare(b.ontvangenOp));
  }
}
