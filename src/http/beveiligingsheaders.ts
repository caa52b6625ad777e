// NL API Design Rules: API-Version on every response, plus the security headers of the ADR
// and NCSC web guidelines. One hook, so no route can forget them.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export const BEVEILIGINGSHEADERS: Record<string, string> = {
  'Cache-Control': 'no-store',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
};

export default fp(
  async function beveiligingsheaders(app: FastifyInstance, opts: { apiVersion?: string; headers?: Record<string, string> }) {
    const headers = Object.entries({ ...BEVEILIGINGSHEADERS, ...opts.headers, ...(opts.apiVersion ? { 'API-Version': opts.apiVersion } : {}) });
    // A callback hook: an async one costs a promise and a microtask on every response.
    app.addHook('onSend', (_request, reply, payload, done) => {
      for (const [k, v] of headers) if (!reply.hasHeader(k)) void reply.header(k, v);
      done(null, payload);
    });
  },
  { name: 'beveiligingsheaders' },
);
