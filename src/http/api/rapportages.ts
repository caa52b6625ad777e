// Reports (API v1): the convenant's evaluation figures of a period, for a gemeente (its wijkteams'
// meldingen) and for a corporation (its own), as JSON or CSV; the corporation's own figures of
// 004 art. 9.5.3 per period; and the DDAS export of a gemeente for the CBS. The work is the report
// service's.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Rapportage } from '../../diensten/rapportage.js';
import { eisRol } from './mtls-identiteit.js';

export interface RapportageRouteDeps {
  rapportage: Rapportage;
}

type Periodevraag = { Querystring: { van?: string; tot?: string } };

/** CSV when the caller asks for it before JSON (Accept), else JSON. */
function wilCsv(request: FastifyRequest): boolean {
  const accept = String(request.headers.accept ?? '').toLowerCase();
  const csv = accept.indexOf('text/csv');
  const json = accept.indexOf('application/json');
  return csv >= 0 && (json < 0 || csv < json);
}

export default async function rapportageRoutes(app: FastifyInstance, deps: RapportageRouteDeps) {
  const { rapportage } = deps;

  app.get<Periodevraag>('/v1/rapportages/evaluatie', async (request, reply) => {
    const { rol, oin } = request.organisatie;
    // A signal partner sees its own figures, as a corporation does.
    const r = await rapportage.evaluatie(request.query.van, request.query.tot, { rol: rol === 'gemeente' ? 'gemeente' : 'corporatie', oin });
    // Figures about people's circumstances: never kept by a cache on the way.
    reply.header('Cache-Control', 'no-store').header('Vary', 'Accept');
    if (!wilCsv(request)) return r;
    return reply.type('text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="evaluatie-${r.periode.van}-${r.periode.tot}.csv"`)
      .send(rapportage.csv(r));
  });

  app.post('/v1/rapportages/corporatiecijfers', async (request, reply) => {
    eisRol(request, 'corporatie', 'eigen cijfers aanleveren (convenant art. 9.5.3)');
    const r = await rapportage.leverCorporatieCijfers(request.organisatie.oin, request.body);
    return reply.code(r.nieuw ? 201 : 200).send(r.cijfers);
  });

  app.get<{ Querystring: { van?: string; tot?: string; gemeentecode?: string } }>('/v1/rapportages/ddas', async (request, reply) => {
    eisRol(request, 'gemeente', 'de DDAS-levering ophalen');
    const { van, tot, gemeentecode } = request.query;
    const document = await rapportage.ddas({ van, tot, gemeentecode, gemeente: request.organisatie.oin });
    return reply.header('Cache-Control', 'no-store')
      .header('Content-Disposition', `attachment; filename="ddas-${gemeentecode}-${van}-${tot}.json"`)
      .send(document);
  });
}
