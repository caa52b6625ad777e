// The portal routes of the beveiligde-link channel, as one Fastify plugin: the start page
// of a link, the one-time code, the melding with the terugkoppeling and eindresultaat forms, and the
// troubleshooter's take-up page. Cookies, form bodies, CSRF tokens, rate limits and security headers
// come from the Fastify plugins app.ts registers; the stylesheet is served by the portal itself,
// because the CSP allows nothing from elsewhere.
import type { FastifyInstance } from 'fastify';
import { API_VERSION, openapiDocument } from '../api/openapi.js';
import berichtRoutes from './bericht.js';
import { maakContext, type PortaalDeps } from './context.js';
import { Paginas } from './paginas.js';
import toegangRoutes from './toegang.js';

export type { PortaalDeps, Tempolimieten } from './context.js';

export default async function portaalRoutes(app: FastifyInstance, deps: PortaalDeps & { paginas?: Paginas }) {
  const paginas = deps.paginas ?? new Paginas();
  const ctx = maakContext(app, deps, paginas);

  app.get('/portaal.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('Cache-Control', 'public, max-age=3600').send(paginas.css));

  // NL API Design Rules /core/publish-openapi: the API's OpenAPI document is public (the API itself
  // wants a client certificate) and readable by any origin. Only this document: no other portal
  // response gets CORS, and the portal's Cross-Origin-Resource-Policy stays same-origin elsewhere.
  const openapi = openapiDocument(deps.config);
  app.get('/v1/openapi.json', async (_request, reply) => reply
    .headers({ 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin', 'API-Version': API_VERSION })
    .type('application/json; charset=utf-8').send(openapi));

  const naToegang = await berichtRoutes(app, ctx);
  await toegangRoutes(app, ctx, naToegang);
}
