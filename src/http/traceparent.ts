// W3C Trace Context on the API (Logboek dataverwerkingen: required between applications over HTTP).
// A valid `traceparent` puts our logboek records in the caller's trace, as children of its span; a
// missing or malformed one starts a new trace. Never a reason to refuse or fail a request.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { leesTraceparent, nieuwSpoor, type Spoor } from '../domain/verwerking.js';

declare module 'fastify' {
  interface FastifyRequest {
    spoor: Spoor;
  }
}

export default fp(
  async function traceparent(app: FastifyInstance) {
    app.decorateRequest('spoor', null as unknown as Spoor);
    // A callback hook: an async one costs a promise and a microtask on every request.
    app.addHook('onRequest', (request: FastifyRequest, _reply, done) => {
      request.spoor = leesTraceparent(request.headers.traceparent) ?? nieuwSpoor();
      done();
    });
  },
  { name: 'traceparent' },
);
