// Secure links of the beveiligde-link channel (Zivver/ZorgMail style, NTA 7516 two-factor access).
// Only keyed hashes of tokens, codes and session ids are stored, so a copy of Redis opens nothing.
// Validity is checked against the injected clock; Redis TTLs only clean up.
import { randomBytes, randomInt } from 'node:crypto';
import type { Redis } from 'ioredis';
import { definieerScripts, SCRIPTS, voerScriptUit } from './lua.js';
import { opslag } from './opslag.js';
import type { RedisNamen } from './redis-namen.js';
import type { Sleutelring } from './sleutelring.js';

/**
 * goed: right code (now used up); fout: wrong, expired or already used; vervangen: the code a newer
 * one replaced (not counted as a wrong try); vergrendeld-nu: this try locked the link.
 */
export type Codeuitkomst = 'goed' | 'fout' | 'vervangen' | 'vergrendeld' | 'vergrendeld-nu' | 'onbekend';

/** Who a link is for: the wijkteam (the melding and its feedback) or the troubleshooter (convenant art. 8.2). */
export const LINKROLLEN = ['wijkteam', 'troubleshooter'] as const;
export type Linkrol = (typeof LINKROLLEN)[number];

export interface LinkInstellingen {
  /** ZorgMail: a code is valid 15 minutes. */
  codeGeldigMinuten: number;
  /** Wrong codes before the link locks (at most 5). */
  maxPogingen: number;
  sessieMinuten: number;
}

export interface Link {
  /** The keyed hash under which the link is stored; never the token itself. */
  hash: string;
  meldingId: string;
  geldigTot: Date;
  pogingen: number;
  vergrendeld: boolean;
  /** Withdrawn together with its melding (intrekking), as opposed to replaced by a newer link. */
  ingetrokken: boolean;
  rol: Linkrol;
  /** The link came with a reminder (its code mail says so). */
  herinnering: boolean;
}

export interface Sessie { linkHash: string; meldingId: string; csrf: string; geldigTot: Date }

const DAG = 86_400_000;
const willekeurig = () => randomBytes(32).toString('base64url'); // 256 bits, above the 128 the issue asks

export class LinkStore {
  constructor(
    private readonly redis: Redis,
    private readonly namen: RedisNamen,
    private readonly sleutels: Sleutelring,
    private readonly inst: LinkInstellingen,
    private readonly klok: () => Date = () => new Date(),
  ) {
    definieerScripts(redis);
  }

  /** The bases scripts derive other links' keys from. */
  private get basis() {
    return { linkBasis: this.namen.linkBasis(), codeBasis: this.namen.linkCodeBasis() };
  }

  /** HMAC-SHA256 with the keyring's pseudonym key: the only form in which a token is kept. */
  hash(token: string): string {
    return this.sleutels.pseudoniem('beveiligde-link', token);
  }

  /**
   * The pointer to the melding's current link for one role. The wijkteam's is the melding's own
   * pointer; the troubleshooter's sits beside it, so a new link of one role never replaces the other's.
   */
  private pointer(meldingId: string, rol: Linkrol): string {
    return this.namen.linkVanMelding(rol === 'wijkteam' ? meldingId : `${meldingId}:${rol}`);
  }

  /** A new link for the melding and role; the role's older link stops working (it was replaced). */
  async maak(meldingId: string, geldigTot: Date, rol: Linkrol = 'wijkteam', o: { herinnering?: boolean } = {}): Promise<string> {
    const token = willekeurig();
    const h = this.hash(token);
    const ttl = Math.max(geldigTot.getTime() - this.klok().getTime(), 0) + DAG;
    await opslag(() => voerScriptUit(this.redis, SCRIPTS.linkMaak,
      { link: this.namen.link(h), vanMelding: this.pointer(meldingId, rol), alle: this.namen.linksVanMelding(meldingId) },
      { hash: h, meldingId, geldigTot: geldigTot.toISOString(), ttl, ...this.basis, rol, herinnering: o.herinnering ? '1' : '0' }));
    return token;
  }

  /**
   * The link behind a token, or undefined when unknown, expired or replaced: callers show one and the
   * same page for all of these. Always one hash and one Redis read, whatever the token looks like.
   */
  async zoek(token: string): Promise<Link | undefined> {
    const h = this.hash(token);
    const r = await opslag(() => this.redis.hgetall(this.namen.link(h)));
    if (!r.meldingId || r.vervangen === '1') return undefined;
    const geldigTot = new Date(r.geldigTot ?? 0);
    if (!(geldigTot > this.klok())) return undefined;
    return {
      hash: h, meldingId: r.meldingId, geldigTot, pogingen: Number(r.pogingen ?? 0),
      vergrendeld: r.vergrendeld === '1', ingetrokken: r.ingetrokken === '1',
      rol: r.rol === 'troubleshooter' ? 'troubleshooter' : 'wijkteam', herinnering: r.herinnering === '1',
    };
  }

  /**
   * A fresh 6-digit code (crypto.randomInt); it replaces any earlier code of the link, which from now
   * on is only recognised as replaced (see link-code.lua), never accepted.
   */
  async maakCode(linkHash: string): Promise<string> {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const ms = this.inst.codeGeldigMinuten * 60_000;
    await opslag(() => voerScriptUit(this.redis, SCRIPTS.linkNieuweCode, { code: this.namen.linkCode(linkHash) },
      { codeHash: this.codeHash(linkHash, code), geldigTot: this.klok().getTime() + ms, ttl: ms }));
    return code;
  }

  private codeHash(linkHash: string, code: string): string {
    return this.sleutels.pseudoniem('toegangscode', linkHash, code);
  }

  /** Single use: a right code is deleted at once; a wrong one counts, and maxPogingen locks the link. */
  async controleerCode(linkHash: string, code: string): Promise<{ uitkomst: Codeuitkomst; pogingen: number }> {
    const [uitkomst, pogingen] = (await opslag(() => voerScriptUit(this.redis, SCRIPTS.linkCode,
      { link: this.namen.link(linkHash), code: this.namen.linkCode(linkHash) },
      { codeHash: this.codeHash(linkHash, code.trim()), nu: this.klok().getTime(), maxPogingen: this.inst.maxPogingen }))) as [Codeuitkomst, number];
    return { uitkomst, pogingen };
  }

  /** A session bound to the link; the cookie holds the id, Redis only its hash. */
  async maakSessie(linkHash: string, meldingId: string): Promise<{ id: string; csrf: string; geldigTot: Date }> {
    const id = willekeurig();
    const csrf = willekeurig();
    const ms = this.inst.sessieMinuten * 60_000;
    const geldigTot = new Date(this.klok().getTime() + ms);
    const k = this.namen.sessie(this.sleutels.pseudoniem('sessie', id));
    await opslag(() => this.redis.multi()
      .hset(k, 'linkHash', linkHash, 'meldingId', meldingId, 'csrf', csrf, 'geldigTot', geldigTot.toISOString())
      .pexpire(k, ms).exec());
    return { id, csrf, geldigTot };
  }

  async sessie(id: string): Promise<Sessie | undefined> {
    const r = await opslag(() => this.redis.hgetall(this.namen.sessie(this.sleutels.pseudoniem('sessie', id))));
    const geldigTot = new Date(r.geldigTot ?? 0);
    if (!r.linkHash || !r.meldingId || !r.csrf || !(geldigTot > this.klok())) return undefined;
    return { linkHash: r.linkHash, meldingId: r.meldingId, csrf: r.csrf, geldigTot };
  }

  /** Sign out: the session is gone at once, not only when its cookie expires. */
  async beeindigSessie(id: string): Promise<void> {
    await opslag(() => this.redis.del(this.namen.sessie(this.sleutels.pseudoniem('sessie', id))));
  }

  /** Intrekking: the melding's links (of every role) show "ingetrokken" from now on; their codes are void. */
  async trekIn(meldingId: string): Promise<boolean> {
    let ingetrokken = false;
    for (const rol of LINKROLLEN)
      if ((await opslag(() => voerScriptUit(this.redis, SCRIPTS.linkTrekIn, { vanMelding: this.pointer(meldingId, rol) }, this.basis))) === 1) ingetrokken = true;
    return ingetrokken;
  }

  /**
   * Retention and erasure: every link of the melding (of every role; all are in its set), their codes,
   * the pointers and the read-marker are gone.
   */
  async verwijder(meldingId: string): Promise<void> {
    await opslag(() => voerScriptUit(this.redis, SCRIPTS.linkVerwijder,
      { vanMelding: this.pointer(meldingId, 'wijkteam'), gelezen: this.namen.linkGelezen(meldingId), alle: this.namen.linksVanMelding(meldingId) }, this.basis));
    await opslag(() => this.redis.del(...LINKROLLEN.filter((r) => r !== 'wijkteam').map((r) => this.pointer(meldingId, r))));
  }

  /** True exactly once per melding: the first opening is the `gelezen` gebeurtenis. */
  async eersteOpening(meldingId: string): Promise<boolean> {
    return (await opslag(() => this.redis.set(this.namen.linkGelezen(meldingId), '1', 'PX', 400 * DAG, 'NX'))) === 'OK';
  }

  /**
   * The key under which a rate limit counts a client (an IP address or a link's token): a keyed hash,
   * so no IP address or token is stored. The counting itself is @fastify/rate-limit's (Redis store).
   */
  tempoSleutel(waarde: string): string {
    return this.sleutels.pseudoniem('tempo', waarde);
  }

  /** Undo eersteOpening when recording `gelezen` failed, so the next opening tries again. */
  async vergeetOpening(meldingId: string): Promise<void> {
    await opslag(() => this.redis.del(this.namen.linkGelezen(meldingId)));
  }
}
