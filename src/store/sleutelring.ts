// Encryption at rest: AES-256-GCM with the key id stored beside the ciphertext so keys can rotate.
// The keyring comes from a file or the env var SIGNAALBRUG_SLEUTELS, never from the repo.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
  private constructor(
    private readonly actief: string,
    private readonly sleutels: ReadonlyMap<string, Buffer>,
    private readonly pseudoniemSleutel: Buffer,
  ) {}

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

  /** `v1.<kid>.<iv>.<ciphertext>.<tag>`; the context (e.g. the record id) is bound as AAD. */
  versleutel(platte: string, context: string): string {
    const key = this.sleutels.get(this.actief)!;
    const iv = randomBytes(12);
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

  /** Keyed pseudonym, e.g. for idempotency keys and fingerprints: never reversible without the key. */
  pseudoniem(...delen: string[]): string {
    return createHmac('sha256', this.pseudoniemSleutel).update(delen.join('\u0000')).digest('base64url');
  }

  get actieveSleutel(): string {
    return this.actief;
  }
}
