// The portal session cookie (written and read by @fastify/cookie) and the session's CSRF secret, lent
// to @fastify/csrf-protection. The cookie is HttpOnly, Secure, SameSite=Strict and limited to /b/; the
// `__Secure-` prefix makes browsers refuse it over plain HTTP. Forms also carry a token made from the
// session's secret: SameSite alone is a second line, not the only one.
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSIECOOKIE = '__Secure-sb-sessie';
const COOKIE = { path: '/b/', httpOnly: true, secure: true, sameSite: 'strict' } as const;

export function leesSessiecookie(request: FastifyRequest): string | undefined {
  const waarde = request.cookies[SESSIECOOKIE];
  // Our ids are base64url; anything else is not ours and not worth a Redis lookup.
  return waarde && /^[A-Za-z0-9_-]{20,100}$/.test(waarde) ? waarde : undefined;
}

export function zetSessiecookie(reply: FastifyReply, id: string, maxAgeSeconden: number): void {
  void reply.setCookie(SESSIECOOKIE, id, { ...COOKIE, maxAge: maxAgeSeconden });
}

export function wisSessiecookie(reply: FastifyReply): void {
  void reply.clearCookie(SESSIECOOKIE, COOKIE);
}

/**
 * Where @fastify/csrf-protection (in its `@fastify/session` mode) finds the secret its tokens are made
 * from and checked against: `request.session._csrf`. The portal has its own sessions in Redis, so the
 * secret is the one created with the session (LinkStore.maakSessie); nothing else is kept per visitor.
 */
export interface CsrfSessie { _csrf?: string }

/** Lend the portal session's CSRF secret to the plugin for this request. */
export function bindCsrfGeheim(request: FastifyRequest, geheim: string): void {
  (request as FastifyRequest & { session: CsrfSessie | null }).session = { _csrf: geheim };
}
