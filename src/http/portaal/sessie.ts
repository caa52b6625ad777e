// The portal session cookie and the CSRF token bound to it. The cookie is HttpOnly, Secure,
// SameSite=Strict and limited to /b/; the `__Secure-` prefix makes browsers refuse it over
// plain HTTP. Forms also carry the session's CSRF token: SameSite alone is a second line, not the only one.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSIECOOKIE = '__Secure-sb-sessie';

export function leesSessiecookie(request: FastifyRequest): string | undefined {
  const kop = request.headers.cookie;
  if (!kop) return undefined;
  for (const deel of kop.split(';')) {
    const i = deel.indexOf('=');
    if (i > 0 && deel.slice(0, i).trim() === SESSIECOOKIE) {
      const waarde = deel.slice(i + 1).trim();
      // Our ids are base64url; anything else is not ours and not worth a Redis lookup.
      return /^[A-Za-z0-9_-]{20,100}$/.test(waarde) ? waarde : undefined;
    }
  }
  return undefined;
}

export function zetSessiecookie(reply: FastifyReply, id: string, maxAgeSeconden: number): void {
  void reply.header('Set-Cookie', `${SESSIECOOKIE}=${id}; Max-Age=${maxAgeSeconden}; Path=/b/; HttpOnly; Secure; SameSite=Strict`);
}

export function wisSessiecookie(reply: FastifyReply): void {
  void reply.header('Set-Cookie', `${SESSIECOOKIE}=; Max-Age=0; Path=/b/; HttpOnly; Secure; SameSite=Strict`);
}

/** Constant-time comparison of the form's token with the session's (hashed first: equal lengths). */
export function csrfKlopt(verwacht: string, gegeven: unknown): boolean {
  if (typeof gegeven !== 'string' || !gegeven) return false;
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(verwacht), h(gegeven));
}
