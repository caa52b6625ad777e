// Feedback and withdrawal (CONTRACT.md "API v1"): the wijkteam organisation gives terugkoppeling,
// the corporation reads it back through a cursor, and the sender may withdraw its melding.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { invalidParams } from '../domain/invoerfouten.js';
import { terugkoppelingSchema } from '../domain/terugkoppeling.js';
import { SignaalbrugError } from '../errors.js';
import { eisMeldingId } from './meldingen.js';
import { eisRol } from './mtls-identiteit.js';
import { INTREKKINGSREDENEN, type TerugkoppelingDienst } from '../jobs/terugkoppeling.js';
import type { MeldingenRepo } from '../store/meldingen.js';

export interface TerugkoppelingRouteDeps {
  repo: MeldingenRepo;
  terugkoppeling: TerugkoppelingDienst;
}

const intrekkingSchema = z.strictObject({ reden: z.enum(INTREKKINGSREDENEN).optional() });
const PAGINA = 100;


function ontleed<T>(schema: z.ZodType<T>, body: unknown, wat: string): T {
  const r = schema.safeParse(body, { reportInput: true });
  if (!r.success) throw new SignaalbrugError('SB_ONGELDIGE_INVOER', `${wat} voldoet niet; zie invalidParams`, invalidParams(r.error.issues));
  return r.data;
}

export default async function terugkoppelingRoutes(app: FastifyInstance, deps: TerugkoppelingRouteDeps) {
  const { repo, terugkoppeling } = deps;

  app.post<{ Params: { id: string } }>('/v1/meldingen/:id/terugkoppeling', async (request, reply) => {
    eisRol(request, 'gemeente', 'terugkoppeling geven');
    eisMeldingId(request.params.id);
    const invoer = ontleed(terugkoppelingSchema, request.body, 'de terugkoppeling');
    const r = await terugkoppeling.geef(request.params.id, invoer, { oin: request.organisatie.oin, kanaal: 'api', spoor: request.spoor });
    return reply.code(201).header('Location', `/v1/meldingen/${request.params.id}`).send({ id: request.params.id, ...r });
  });

  app.post<{ Params: { id: string } }>('/v1/meldingen/:id/intrekking', async (request, reply) => {
    eisRol(request, 'corporatie', 'een melding intrekken');
    eisMeldingId(request.params.id);
    // An empty body is allowed: the reden is optional.
    const { reden } = ontleed(intrekkingSchema, request.body ?? {}, 'de intrekking');
    const r = await terugkoppeling.trekIn(request.params.id, { oin: request.organisatie.oin, spoor: request.spoor }, reden);
    return reply.code(r.nieuw ? 201 : 200).send({ id: request.params.id, status: r.status });
  });

  app.get<{ Querystring: { sinds?: string } }>('/v1/terugkoppelingen', async (request) => {
    eisRol(request, 'corporatie', 'terugkoppelingen lezen');
    const sinds = request.query.sinds ?? '0';
    if (!/^(0|\d{1,15}-\d{1,10})$/.test(sinds))
      throw new SignaalbrugError('SB_ONGELDIGE_INVOER', 'ongeldige cursor', [{ name: 'sinds', reason: 'gebruik de waarde van volgende uit een eerder antwoord, of 0' }]);
    const items = await repo.feed(request.organisatie.oin, sinds, PAGINA);
    const terugkoppelingen = [];
    for (const [, velden] of items) {
      const r = velden.melding ? await repo.haal(velden.melding) : undefined;
      const k = r ? await terugkoppeling.lees(r.id) : undefined;
      if (r && k) terugkoppelingen.push({ melding: r.id, referentie: r.gegevens.referentie, status: r.status, terugkoppeling: k });
    }
    return { terugkoppelingen, volgende: items.at(-1)?.[0] ?? sinds };
  });
}
