// Feedback and withdrawal (API v1): the wijkteam organisation gives terugkoppeling,
// the corporation reads it back through a cursor, and the sender may withdraw its melding.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { EINDRESULTATEN } from '../../domain/ddas.js';
import { invalidParams } from '../../domain/invoerfouten.js';
import { naarTerugkoppeling, terugkoppelingInvoerSchema } from '../../domain/terugkoppeling.js';
import { SignaalbrugError } from '../../errors.js';
import { eisMeldingId } from './meldingen.js';
import { eisMelder, eisRol } from './mtls-identiteit.js';
import { INTREKKINGSREDENEN, type Intrekking } from '../../diensten/intrekking.js';
import type { TerugkoppelingDienst } from '../../diensten/terugkoppeling.js';
import type { Aanvullingen } from '../../diensten/aanvullingen.js';

export interface TerugkoppelingRouteDeps {
  terugkoppeling: TerugkoppelingDienst;
  intrekking: Intrekking;
  aanvullingen: Aanvullingen;
  /** Answer only once the replicas have the write (config redis.replicaBevestiging); default: at once. */
  bevestigd?: <T>(werk: () => Promise<T>) => Promise<T>;
}

const intrekkingSchema = z.strictObject({ reden: z.enum(INTREKKINGSREDENEN).optional() });

// Whether an eviction date lies ahead is the service's to say (on its clock).
export const aanvullingSchema = z.discriminatedUnion('soort', [
  z.strictObject({ soort: z.literal('betalingsregeling-verbroken') }),
  z.strictObject({ soort: z.literal('ontruimingsdatum'), ontruimingsdatum: z.iso.date('verwacht een datum als 2027-03-01') }),
]);
export const eindresultaatSchema = z.strictObject({ resultaat: z.enum(EINDRESULTATEN) });
const PAGINA = 100;


function ontleed<T>(schema: z.ZodType<T>, body: unknown, wat: string): T {
  const r = schema.safeParse(body, { reportInput: true });
  if (!r.success) throw new SignaalbrugError('SB_ONGELDIGE_INVOER', `${wat} voldoet niet; zie invalidParams`, invalidParams(r.error.issues));
  return r.data;
}

export default async function terugkoppelingRoutes(app: FastifyInstance, deps: TerugkoppelingRouteDeps) {
  const { terugkoppeling, intrekking, aanvullingen } = deps;
  const bevestigd = deps.bevestigd ?? (<T>(werk: () => Promise<T>) => werk());

  app.post<{ Params: { id: string } }>('/v1/meldingen/:id/terugkoppeling', async (request, reply) => {
    eisRol(request, 'gemeente', 'terugkoppeling geven');
    eisMeldingId(request.params.id);
    // Either shape: DDAS's eerste terugkoppeling (preferred) or the convenant's own fields.
    const invoer = naarTerugkoppeling(ontleed(terugkoppelingInvoerSchema(request.body), request.body, 'de terugkoppeling'));
    const r = await bevestigd(() => terugkoppeling.geef(request.params.id, invoer, { oin: request.organisatie.oin, kanaal: 'api', spoor: request.spoor }));
    return reply.code(201).header('Location', `/v1/meldingen/${request.params.id}`).send({ id: request.params.id, ...r });
  });

  // DDAS: the outcome of the case (EnumEindresultaat) ends it; after the eerste terugkoppeling, or
  // after an escalation.
  app.post<{ Params: { id: string } }>('/v1/meldingen/:id/eindresultaat', async (request, reply) => {
    eisRol(request, 'gemeente', 'een eindresultaat geven');
    eisMeldingId(request.params.id);
    const { resultaat } = ontleed(eindresultaatSchema, request.body, 'het eindresultaat');
    const r = await bevestigd(() => terugkoppeling.geefEindresultaat(request.params.id, resultaat, { oin: request.organisatie.oin, kanaal: 'api', spoor: request.spoor }));
    return reply.code(201).header('Location', `/v1/meldingen/${request.params.id}`).send({ id: request.params.id, ...r });
  });

  app.post<{ Params: { id: string } }>('/v1/meldingen/:id/intrekking', async (request, reply) => {
    eisMelder(request, 'een melding intrekken');
    eisMeldingId(request.params.id);
    // An empty body is allowed: the reden is optional.
    const { reden } = ontleed(intrekkingSchema, request.body ?? {}, 'de intrekking');
    const r = await bevestigd(() => intrekking.trekIn(request.params.id, { oin: request.organisatie.oin, spoor: request.spoor }, reden));
    return reply.code(r.nieuw ? 201 : 200).send({ id: request.params.id, status: r.status });
  });

  // convenant art. 3.9 and 8.1: the corporation tells the wijkteam (and the troubleshooter) what changed.
  app.post<{ Params: { id: string } }>('/v1/meldingen/:id/aanvullingen', async (request, reply) => {
    eisRol(request, 'corporatie', 'een melding aanvullen');
    eisMeldingId(request.params.id);
    const invoer = ontleed(aanvullingSchema, request.body, 'de aanvulling');
    const r = await bevestigd(() => aanvullingen.vulAan(request.params.id, invoer, { oin: request.organisatie.oin, kanaal: 'api', spoor: request.spoor }));
    return reply.code(r.nieuw ? 201 : 200).header('Location', `/v1/meldingen/${request.params.id}`)
      .send({ id: request.params.id, aanvulling: invoer.soort, versie: r.versie });
  });

  app.get<{ Querystring: { sinds?: string } }>('/v1/terugkoppelingen', async (request) => {
    eisMelder(request, 'terugkoppelingen lezen');
    const sinds = request.query.sinds ?? '0';
    if (!/^(0|\d{1,15}-\d{1,10})$/.test(sinds))
      throw new SignaalbrugError('SB_ONGELDIGE_INVOER', 'ongeldige cursor', [{ name: 'sinds', reason: 'gebruik de waarde van volgende uit een eerder antwoord, of 0' }]);
    return terugkoppeling.voorCorporatie(request.organisatie.oin, sinds, PAGINA);
  });
}
