// OpenAPI 3.1 of API v1, generated from the same zod schemas that validate requests, so the
// document cannot drift from what the service accepts.
import { z } from 'zod';
import { meldingSchema, SOORTEN } from '../domain/melding.js';
import { terugkoppelingSchema } from '../domain/terugkoppeling.js';
import { INTREKKINGSREDENEN } from '../jobs/terugkoppeling.js';

export const API_VERSION = '1.0.0';

const schema = (s: z.ZodType) => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

const problem = {
  type: 'object',
  required: ['status', 'title', 'detail'],
  properties: {
    type: { type: 'string' }, status: { type: 'integer' }, title: { type: 'string' }, detail: { type: 'string' }, code: { type: 'string' },
    invalidParams: { type: 'array', items: { type: 'object', required: ['name', 'reason'], properties: { name: { type: 'string' }, reason: { type: 'string' } } } },
  },
};

const STATUSSEN = ['ontvangen', 'verzonden', 'gelezen', 'teruggekoppeld', 'geescaleerd', 'bezorging-mislukt', 'ingetrokken', 'afgesloten'];

const problemen = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { $ref: `#/components/responses/Probleem${c}` }]));

/** W3C Trace Context: the logboek records of the call join the caller's trace (Logboek dataverwerkingen). */
const TRACEPARENT = {
  name: 'traceparent', in: 'header', required: false, schema: { type: 'string', pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}' },
  description: 'W3C Trace Context; de vastleggingen in het logboek dataverwerkingen komen in deze trace. Ongeldig: genegeerd (nieuwe trace).',
};

export function openapiDocument(): Record<string, unknown> {
  const samenvatting = {
    type: 'object',
    required: ['id', 'status', 'wijkteam', 'terugkoppelingUiterlijk'],
    properties: {
      id: { type: 'string', format: 'uuid' }, status: { enum: STATUSSEN }, wijkteam: { type: 'string' },
      terugkoppelingUiterlijk: { type: 'string', format: 'date', description: 'laatste dag waarop terugkoppeling op tijd is (Europe/Amsterdam)' },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Signaalbrug API',
      version: API_VERSION,
      description: 'Vroegsignalering van huurachterstand tussen woningcorporaties, sociale wijkteams en de troubleshooter. '
        + 'Tweezijdig TLS (Digikoppeling REST); de organisatie is de OIN in subject.serialNumber van het clientcertificaat.',
      contact: { name: 'Signaalbrug beheer' },
    },
    servers: [{ url: '/' }],
    paths: {
      '/v1/meldingen': {
        post: {
          operationId: 'meldingDoen',
          summary: 'Een melding doen (corporatie)',
          parameters: [TRACEPARENT],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Melding' } } } },
          responses: {
            '201': { description: 'Melding ontvangen en duurzaam opgeslagen', headers: { Location: { schema: { type: 'string' } } },
              content: { 'application/json': { schema: { $ref: '#/components/schemas/MeldingOntvangen' } } } },
            '200': { description: 'Dezelfde melding was al ontvangen (idempotent op referentie)',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/MeldingOntvangen' } } } },
            ...problemen(400, 403, 409, 413, 415, 503),
          },
        },
      },
      '/v1/meldingen/{id}': {
        get: {
          operationId: 'meldingOpvragen',
          summary: 'Een melding opvragen (afzender of wijkteamorganisatie)',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: {
            '200': { description: 'De melding', content: { 'application/json': { schema: { $ref: '#/components/schemas/MeldingStatus' } } } },
            ...problemen(403, 404, 503),
          },
        },
      },
      '/v1/meldingen/{id}/terugkoppeling': {
        post: {
          operationId: 'terugkoppelingGeven',
          summary: 'Terugkoppeling geven (de gemeente waarheen de melding is gerouteerd; convenant art. 3.7)',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }, TRACEPARENT],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Terugkoppeling' } } } },
          responses: {
            '201': { description: 'Terugkoppeling vastgelegd; termijnen gestopt; corporatie geïnformeerd',
              content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string' }, status: { enum: STATUSSEN }, opTijd: { type: 'boolean' } } } } } },
            ...problemen(400, 403, 404, 409, 503),
          },
        },
      },
      '/v1/meldingen/{id}/intrekking': {
        post: {
          operationId: 'meldingIntrekken',
          summary: 'Een melding intrekken (de corporatie die haar deed), bijvoorbeeld omdat de achterstand is betaald',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }, TRACEPARENT],
          requestBody: { required: false, content: { 'application/json': { schema: {
            type: 'object', additionalProperties: false, properties: { reden: { enum: [...INTREKKINGSREDENEN] } } } } } },
          responses: {
            '201': { description: 'Ingetrokken; termijnen gestopt; wijkteam geïnformeerd' },
            '200': { description: 'Was al ingetrokken' },
            ...problemen(400, 403, 404, 409, 503),
          },
        },
      },
      '/v1/terugkoppelingen': {
        get: {
          operationId: 'terugkoppelingenLezen',
          summary: 'Terugkoppelingen op de eigen meldingen, oudste eerst (corporatie)',
          parameters: [{ name: 'sinds', in: 'query', required: false, description: 'cursor: `volgende` uit het vorige antwoord, of 0', schema: { type: 'string' } }],
          responses: {
            '200': { description: 'Een pagina terugkoppelingen', content: { 'application/json': { schema: {
              type: 'object', required: ['terugkoppelingen', 'volgende'],
              properties: { volgende: { type: 'string' }, terugkoppelingen: { type: 'array', items: { type: 'object', properties: {
                melding: { type: 'string', format: 'uuid' }, referentie: { type: 'string' }, status: { enum: STATUSSEN },
                terugkoppeling: { $ref: '#/components/schemas/Terugkoppeling' } } } } } } } } },
            ...problemen(400, 403, 503),
          },
        },
      },
    },
    components: {
      schemas: {
        Melding: schema(meldingSchema),
        Terugkoppeling: schema(terugkoppelingSchema),
        MeldingOntvangen: samenvatting,
        MeldingStatus: {
          type: 'object',
          required: ['id', 'referentie', 'soort', 'status', 'wijkteam', 'ontvangenOp', 'terugkoppelingUiterlijk', 'gebeurtenissen'],
          properties: {
            ...samenvatting.properties,
            referentie: { type: 'string' }, soort: { enum: [...SOORTEN] }, ontvangenOp: { type: 'string', format: 'date-time' },
            gebeurtenissen: { type: 'array', items: { type: 'object', required: ['soort', 'op'], properties: { soort: { type: 'string' }, op: { type: 'string', format: 'date-time' } } } },
          },
        },
        Probleem: problem,
      },
      responses: Object.fromEntries([400, 403, 404, 409, 413, 415, 503].map((c) => [
        `Probleem${c}`, { description: 'Probleem (RFC 9457)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Probleem' } } } },
      ])),
      securitySchemes: { mtls: { type: 'mutualTLS', description: 'PKIoverheid-certificaat met OIN in subject.serialNumber' } },
    },
    security: [{ mtls: [] }],
  };
}
