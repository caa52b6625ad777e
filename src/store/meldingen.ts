// The store of cases in Redis, the system of record. It executes what the services computed with the
// domain's rules and knows none of them: a new case in one script (case, idempotency key, indexes,
// timers, outbox entry, logboek record), a transition in another (compare-and-set on the status).
// Personal data arrives here encrypted by the services and lives only in the `gegevens` and
// `terugkoppeling` fields.
import type { Redis } from 'ioredis';
import type { Casus, Gebeurtenis, Mijlpaal, NieuweCasus, Overgang } from '../domain/overgangen.js';
import type { Soort } from '../domain/melding.js';
import type { Status } from '../domain/status.js';
import { logboekVelden } from './logboek-velden.js';
import { definieerScripts, SCRIPTS, voerScriptUit } from './lua.js';
import { opslag } from './opslag.js';
import type { RedisNamen } from './redis-namen.js';

export type { Gebeurtenis };

/** A new case as the intake service built it: the domain's part, and the encrypted and keyed values. */
export interface NieuwRecord extends NieuweCasus {
  /** The melding, encrypted (AAD: the case id). */
  gegevens: string;
  /** Keyed hash of (corporation, referentie): the idempotency key. */
  idem: string;
  /** Keyed fingerprint of the validated melding: tells a replay from a different melding. */
  vingerafdruk: string;
  /** The link to an earlier melding of the same data subject (repeat signal), encrypted. */
  herhaling?: string;
  /** How long a melding counts as earlier signal for the next one (ms). */
  herhalingVensterMs: number;
}

export type Bewaaruitkomst = { nieuw: true } | { nieuw: false; id: string; vingerafdruk: string | undefined };

/** What a transition did: done, the status moved meanwhile (compute again), or its gate timer was gone. */
export type Uitvoering = 'gedaan' | 'verschoven' | 'poort-weg';

/** The case with the store's own bookkeeping. */
export type Opgeslagen = Casus & { verwijderdOp?: string };

/** The case's once-only milestone fields (typed by the domain, so none is missed). */
const MIJLPAALVELDEN = Object.keys({
  geescaleerdOp: 1, opgepaktOp: 1, uitkomstOp: 1, tweedeEscalatieOp: 1, ontruimingsdatumOp: 1,
} satisfies Record<Mijlpaal, 1>) as Mijlpaal[];

const plat = (r: Record<string, string> | undefined) => Object.entries(r ?? {}).flat();

export class MeldingenStore {
  /** Connections the intake writes take turns on (the first is the store's own). */
  private intake: Redis[];
  private volgende = 0;

  constructor(private readonly redis: Redis, private readonly namen: RedisNamen) {
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
    // The case hash: pseudonymous only besides `gegevens`.
    const velden = ['id', c.id, 'oin', c.oin, 'wijkteam', c.wijkteam, 'wijkteamOin', c.wijkteamOin, 'soort', c.soort,
      'status', c.status, 'ontvangenOp', c.ontvangenOp, 'terugkoppelingUiterlijk', c.terugkoppelingUiterlijk,
      'gegevens', n.gegevens, 'betrokkene', c.betrokkene, 'idem', n.idem, 'traceId', c.traceId ?? '', 'spanId', c.spanId ?? '',
      ...(n.herhaling ? ['herhaling', n.herhaling] : []), ...(c.gemeente ? ['gemeente', c.gemeente] : [])];
    const verbinding = this.intake[this.volgende++ % this.intake.length]!;
    const [ok, waarde] = (await opslag(() => voerScriptUit(verbinding, SCRIPTS.nieuweMelding, {
      idem: k.idem(n.idem), melding: k.melding(c.id), gebeurtenissen: k.gebeurtenissen(c.id), corporatieIndex: k.corporatieIndex(c.oin),
      outbox: k.outbox(), betrokkeneIndex: k.betrokkeneIndex(c.betrokkene), logboek: k.logboek(), bewaartermijnen: k.bewaartermijnen(),
      termijnen: k.termijnen(), herhalingIndex: k.herhalingIndex(c.betrokkene),
    }, {
      id: c.id, vingerafdruk: n.vingerafdruk, gebeurtenis: JSON.stringify(n.gebeurtenis),
      extra: JSON.stringify({ velden, ms, outbox: plat(n.outbox), plan: n.plan, logboek: logboekVelden(n.logboek), bewaar: n.verwijderUiterlijk,
        vensterMs: n.herhalingVensterMs }),
    }))) as [number, string];
    if (ok === 1) return { nieuw: true };
    const [id = '', vingerafdruk] = waarde.split(' ');
    return { nieuw: false, id, vingerafdruk };
  }

  /** The case's metadata and pseudonyms (no personal data), also after its personal data was removed. */
  async casus(id: string): Promise<Opgeslagen | undefined> {
    const [soort, oin, wijkteam, wijkteamOin, status, ontvangenOp, terugkoppelingUiterlijk, betrokkene, traceId, spanId, gemeente, verwijderdOp, ...mijlpalen] =
      await opslag(() => this.redis.hmget(this.namen.melding(id), 'soort', 'oin', 'wijkteam', 'wijkteamOin', 'status', 'ontvangenOp',
        'terugkoppelingUiterlijk', 'betrokkene', 'traceId', 'spanId', 'gemeente', 'verwijderdOp', ...MIJLPAALVELDEN));
    if (!soort || !status) return undefined;
    return {
      id, soort: soort as Soort, oin: oin!, wijkteam: wijkteam!, wijkteamOin: wijkteamOin!, status: status as Status, ontvangenOp: ontvangenOp!,
      terugkoppelingUiterlijk: terugkoppelingUiterlijk!, betrokkene: betrokkene ?? 'onbekend',
      ...(traceId ? { traceId } : {}), ...(spanId ? { spanId } : {}), ...(gemeente ? { gemeente } : {}), ...(verwijderdOp ? { verwijderdOp } : {}),
      ...Object.fromEntries(MIJLPAALVELDEN.flatMap((m, i) => (mijlpalen[i] ? [[m, mijlpalen[i]]] : []))),
    };
  }

  /** One field of the case hash (e.g. the encrypted `gegevens` or `terugkoppeling`). */
  async veld(id: string, naam: string): Promise<string | undefined> {
    return (await opslag(() => this.redis.hget(this.namen.melding(id), naam))) ?? undefined;
  }

  /** Execute a transition atomically: all of it, or nothing when the status moved or the gate timer is gone. */
  async voerUit(o: Overgang): Promise<Uitvoering> {
    const k = this.namen;
    const extra = JSON.stringify({
      op: o.gebeurtenis.op, velden: plat(o.velden), eenmalig: o.eenmalig ?? '', stop: o.stop, plan: o.plan, outbox: plat(o.outbox), feed: plat(o.feed?.velden),
      ...(o.logboek ? { logboek: logboekVelden(o.logboek), ms: String(Date.parse(o.logboek.endTime)) } : {}),
      ...(o.verwijderUiterlijk !== undefined ? { bewaar: String(o.verwijderUiterlijk) } : {}),
    });
    const r = await opslag(() => voerScriptUit(this.redis, SCRIPTS.overgang, {
      melding: k.melding(o.meldingId), gebeurtenissen: k.gebeurtenissen(o.meldingId), bezorgd: o.bezorgd ? k.bezorgd(o.bezorgd) : '',
      termijnen: k.termijnen(), outbox: k.outbox(), feed: o.feed ? k.feed(o.feed.oin) : '', logboek: k.logboek(), bewaartermijnen: k.bewaartermijnen(),
    }, { verwacht: o.van, nieuw: o.naar, gebeurtenis: JSON.stringify(o.gebeurtenis), poort: o.poort ?? '', extra, id: o.meldingId }));
    return r === 1 ? 'gedaan' : r === -1 ? 'poort-weg' : 'verschoven';
  }

  async gebeurtenissen(id: string): Promise<Gebeurtenis[]> {
    const items = await opslag(() => this.redis.lrange(this.namen.gebeurtenissen(id), 0, -1));
    return items.map((s) => JSON.parse(s) as Gebeurtenis);
  }

  /** The cases that still hold personal data of this data subject (the index written at intake). */
  async meldingenVan(pseudoniem: string): Promise<string[]> {
    return (await opslag(() => this.redis.smembers(this.namen.betrokkeneIndex(pseudoniem)))).sort();
  }

  /** The data subject's latest melding received at or after `vanaf` (ms): one indexed read, whatever the history. */
  async laatsteVan(pseudoniem: string, vanaf: number): Promise<string | undefined> {
    const [id] = await opslag(() => this.redis.zrevrangebyscore(this.namen.herhalingIndex(pseudoniem), '+inf', vanaf, 'LIMIT', 0, 1));
    return id;
  }

  async isBezorgd(markering: string): Promise<boolean> {
    return (await opslag(() => this.redis.exists(this.namen.bezorgd(markering)))) === 1;
  }

  /** Timers due at or before `nu` (ms), oldest first: members `<meldingId>|<actie>`. */
  async verstrekenTermijnen(nu: number, max = 500): Promise<string[]> {
    return opslag(() => this.redis.zrangebyscore(this.namen.termijnen(), '-inf', nu, 'LIMIT', 0, max));
  }

  async termijn(lid: string): Promise<number | undefined> {
    const s = await opslag(() => this.redis.zscore(this.namen.termijnen(), lid));
    return s === null ? undefined : Number(s);
  }

  async stopTermijnen(leden: string[]): Promise<void> {
    if (leden.length) await opslag(() => this.redis.zrem(this.namen.termijnen(), ...leden));
  }

  /** One page of a corporation's feed after `sinds` (exclusive), oldest first. */
  async feed(oin: string, sinds: string, max: number): Promise<[string, Record<string, string>][]> {
    const start = sinds === '0' ? '-' : `(${sinds}`;
    const r = (await opslag(() => this.redis.xrange(this.namen.feed(oin), start, '+', 'COUNT', max))) as [string, string[]][];
    return r.map(([id, velden]) => [id, Object.fromEntries(velden.flatMap((v, i) => (i % 2 ? [] : [[v, velden[i + 1]!]])))]);
  }
}
