// Secure links of the beveiligde-link channel (Zivver/ZorgMail style, NTA 7516 two-factor access).
// Only keyed hashes of tokens, codes and session ids are stored, so a copy of Redis opens nothing.
// Validity is checked against the injected clock; Redis TTLs only clean up.
import { randomBytes, randomInt } from 'node:crypto';
import type { Redis } from 'ioredis';
import { opslag } from './meldingen.js';
import type { Sleutelring } from './sleutelring.js';
import { LINK_LUA, type Codeuitkomst } from './links-lua.js';
export type { Codeuitkomst } from './links-lua.js';

export interface LinkInstellingen {
  prefix: string;
  /** ZorgMail: a code is valid 15 minutes. */
  codeGeldigMinuten: number;
  /** Wrong codes before the link locks (issue 5: at most 5). */
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
}

export interface Sessie { linkHash: string; meldingId: string; csrf: string; geldigTot: Date }

const DAG = 86_400_000;
const willekeurig = () => randomBytes(32).toString('base64url'); // 256 bits, above the 128 the issue asks

export class LinkRepo {
  constructor(
    private readonly redis: Redis,
    private readonly sleutels: Sleutelring,
    private readonly inst: LinkInstellingen,
    private readonly klok: () => Date = () => new Date(),
  ) {
    for (const [naam, { keys, lua }] of Object.entries(LINK_LUA)) redis.defineCommand(naam, { numberOfKeys: keys, lua });
  }

  key(...delen: string[]): string {
    return [this.inst.prefix, 'link', ...delen].join(':');
  }

  private lua(naam: keyof typeof LINK_LUA, ...args: (string | number)[]): Promise<unknown> {
    return opslag(() => (this.redis as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[naam]!(...args));
  }

  /** HMAC-SHA256 with the keyring's pseudonym key: the only form in which a token is kept. */
  hash(token: string): string {
    return this.sleutels.pseudoniem('beveiligde-link', token);
  }

  /** A new link for the melding; any older link of it stops working (it was replaced). */
  async maak(meldingId: string, geldigTot: Date): Promise<string> {
    const token = willekeurig();
    const h = this.hash(token);
    const ttl = Math.max(geldigTot.getTime() - this.klok().getTime(), 0) + DAG;
    await this.lua('sbLinkMaak', this.key(h), this.key('melding', meldingId), this.key(''), this.key('alle', meldingId),
      h, meldingId, geldigTot.toISOString(), ttl);
    return token;
  }

  /**
   * The link behind a token, or undefined when unknown, expired or replaced: callers show one and the
   * same page for all of these. Always one hash and one Redis read, whatever the token looks like.
   */
  async zoek(token: string): Promise<Link | undefined> {
    const h = this.hash(token);
    const r = await opslag(() => this.redis.hgetall(this.key(h)));
    if (!r.meldingId || r.vervangen === '1') return undefined;
    const geldigTot = new Date(r.geldigTot ?? 0);
    if (!(geldigTot > this.klok())) return undefined;
    return {
      hash: h, meldingId: r.meldingId, geldigTot, pogingen: Number(r.pogingen ?? 0),
      vergrendeld: r.vergrendeld === '1', ingetrokken: r.ingetrokken === '1',
    };
  }

  /** A fresh 6-digit code (crypto.randomInt); it replaces any earlier code of the link. */
  async maakCode(linkHash: string): Promise<string> {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const ms = this.inst.codeGeldigMinuten * 60_000;
    await opslag(() => this.redis.multi()
      .hset(this.key('code', linkHash), 'code', this.codeHash(linkHash, code), 'geldigTot', this.klok().getTime() + ms)
      .pexpire(this.key('code', linkHash), ms).exec());
    return code;
  }

  private codeHash(linkHash: string, code: string): string {
    return this.sleutels.pseudoniem('toegangscode', linkHash, code);
  }

  /** Single use: a right code is deleted at once; a wrong one counts, and maxPogingen locks the link. */
  async controleerCode(linkHash: string, code: string): Promise<{ uitkomst: Codeuitkomst; pogingen: number }> {
    const [uitkomst, pogingen] = (await this.lua('sbLinkCode', this.key(linkHash), this.key('code', linkHash),
      this.codeHash(linkHash, code.trim()), this.klok().getTime(), this.inst.maxPogingen)) as [Codeuitkomst, number];
    return { uitkomst, pogingen };
  }

  /** A session bound to the link; the cookie holds the id, Redis only its hash. */
  async maakSessie(linkHash: string, meldingId: string): Promise<{ id: string; csrf: string; geldigTot: Date }> {
    const id = willekeurig();
    const csrf = willekeurig();
    const ms = this.inst.sessieMinuten * 60_000;
    const geldigTot = new Date(this.klok().getTime() + ms);
    const k = this.key('sessie', this.sleutels.pseudoniem('sessie', id));
    await opslag(() => this.redis.multi()
      .hset(k, 'linkHash', linkHash, 'meldingId', meldingId, 'csrf', csrf, 'geldigTot', geldigTot.toISOString())
      .pexpire(k, ms).exec());
    return { id, csrf, geldigTot };
  }

  async sessie(id: string): Promise<Sessie | undefined> {
    const r = await opslag(() => this.redis.hgetall(this.key('sessie', this.sleutels.pseudoniem('sessie', id))));
    const geldigTot = new Date(r.geldigTot ?? 0);
    if (!r.linkHash || !r.meldingId || !r.csrf || !(geldigTot > this.klok())) return undefined;
    return { linkHash: r.linkHash, meldingId: r.meldingId, csrf: r.csrf, geldigTot };
  }

  /** Sign out: the session is gone at once, not only when its cookie expires. */
  async beeindigSessie(id: string): Promise<void> {
    await opslag(() => this.redis.del(this.key('sessie', this.sleutels.pseudoniem('sessie', id))));
  }

  /** Intrekking (CONTRACT.md): the melding's link shows "ingetrokken" from now on; its code is void. */
  async trekIn(meldingId: string): Promise<boolean> {
    return (await this.lua('sbLinkTrekIn', this.key('melding', meldingId), this.key(''))) === 1;
  }

  /** Retention and erasure: the melding's link, its code and its read-marker are gone. */
  async verwijder(meldingId: string): Promise<void> {
    await this.lua('sbLinkVerwijder', this.key('melding', meldingId), this.key(''), this.key('gelezen', meldingId), this.key('alle', meldingId));
  }

  /** True exactly once per melding: the first opening is the `gelezen` gebeurtenis. */
  async eersteOpening(meldingId: string): Promise<boolean> {
    return (await opslag(() => this.redis.set(this.key('gelezen', meldingId), '1', 'PX', 400 * DAG, 'NX'))) === 'OK';
  }

  /**
   * Fixed-window rate limit (issue 5: per link and per IP). `sleutel` is hashed first, so no IP
   * address is stored. Returns whether this hit is allowed and, if not, how long to wait.
   */
  async tempo(soort: string, sleutel: string, max: number, vensterSeconden: number): Promise<{ toegestaan: boolean; wachtSeconden: number }> {
    const [n, pttl] = (await this.lua('sbLinkTempo', this.key('tempo', soort, this.sleutels.pseudoniem('tempo', sleutel)), vensterSeconden * 1000)) as [number, number];
    return { toegestaan: n <= max, wachtSeconden: Math.max(1, Math.ceil(pttl / 1000)) };
  }

  /** Undo eersteOpening when recording `gelezen` failed, so the next opening tries again. */
  async vergeetOpening(meldingId: string): Promise<void> {
    await opslag(() => this.redis.del(this.key('gelezen', meldingId)));
  }
}
