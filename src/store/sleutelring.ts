// Encryption at rest: AES-256-GCM with the key id stored beside the ciphertext so keys can rotate.
// The keyring comes from a file or the env var SIGNAALBRUG_SLEUTELS, never from the repo.
// Two formats, both read: `v1` is text (`v1.<kid>.<iv>.<ciphertext>.<tag>`, base64url), for values in
// a hash; `v2` is compact binary for the large values kept as strings of their own (the melding and
// the repeat link): a header (version byte, key id), IV, tag, and the plaintext deflated with a preset
// dictionary (./woordenboek.ts) before it is encrypted. Either way the context is the only AAD; v2
// repeats its version byte as the first encrypted byte, so the header's version is authenticated too
// (raw deflate cannot tell a wrong dictionary: a changed version byte must not pick another one).
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { willekeurig } from '../toeval.js';
import type { Logger } from 'pino';
import { z } from 'zod';
import { WOORDENBOEK_V2 } from './woordenboek.js';

/** A ciphertext as stored: `v1` text (a string, or its bytes), or `v2` bytes. */
export type Versleuteld = string | Buffer;
export type Versleutelformaat = 'v1' | 'v2';

const KID = /^[A-Za-z0-9-]{1,32}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const IV = 12;
const TAG = 16;
/** The first byte of a `v1` value read as bytes (`v`); a `v2` value starts with its version byte. */
const V1_BYTE = 0x76;
const V2_BYTE = 0x02;
/**
 * How `v2` deflates: raw deflate, a 4 KiB window (the dictionary and a melding fit in it; a small
 * window is a small allocation per call). The window and dictionary belong to the format: the reader
 * inflates with the same ones. The output bound refuses a (never written) decompression bomb.
 * Output comes in chunks of 1 KiB rather than zlib's 16 KiB: a melding deflates to some 130 bytes
 * and inflates to under 2 KiB, and a 16 KiB chunk is a fresh allocation per call (and stays the
 * backing store of the result), where 1 KiB comes from Node's buffer pool (about 20% less CPU per call).
 */
const PAK_V2 = { dictionary: WOORDENBOEK_V2, windowBits: 12, chunkSize: 1024 };
const UITPAK_V2 = { dictionary: WOORDENBOEK_V2, windowBits: 12, chunkSize: 1024, maxOutputLength: 1 << 20 };
const VERSIE_V2 = Buffer.of(V2_BYTE);

/** A ciphertext taken apart, not yet authenticated. */
interface Delen {
  formaat: Versleutelformaat;
  kid: string;
  iv: Buffer;
  tag: Buffer;
  ct: Buffer;
}

/**
 * The parts of a ciphertext of either format, checked for shape: anything else is refused with a
 * reason (which never quotes the value: a value that is not a ciphertext may be plain personal data).
 */
function ontleed(blob: Versleuteld): Delen {
  if (typeof blob !== 'string') {
    if (blob[0] === V2_BYTE) return ontleedV2(blob);
    if (blob[0] !== V1_BYTE) throw new Error(blob.length ? `onbekend versleutelformaat (versiebyte ${blob[0]})` : 'onbekend versleutelformaat (leeg)');
  }
  // A v2 value someone read as text (GET instead of GETBUFFER) has lost bytes on the way: say so.
  if (typeof blob === 'string' && blob.charCodeAt(0) === V2_BYTE) throw new Error('onbekend versleutelformaat (een v2-waarde als tekst gelezen; lees bytes)');
  const delen = (typeof blob === 'string' ? blob : blob.toString('latin1')).split('.');
  if (delen[0] !== 'v1' || delen.length !== 5) throw new Error('onbekend versleutelformaat');
  const [, kid, iv, ct, tag] = delen as [string, string, string, string, string];
  if (!KID.test(kid)) throw new Error('ongeldige sleutel-id in de versleutelde waarde');
  if (![iv, ct, tag].every((d) => BASE64URL.test(d))) throw new Error('versleutelde waarde is geen geldige base64url');
  const d = { formaat: 'v1' as const, kid, iv: Buffer.from(iv, 'base64url'), tag: Buffer.from(tag, 'base64url'), ct: Buffer.from(ct, 'base64url') };
  if (d.iv.length !== IV || d.tag.length !== TAG) throw new Error('versleutelde waarde is afgekapt');
  return d;
}

/**
 * `v2`: version byte, key id length (1-32), key id (ASCII), IV (12), tag (16), ciphertext (the version
 * byte again, then the deflated plaintext).
 */
function ontleedV2(b: Buffer): Delen {
  const n = b[1];
  if (n === undefined) throw new Error('versleutelde waarde is afgekapt');
  if (n < 1 || n > 32) throw new Error('ongeldige sleutel-id in de versleutelde waarde');
  const kop = 2 + n;
  if (b.length < kop + IV + TAG + 2) throw new Error('versleutelde waarde is afgekapt');
  const kid = b.toString('latin1', 2, kop);
  if (!KID.test(kid)) throw new Error('ongeldige sleutel-id in de versleutelde waarde');
  return { formaat: 'v2', kid, iv: b.subarray(kop, kop + IV), tag: b.subarray(kop + IV, kop + IV + TAG), ct: b.subarray(kop + IV + TAG) };
}

const sleutel = z
  .string()
  .transform((s) => Buffer.from(s, 'base64'))
  .refine((b) => b.length === 32, 'een sleutel is 32 bytes, base64');

const sleutelringSchema = z.strictObject({
  actief: z.string().regex(/^[A-Za-z0-9-]{1,32}$/),
  sleutels: z.record(z.string().regex(/^[A-Za-z0-9-]{1,32}$/), sleutel),
  /** Key for pseudonyms and fingerprints (HMAC-SHA256); stable across rotations of the data keys. */
  pseudoniem: sleutel,
});

export class Sleutelring {
  // Not readonly: a running service takes up a rotated keyring (volg) without a restart.
  private constructor(
    private actief: string,
    private sleutels: ReadonlyMap<string, Buffer>,
    private readonly pseudoniemSleutel: Buffer,
  ) {}

  /**
   * Re-read the keyring file every `seconden` and take up a new active key or added keys. The pseudonym
   * key may never change (idempotency keys and indexes are built with it): such a file is refused.
   */
  volg(bestand: string, seconden: number, log: Logger): () => void {
    if (!(seconden > 0)) return () => {};
    let vorige = '';
    const kijk = () => {
      try {
        const tekst = readFileSync(bestand, 'utf8');
        if (tekst === vorige) return;
        vorige = tekst;
        const nieuw = Sleutelring.fromJson(tekst, bestand);
        if (!nieuw.pseudoniemSleutel.equals(this.pseudoniemSleutel)) throw new Error('de pseudoniem-sleutel mag niet veranderen');
        if (nieuw.actief === this.actief && [...nieuw.sleutels.keys()].join() === [...this.sleutels.keys()].join()) return;
        this.actief = nieuw.actief;
        this.sleutels = nieuw.sleutels;
        log.info({ actief: this.actief, sleutels: [...this.sleutels.keys()] }, 'sleutelring herladen');
      } catch (err) {
        log.error({ alarm: 'sleutelring', err: (err as Error).message }, 'sleutelring niet herladen; de vorige blijft in gebruik');
      }
    };
    kijk();
    const timer = setInterval(kijk, seconden * 1000);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Key ids in the ring. */
  get sleutelIds(): string[] {
    return [...this.sleutels.keys()];
  }

  /** The key id a ciphertext was made with (without decrypting it); undefined for what is none. */
  static sleutelVan(blob: Versleuteld): string | undefined {
    try {
      return ontleed(blob).kid;
    } catch {
      return undefined;
    }
  }

  /** The format of a ciphertext (without decrypting it); undefined for what is none. */
  static formaatVan(blob: Versleuteld): Versleutelformaat | undefined {
    try {
      return ontleed(blob).formaat;
    } catch {
      return undefined;
    }
  }

  static fromJson(text: string, bron: string): Sleutelring {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new Error(`${bron}: geen geldige JSON`);
    }
    const r = sleutelringSchema.safeParse(raw);
    if (!r.success) throw new Error(`${bron}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    if (!r.data.sleutels[r.data.actief]) throw new Error(`${bron}: actieve sleutel ${r.data.actief} ontbreekt in sleutels`);
    return new Sleutelring(r.data.actief, new Map(Object.entries(r.data.sleutels)), r.data.pseudoniem);
  }

  /** From SIGNAALBRUG_SLEUTELS, else the configured file; refuse to start without one. */
  static laad(bestand: string | undefined, env: NodeJS.ProcessEnv = process.env): Sleutelring {
    if (env.SIGNAALBRUG_SLEUTELS) return Sleutelring.fromJson(env.SIGNAALBRUG_SLEUTELS, 'SIGNAALBRUG_SLEUTELS');
    if (!bestand) throw new Error('geen sleutels: zet versleuteling.sleutelbestand of SIGNAALBRUG_SLEUTELS');
    return Sleutelring.fromJson(readFileSync(bestand, 'utf8'), bestand);
  }

  static nieuw(kid = 'k1'): string {
    const b64 = () => randomBytes(32).toString('base64');
    return JSON.stringify({ actief: kid, sleutels: { [kid]: b64() }, pseudoniem: b64() }, null, 2);
  }

  /** The keyring JSON with one more key, made active; the old keys stay to read what they encrypted. */
  static metNieuweSleutel(tekst: string, bron: string): { tekst: string; kid: string } {
    Sleutelring.fromJson(tekst, bron);
    const ring = JSON.parse(tekst) as { actief: string; sleutels: Record<string, string>; pseudoniem: string };
    let n = Object.keys(ring.sleutels).length + 1;
    while (ring.sleutels[`k${n}`]) n++;
    const kid = `k${n}`;
    ring.sleutels[kid] = randomBytes(32).toString('base64');
    ring.actief = kid;
    return { tekst: JSON.stringify(ring, null, 2), kid };
  }

  /**
   * `v1.<kid>.<iv>.<ciphertext>.<tag>`; the context (e.g. the record id) is bound as AAD. Text, for
   * the short values kept in a hash (feedback, outcomes, updates) and elsewhere.
   */
  versleutel(platte: string, context: string): string {
    const key = this.sleutels.get(this.actief)!;
    const iv = willekeurig(12);
    const c = createCipheriv('aes-256-gcm', key, iv);
    c.setAAD(Buffer.from(context));
    const ct = Buffer.concat([c.update(platte, 'utf8'), c.final()]);
    return ['v1', this.actief, iv.toString('base64url'), ct.toString('base64url'), c.getAuthTag().toString('base64url')].join('.');
  }

  /**
   * `v2`: the plaintext deflated with the v2 dictionary, then encrypted; binary, about a fifth of a
   * melding's `v1` text. For values stored as strings of their own (never in a hash: see RedisNamen).
   * Deflating costs some 10-20 µs: once per value written.
   */
  versleutelCompact(platte: string, context: string): Buffer {
    const key = this.sleutels.get(this.actief)!;
    const kop = Buffer.allocUnsafe(2 + this.actief.length);
    kop[0] = V2_BYTE;
    kop[1] = this.actief.length;
    kop.write(this.actief, 2, 'latin1');
    const iv = willekeurig(IV);
    const c = createCipheriv('aes-256-gcm', key, iv);
    c.setAAD(Buffer.from(context));
    const versie = c.update(VERSIE_V2);
    const ct = c.update(deflateRawSync(platte, PAK_V2));
    const slot = c.final();
    return Buffer.concat([kop, iv, c.getAuthTag(), versie, ct, slot]);
  }

  /**
   * The plaintext of a ciphertext of either format. Fails closed with a reason: unknown format, a
   * truncated or malformed value, an unknown key id, or one that does not authenticate (changed, or
   * of another record or field).
   */
  ontsleutel(blob: Versleuteld, context: string): string {
    const d = ontleed(blob);
    const key = this.sleutels.get(d.kid);
    if (!key) throw new Error(`sleutel ${d.kid} ontbreekt in de sleutelring`);
    const o = createDecipheriv('aes-256-gcm', key, d.iv, { authTagLength: TAG });
    o.setAAD(Buffer.from(context));
    o.setAuthTag(d.tag);
    let platte: Buffer;
    try {
      platte = Buffer.concat([o.update(d.ct), o.final()]);
    } catch {
      throw new Error('versleutelde waarde niet te ontsleutelen: gewijzigd, of van een ander record of veld');
    }
    if (d.formaat === 'v1') return platte.toString('utf8');
    if (platte[0] !== V2_BYTE) throw new Error('versleutelde waarde: de versie in de kop klopt niet met de versleutelde inhoud');
    try {
      return inflateRawSync(platte.subarray(1), UITPAK_V2).toString('utf8');
    } catch {
      throw new Error('versleutelde waarde niet uit te pakken');
    }
  }

  /** The pseudonym key as a KeyObject: HMACs with it skip importing the raw key every time. */
  private hmacSleutel: KeyObject | undefined;

  /** Keyed pseudonym, e.g. for idempotency keys and fingerprints: never reversible without the key. */
  pseudoniem(...delen: string[]): string {
    this.hmacSleutel ??= createSecretKey(this.pseudoniemSleutel);
    return createHmac('sha256', this.hmacSleutel).update(delen.join('\u0000')).digest('base64url');
  }

  get actieveSleutel(): string {
    return this.actief;
  }
}
