// Encryption at rest: AES-256-GCM with the key id stored beside the ciphertext so keys can rotate.
// The keyring comes from a file or the env var SIGNAALBRUG_SLEUTELS, never from the repo.
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { willekeurig } from '../toeval.js';
import type { Logger } from 'pino';
import { z } from 'zod';

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

  /** The key id a ciphertext was made with (without decrypting it). */
  static sleutelVan(blob: string): string | undefined {
    const [v, kid] = blob.split('.');
    return v === 'v1' ? kid : undefined;
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

  /** `v1.<kid>.<iv>.<ciphertext>.<tag>`; the context (e.g. the record id) is bound as AAD. */
  versleutel(platte: string, context: string): string {
    const key = this.sleutels.get(this.actief)!;
    const iv = willekeurig(12);
    const c = createCipheriv('aes-256-gcm', key, iv);
    c.setAAD(Buffer.from(context));
    const ct = Buffer.concat([c.update(platte, 'utf8'), c.final()]);
    return ['v1', this.actief, iv.toString('base64url'), ct.toString('base64url'), c.getAuthTag().toString('base64url')].join('.');
  }

  ontsleutel(blob: string, context: string): string {
    const [v, kid, iv, ct, tag] = blob.split('.');
    if (v !== 'v1' || !kid || iv === undefined || ct === undefined || tag === undefined) throw new Error('onbekend versleutelformaat');
    const key = this.sleutels.get(kid);
    if (!key) throw new Error(`sleutel ${kid} ontbreekt in de sleutelring`);
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    d.setAAD(Buffer.from(context));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
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
