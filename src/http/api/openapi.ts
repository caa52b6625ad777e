// OpenAPI 3.1 of API v1, generated from the same zod schemas that validate requests, so the
// document cannot drift from what the service accepts. Linted in the tests with the official NL API
// Design Rules ruleset (test/adr/linter.yaml).
import { z } from 'zod';
import type { Config } from '../../config.js';
import { FOUTCODES, probleemType, type Foutcode } from '../../errors.js';
import { meldingSchema, SOORTEN } from '../../domain/melding.js';
import { SIGNAALSCHEMAS } from '../../domain/signaal.js';
import { eersteTerugkoppelingSchema, terugkoppelingSchema } from '../../domain/terugkoppeling.js';
import { INTREKKINGSREDENEN } from '../../diensten/intrekking.js';
import { EINDRESULTAAT_VOOR_CORPORATIE, EINDRESULTATEN } from '../../domain/ddas.js';
import { corporatieCijfersSchema, TERUGKOPPELING_UITKOMSTEN, UITKOMSTEN } from '../../domain/rapportage.js';

export const API_VERSION = '1.0.0';

const schema = (s: z.ZodType) => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

const problem = {
  type: 'object',
  required: ['status', 'title', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri', enum: (Object.keys(FOUTCODES) as Foutcode[]).map(probleemType), description: 'identificeert het soort probleem' },
    status: { type: 'integer' }, title: { type: 'string' }, detail: { type: 'string' }, code: { type: 'string', enum: Object.keys(FOUTCODES) },
    invalidParams: { type: 'array', items: { type: 'object', required: ['name', 'reason'], properties: { name: { type: 'string' }, reason: { type: 'string' } } } },
  },
};

const STATUSSEN = ['ontvangen', 'verzonden', 'gelezen', 'teruggekoppeld', 'geescaleerd', 'bezorging-mislukt', 'ingetrokken', 'afgesloten'];

/** Every operation can also fail inside (500) or find the store away (503). */
const problemen = (...codes: number[]) =>
  Object.fromEntries([...codes, 500, 503].map((c) => [String(c), { $ref: `#/components/responses/Probleem${c}` }]));

const PROBLEEMANTWOORDEN: Record<number, string> = {
  400: 'Ongeldig verzoek; bij ongeldige invoer met invalidParams',
  403: 'Niet toegestaan voor deze organisatie',
  404: 'Niet gevonden; ook een melding van een ander en een id dat geen melding-id kan zijn',
  409: 'Conflict met de toestand van de melding',
  413: 'Verzoek te groot',
  415: 'Mediatype niet ondersteund',
  422: 'De gemeente van de postcode neemt deze melding niet: geen convenant met de partner, of buiten haar selectiecriteria',
  500: 'Interne fout; de oorzaak staat in het log, niet in het antwoord',
  503: 'Tijdelijk niet beschikbaar; opnieuw proberen na Retry-After',
};

/** NL API Design Rules /core/version-header: every response carries the full version. */
const metVersie = (headers: Record<string, unknown> = {}) => ({ 'API-Version': { $ref: '#/components/headers/API-Version' }, ...headers });

/** W3C Trace Context: the logboek records of the call join the caller's trace (Logboek dataverwerkingen). */
const TRACEPARENT = {
  name: 'traceparent', in: 'header', required: false, schema: { type: 'string', pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}' },
  description: 'W3C Trace Context; de vastleggingen in het logboek dataverwerkingen komen in deze trace. Ongeldig: genegeerd (nieuwe trace).',
};

/** A figure as reports show it: a count, or "< k" for a small count (kleinAantal) that could point to a person. */
const GETAL = { oneOf: [{ type: 'number', minimum: 0 }, { type: 'string', pattern: '^< [0-9]+$' }] };
const GETALLEN = (sleutels: readonly string[]) => ({ type: 'object', required: [...sleutels], properties: Object.fromEntries(sleutels.map((k) => [k, GETAL])) });
const PERIODE = [
  { name: 'van', in: 'query', required: true, description: 'eerste dag van de periode (Europe/Amsterdam), JJJJ-MM-DD', schema: { type: 'string', format: 'date' } },
  { name: 'tot', in: 'query', required: true, description: 'laatste dag van de periode (Europe/Amsterdam, tot en met), JJJJ-MM-DD', schema: { type: 'string', format: 'date' } },
];

/** The schemas of the reports. */
function rapportageSchemas(): Record<string, unknown> {
  const groep = (extra: Record<string, unknown>) => ({ type: 'object', required: ['sleutel', 'naam'], properties: { sleutel: { type: 'string' }, naam: { type: 'string' }, ...extra } });
  return {
    Cijfers: {
      type: 'object',
      description: 'De cijfers over de meldingen die in de periode zijn ontvangen, met wat er tot nu toe mee gebeurde. Kleine aantallen (1 tot kleinAantal) staan er als "< kleinAantal".',
      required: ['meldingen', 'terugkoppeling', 'werkdagenTotTerugkoppeling', 'escalaties', 'herhaaldeMeldingen', 'eindresultaten', 'intrekkingen', 'ontruimingsdatumBekend'],
      properties: {
        meldingen: GETAL,
        terugkoppeling: { ...GETALLEN(TERUGKOPPELING_UITKOMSTEN), description: 'eerste terugkoppeling: opTijd, teLaat, ontbreekt (termijn verstreken), binnenTermijn (termijn loopt nog), vervallen (ingetrokken binnen de termijn)' },
        werkdagenTotTerugkoppeling: { type: 'object', description: 'werkdagen van ontvangst tot eerste terugkoppeling (de dag van ontvangst telt niet); mediaan en p90 alleen bij minstens kleinAantal terugkoppelingen',
          properties: { aantal: GETAL, mediaan: { oneOf: [GETAL, { type: 'null' }] }, p90: { oneOf: [GETAL, { type: 'null' }] } } },
        escalaties: { ...GETALLEN(['totaal', 'opgepakt']), description: 'escalaties naar de troubleshooter, en hoeveel daarvan hij heeft opgepakt' },
        herhaaldeMeldingen: GETAL,
        eindresultaten: { ...GETALLEN(UITKOMSTEN), description: 'per DDAS EnumEindresultaat, plus nog geen eindresultaat en onbekend (gegevens verwijderd)' },
        intrekkingen: { type: 'object', properties: { totaal: GETAL, perReden: { type: 'object', additionalProperties: GETAL } } },
        ontruimingsdatumBekend: GETAL,
      },
    },
    CorporatieCijfers: { ...schema(corporatieCijfersSchema), description: 'De eigen cijfers van de corporatie over een periode (convenant art. 9.5.3), alleen aantallen. '
      + 'Elke huisuitzetting telt één keer per indeling (de eerste doelgroep die van toepassing is); perDoelgroep en perReden tellen op tot hetzelfde aantal.' },
    Evaluatie: {
      type: 'object',
      required: ['periode', 'opgesteldOp', 'kleinAantal', 'totaal', 'perGemeente', 'perWijkteam', 'perCorporatie', 'perSoort', 'corporatieCijfers'],
      properties: {
        periode: { type: 'object', properties: { van: { type: 'string', format: 'date' }, tot: { type: 'string', format: 'date' } } },
        opgesteldOp: { type: 'string', format: 'date-time' },
        kleinAantal: { type: 'integer' },
        totaal: { $ref: '#/components/schemas/Cijfers' },
        ...Object.fromEntries(['perGemeente', 'perWijkteam', 'perCorporatie', 'perSoort'].map((k) => [k, { type: 'array', items: groep({ cijfers: { $ref: '#/components/schemas/Cijfers' } }) }])),
        corporatieCijfers: { type: 'array', items: groep({
          perioden: { type: 'array', items: { type: 'object', properties: { van: { type: 'string', format: 'date' }, tot: { type: 'string', format: 'date' } } } },
          huisuitzettingen: { type: 'object', properties: { totaal: GETAL, perDoelgroep: { type: 'object', additionalProperties: GETAL }, perReden: { type: 'object', additionalProperties: GETAL } } },
          sleutelsVrijwilligIngeleverd: GETAL, huisuitzettingenVoorkomen: GETAL,
        }) },
      },
    },
    DdasUitwisselmodel: {
      type: 'object', description: 'DDAS Vroegsignalering v0.9, Uitwisselmodel (VNG Realisatie), gecontroleerd tegen het officiële JSON Schema; nooit een BSN.',
      required: ['startdatumLevering', 'einddatumLevering', 'aanleverdatumEnTijd', 'codeGegevensleverancier'],
      properties: {
        startdatumLevering: { type: 'string', format: 'date' }, einddatumLevering: { type: 'string', format: 'date' },
        aanleverdatumEnTijd: { type: 'string', format: 'date-time' }, codeGegevensleverancier: { type: 'string' },
        leveringen: { type: 'array', items: { type: 'object' } },
      },
    },
  };
}

/** The paths of the reports. */
function rapportagePaden(): Record<string, unknown> {
  return {
    '/rapportages/evaluatie': {
      get: {
        operationId: 'evaluatieOpvragen',
        summary: 'De evaluatiecijfers van een periode (convenant art. 9.2 en 9.5): de gemeente over haar wijkteams, een corporatie over haar eigen meldingen',
        description: 'JSON, of CSV (RFC 4180, één cijfer per regel: groep,sleutel,naam,cijfer,waarde) met Accept: text/csv.',
        parameters: PERIODE,
        responses: {
          '200': { description: 'De cijfers', headers: metVersie(), content: {
            'application/json': { schema: { $ref: '#/components/schemas/Evaluatie' } },
            'text/csv': { schema: { type: 'string' } } } },
          ...problemen(400, 403),
        },
      },
    },
    '/rapportages/corporatiecijfers': {
      post: {
        operationId: 'corporatiecijfersAanleveren',
        summary: 'De eigen cijfers van een corporatie over een periode aanleveren (convenant art. 9.5.3; alleen aantallen)',
        description: 'Een nieuwe aanlevering voor dezelfde periode (van en tot) vervangt de vorige.',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/CorporatieCijfers' } } } },
        responses: {
          '201': { description: 'Aangeleverd', headers: metVersie(), content: { 'application/json': { schema: { $ref: '#/components/schemas/CorporatieCijfers' } } } },
          '200': { description: 'Vervangt de eerdere aanlevering over dezelfde periode', headers: metVersie(), content: { 'application/json': { schema: { $ref: '#/components/schemas/CorporatieCijfers' } } } },
          ...problemen(400, 403, 415),
        },
      },
    },
    '/rapportages/ddas': {
      get: {
        operationId: 'ddasLeveringOpvragen',
        summary: 'De DDAS-levering van de gemeente over een periode (Uitwisselmodel DDAS Vroegsignalering v0.9, voor het CBS)',
        parameters: [...PERIODE, { name: 'gemeentecode', in: 'query', required: false, description: 'de CBS-gemeentecode, vier cijfers; in een regionale hub standaard (en alleen) de eigen code van de gemeente', schema: { type: 'string', pattern: '^[0-9]{4}$' } }],
        responses: {
          '200': { description: 'Het Uitwisselmodel, geldig tegen het officiële schema', headers: metVersie(), content: { 'application/json': { schema: { $ref: '#/components/schemas/DdasUitwisselmodel' } } } },
          ...problemen(400, 403),
        },
      },
    },
  };
}

/**
 * The document for this deployment: its contact is the service's own mailbox (afzender) and the
 * portal's public address, where the document is also published without a client certificate.
 */
export function openapiDocument(config: Pick<Config, 'afzender' | 'portal'>): Record<string, unknown> {
  const portaal = (config.portal.publiekeUrl ?? `https://localhost:${config.portal.port}`).replace(/\/+$/, '');
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
      contact: { name: `${config.afzender.naam} (beheer)`, email: config.afzender.mailbox, url: portaal },
    },
    // /core/uri-version: the major version in the server URL, so the paths below are relative to it.
    // The host is a variable: this document is also served by the portal, which is another listener.
    servers: [{
      url: 'https://{api}/v1', description: 'API v1 over tweezijdig TLS',
      variables: { api: { default: 'localhost:8443', description: 'host en poort van de API van deze Signaalbrug (bekend bij aansluiting)' } },
    }],
    paths: {
      '/meldingen': {
        post: {
          operationId: 'meldingDoen',
          summary: 'Een melding doen (corporatie) of een signaal geven (andere signaalpartner)',
          description: 'Het type signaalpartner van de aanroeper (DDAS EnumSignaalpartner, uit de configuratie bij zijn OIN) kiest de gegevensset: '
            + 'een corporatie (Huur) stuurt een Melding, een energieleverancier een SignaalEnergie, een drinkwaterbedrijf een SignaalWater, '
            + 'een zorgverzekeraar een SignaalZorg. Een gegeven van een andere gegevensset (zoals huurder of huishouden in een signaal) geeft 400.',
          parameters: [TRACEPARENT],
          requestBody: { required: true, content: { 'application/json': { schema: { oneOf: [
            { $ref: '#/components/schemas/Melding' }, { $ref: '#/components/schemas/SignaalEnergie' },
            { $ref: '#/components/schemas/SignaalWater' }, { $ref: '#/components/schemas/SignaalZorg' },
          ] } } } },
          responses: {
            '201': { description: 'Melding ontvangen en duurzaam opgeslagen', headers: metVersie({ Location: { $ref: '#/components/headers/Location' } }),
              content: { 'application/json': { schema: { $ref: '#/components/schemas/MeldingOntvangen' } } } },
            '200': { description: 'Dezelfde melding was al ontvangen (idempotent op referentie)', headers: metVersie({ Location: { $ref: '#/components/headers/Location' } }),
              content: { 'application/json': { schema: { $ref: '#/components/schemas/MeldingOntvangen' } } } },
            ...problemen(400, 403, 409, 413, 415, 422),
          },
        },
      },
      '/meldingen/{id}': {
        get: {
          operationId: 'meldingOpvragen',
          summary: 'Een melding opvragen (afzender of wijkteamorganisatie)',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: {
            '200': { description: 'De melding', headers: metVersie(), content: { 'application/json': { schema: { $ref: '#/components/schemas/MeldingStatus' } } } },
            ...problemen(400, 403, 404),
          },
        },
      },
      '/meldingen/{id}/terugkoppeling': {
        post: {
          operationId: 'terugkoppelingGeven',
          summary: 'Terugkoppeling geven (de gemeente waarheen de melding is gerouteerd; convenant art. 3.7)',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }, TRACEPARENT],
          requestBody: { required: true, description: 'De eerste terugkoppeling in de termen van DDAS (EersteTerugkoppeling, voorkeur) of met de velden van het convenant (Terugkoppeling, blijft geldig in v1).',
            content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/EersteTerugkoppeling' }, { $ref: '#/components/schemas/Terugkoppeling' }] } } } },
          responses: {
            '201': { description: 'Terugkoppeling vastgelegd; termijnen gestopt; corporatie geïnformeerd', headers: metVersie({ Location: { $ref: '#/components/headers/Location' } }),
              content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string' }, status: { enum: STATUSSEN }, opTijd: { type: 'boolean' } } } } } },
            ...problemen(400, 403, 404, 409),
          },
        },
      },
      '/meldingen/{id}/eindresultaat': {
        post: {
          operationId: 'eindresultaatGeven',
          summary: 'Het eindresultaat geven (DDAS EnumEindresultaat; de gemeente waarheen de melding is gerouteerd): sluit de melding af',
          description: 'Na de eerste terugkoppeling of na een escalatie. De melding wordt afgesloten en haar bewaartermijn begint. '
            + 'De corporatie ziet van het eindresultaat alleen wat DDAS en het convenant toestaan (zie EindresultaatVoorCorporatie).',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }, TRACEPARENT],
          requestBody: { required: true, content: { 'application/json': { schema: {
            type: 'object', additionalProperties: false, required: ['resultaat'], properties: { resultaat: { $ref: '#/components/schemas/Eindresultaat' } } } } } },
          responses: {
            '201': { description: 'Eindresultaat vastgelegd; melding afgesloten', headers: metVersie({ Location: { $ref: '#/components/headers/Location' } }),
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Intrekking' } } } },
            ...problemen(400, 403, 404, 409),
          },
        },
      },
      '/meldingen/{id}/intrekking': {
        post: {
          operationId: 'meldingIntrekken',
          summary: 'Een melding intrekken (de corporatie die haar deed), bijvoorbeeld omdat de achterstand is betaald',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }, TRACEPARENT],
          requestBody: { required: false, content: { 'application/json': { schema: {
            type: 'object', additionalProperties: false, properties: { reden: { enum: [...INTREKKINGSREDENEN] } } } } } },
          responses: {
            '201': { description: 'Ingetrokken; termijnen gestopt; wijkteam geïnformeerd', headers: metVersie(), content: { 'application/json': { schema: { $ref: '#/components/schemas/Intrekking' } } } },
            '200': { description: 'Was al ingetrokken', headers: metVersie(), content: { 'application/json': { schema: { $ref: '#/components/schemas/Intrekking' } } } },
            ...problemen(400, 403, 404, 409),
          },
        },
      },
      '/meldingen/{id}/aanvullingen': {
        post: {
          operationId: 'meldingAanvullen',
          summary: 'Een lopende melding aanvullen (de corporatie die haar deed): betalingsregeling verbroken, of een ontruimingsdatum (art. 3.9, 8.1)',
          description: 'Het wijkteam krijgt de aanvulling versleuteld; bij een ontruimingsdatum ook de troubleshooter. '
            + 'Dezelfde aanvulling nog eens (een herhaald verzoek) geeft 200 met de eerdere versie. Een achterstand die is betaald: trek de melding in.',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }, TRACEPARENT],
          requestBody: { required: true, content: { 'application/json': { schema: { oneOf: [
            { type: 'object', additionalProperties: false, required: ['soort'], properties: { soort: { const: 'betalingsregeling-verbroken' } } },
            { type: 'object', additionalProperties: false, required: ['soort', 'ontruimingsdatum'], properties: {
              soort: { const: 'ontruimingsdatum' },
              ontruimingsdatum: { type: 'string', format: 'date', description: 'vandaag of later (Europe/Amsterdam), binnen twee jaar' } } },
          ] } } } },
          responses: {
            '201': { description: 'Aanvulling vastgelegd; wijkteam (en troubleshooter) worden ingelicht', headers: metVersie({ Location: { $ref: '#/components/headers/Location' } }),
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Aanvulling' } } } },
            '200': { description: 'Deze aanvulling was er al', headers: metVersie({ Location: { $ref: '#/components/headers/Location' } }),
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Aanvulling' } } } },
            ...problemen(400, 403, 404, 409),
          },
        },
      },
      ...rapportagePaden(),
      '/terugkoppelingen': {
        get: {
          operationId: 'terugkoppelingenLezen',
          summary: 'Terugkoppelingen op de eigen meldingen, oudste eerst (corporatie)',
          parameters: [{ name: 'sinds', in: 'query', required: false, description: 'cursor: `volgende` uit het vorige antwoord, of 0', schema: { type: 'string' } }],
          responses: {
            '200': { description: 'Een pagina terugkoppelingen', headers: metVersie(), content: { 'application/json': { schema: {
              type: 'object', required: ['terugkoppelingen', 'volgende'],
              properties: { volgende: { type: 'string' }, terugkoppelingen: { type: 'array', items: { type: 'object', properties: {
                melding: { type: 'string', format: 'uuid' }, referentie: { type: 'string' }, status: { enum: STATUSSEN },
                soort: { enum: ['terugkoppeling', 'eindresultaat'] },
                terugkoppeling: { $ref: '#/components/schemas/Terugkoppeling' },
                eindresultaat: { $ref: '#/components/schemas/EindresultaatVoorCorporatie' } } } } } } } } },
            ...problemen(400, 403),
          },
        },
      },
    },
    components: {
      schemas: {
        Melding: { ...schema(meldingSchema), description: 'De melding van een woningcorporatie (signaalpartner Huur; convenant Bijlage 2 §1).' },
        SignaalEnergie: { ...schema(SIGNAALSCHEMAS.Energie), description: 'Het signaal van een energieleverancier (Wgs art. 3a, Regeling afsluitbeleid): klant, aansluitadres, achterstand en de stappen vóór afsluiting (minstens twee contactpogingen, betalingsregeling aangeboden).' },
        SignaalWater: { ...schema(SIGNAALSCHEMAS.Water), description: 'Het signaal van een drinkwaterbedrijf: als SignaalEnergie.' },
        SignaalZorg: { ...schema(SIGNAALSCHEMAS.Zorg), description: 'Het signaal van een zorgverzekeraar bij premieachterstand (Wgs art. 3a): klant, adres, achterstand en de stappen van het Besluit schuldhulpverlening art. 2.' },
        Terugkoppeling: schema(terugkoppelingSchema),
        EersteTerugkoppeling: { ...schema(eersteTerugkoppelingSchema), description: 'DDAS Vroegsignalering v0.9: opgepakt (datum_opgepakt) of niet (EnumSignaalstatus), contactpogingen (EnumContactsoort, EnumDagdeel), en de velden van 004 Bijlage 2 §6.' },
        MeldingOntvangen: samenvatting,
        MeldingStatus: {
          type: 'object',
          required: ['id', 'referentie', 'soort', 'status', 'wijkteam', 'ontvangenOp', 'terugkoppelingUiterlijk', 'gebeurtenissen'],
          properties: {
            ...samenvatting.properties,
            referentie: { type: 'string' }, soort: { enum: [...SOORTEN] }, ontvangenOp: { type: 'string', format: 'date-time' },
            gemeente: { type: 'string', pattern: '^[0-9]{4}$', description: 'De CBS-gemeentecode van de gemeente waarheen de melding is gerouteerd (een regionale hub); haar convenant bepaalt de termijnen.' },
            gebeurtenissen: { type: 'array', items: { type: 'object', required: ['soort', 'op'], properties: { soort: { type: 'string' }, op: { type: 'string', format: 'date-time' } } } },
            eindresultaat: { description: 'De gemeente ziet het gegeven eindresultaat; de corporatie wat zij ervan mag weten.',
              anyOf: [{ $ref: '#/components/schemas/Eindresultaat' }, { $ref: '#/components/schemas/EindresultaatVoorCorporatie' }] },
          },
        },
        Eindresultaat: {
          description: 'DDAS Vroegsignalering v0.9, EnumEindresultaat: het resultaat van de vroegsignaalzaak, in de woorden van DDAS.',
          enum: [...EINDRESULTATEN],
        },
        EindresultaatVoorCorporatie: {
          description: 'Wat de corporatie van het eindresultaat ziet: de DDAS-waarde alleen waar DDAS haar aan de signaalpartner teruggeeft; '
            + '"Niet opgepakt" zonder reden bij "Niet opgepakt: andere reden"; "Opgepakt en afgesloten" bij elke uitkomst van hulp.',
          enum: [...EINDRESULTAAT_VOOR_CORPORATIE],
        },
        Intrekking: { type: 'object', required: ['id', 'status'], properties: { id: { type: 'string', format: 'uuid' }, status: { enum: STATUSSEN } } },
        Aanvulling: { type: 'object', required: ['id', 'aanvulling', 'versie'], properties: {
          id: { type: 'string', format: 'uuid' }, aanvulling: { enum: ['betalingsregeling-verbroken', 'ontruimingsdatum'] },
          versie: { type: 'string', description: 'welke aanvulling van deze melding (terug te zien als gebeurtenis aanvulling)' } } },
        ...rapportageSchemas(),
        Probleem: problem,
      },
      headers: {
        'API-Version': { description: 'De volledige versie van de API (semver)', schema: { type: 'string', example: API_VERSION } },
        Location: { description: 'Het pad van de melding', schema: { type: 'string' } },
        'Retry-After': { description: 'Seconden tot een nieuwe poging zin heeft', schema: { type: 'integer' } },
      },
      responses: Object.fromEntries(Object.entries(PROBLEEMANTWOORDEN).map(([c, description]) => [`Probleem${c}`, {
        description,
        headers: metVersie(c === '503' ? { 'Retry-After': { $ref: '#/components/headers/Retry-After' } } : {}),
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Probleem' } } },
      }])),
      securitySchemes: { mtls: { type: 'mutualTLS', description: 'PKIoverheid-certificaat met OIN in subject.serialNumber' } },
    },
    security: [{ mtls: [] }],
  };
}
