// The portal role's Fastify instance (HTTPS, server certificate only), built from the composition
// root's services and never listening here (server.ts does that). Browsers get Dutch HTML pages for every outcome, also
// errors; a client that asks for JSON gets problem+json from the same place as the API.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import type { TlsOptions } from 'node:tls';
import { FOUTCODES, SignaalbrugError, type Foutcode } from '../../errors.js';
import { BASIS_TLS } from '../../pki/tls-materiaal.js';
import type { Signaalbrug } from '../../signaalbrug.js';
import { clientFoutAfhandelaar, sendProblem } from '../problem.js';
import type { FormulierConfig, Tempolimieten } from './context.js';
import { Paginas } from './paginas.js';
import { PORTAAL_HEADERS, portaalPlugins } from './plugins.js';
import portaalRoutes from './routes.js';

export { PORTAAL_CSP, PORTAAL_HEADERS } from './plugins.js';

/** The errors @fastify/csrf-protection refuses a form with (no secret, or a token that does not fit it). */
const CSRF_FOUTEN = new Set(['FST_CSRF_MISSING_SECRET', 'FST_CSRF_INVALID_TOKEN']);

const PER_STATUS: Record<number, Foutcode> = { 404: 'SB_NIET_GEVONDEN', 413: 'SB_TE_GROOT', 415: 'SB_MEDIATYPE', 429: 'SB_TE_VEEL_VERZOEKEN', 503: 'SB_OPSLAG_ONBEREIKBAAR' };

function alsProbleem(err: FastifyError): SignaalbrugError {
  if (err instanceof SignaalbrugError) return err;
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code = PER_STATUS[status] ?? 'SB_ONGELDIGE_INVOER';
    return new SignaalbrugError(code, FOUTCODES[code].title);
  }
  return new SignaalbrugError('SB_INTERN', 'er ging iets mis aan onze kant; het is gelogd');
}

const wilJson = (request: FastifyRequest) => /application\/(problem\+)?json/.test(request.headers.accept ?? '') && !/text\/html/.test(request.headers.accept ?? '');

export async function buildPortal(sb: Signaalbrug, o: { https: TlsOptions; limieten?: Partial<Tempolimieten> }) {
  const paginas = new Paginas();
  const pagina = (reply: FastifyReply, p: SignaalbrugError) => {
    if (p.status === 404) return reply.code(404).type('text/html; charset=utf-8').send(paginas.render('niet-gevonden', { titel: 'Deze link werkt niet' }));
    if (p.status === 503) void reply.header('Retry-After', '5');
    const tekst = p.status >= 500
      ? 'Er ging iets mis aan onze kant. Probeer het over enkele minuten opnieuw.'
      : 'Dit verzoek kon niet worden verwerkt. Ga terug naar de link in uw e-mail en probeer het opnieuw.';
    return reply.code(p.status).type('text/html; charset=utf-8').send(paginas.render('fout', { titel: p.title, tekst }));
  };
  const app = Fastify({
    loggerInstance: sb.log.child({ listener: 'portal' }) as FastifyBaseLogger,
    // Server certificate only: recipients are people with a browser, not partner systems.
    https: { ...BASIS_TLS, ...o.https, requestCert: false },
    bodyLimit: 16_384,
    requestTimeout: 15_000,
    connectionTimeout: 30_000,
    return503OnClosing: true,
    // The URL holds the link's token: Fastify's request log would write it out, so we log routes instead.
    logController: new LogController({ disableRequestLogging: true }),
    // A malformed or overlong path ("/b/%zz", a 300-character token) would get Fastify's own JSON 414
    // or 400; it gets the same 404 page as every other unusable link instead. Fastify runs no hooks
    // for these, so the security headers are set here.
    frameworkErrors: (_err, _request, reply) =>
      pagina(reply.headers(PORTAAL_HEADERS), new SignaalbrugError('SB_NIET_GEVONDEN', 'deze resource bestaat niet')),
    // A request Node cannot read (no browser sends one) gets a problem with the portal's headers too.
    clientErrorHandler: clientFoutAfhandelaar(PORTAAL_HEADERS),
  });
  app.server.headersTimeout = 10_000;
  const tempo = await portaalPlugins(app, sb, o.limieten);

  app.setErrorHandler((err: FastifyError, request, reply) => {
    // A form without the session's CSRF token, or with another: the page says the form expired.
    if (CSRF_FOUTEN.has(err.code)) {
      const tekst = (request.routeOptions.config as FormulierConfig).formulierVerlopen ?? 'Open het bericht opnieuw en vul het formulier nog eens in.';
      return reply.code(403).type('text/html; charset=utf-8').send(paginas.render('fout', { titel: 'Formulier verlopen', tekst }));
    }
    const p = alsProbleem(err);
    if (p.code === 'SB_INTERN') request.log.error({ err: { type: err.name, code: err.code, message: err.message, stack: err.stack } }, 'interne fout');
    else if (p.status >= 500) request.log.warn({ code: p.code }, p.detail);
    return wilJson(request) ? sendProblem(reply, p) : pagina(reply, p);
  });
  // Every unknown path gets the very page an unknown token gets: nothing to tell them apart.
  app.setNotFoundHandler((request, reply) => {
    const p = new SignaalbrugError('SB_NIET_GEVONDEN', 'deze resource bestaat niet');
    return wilJson(request) ? sendProblem(reply, p) : pagina(reply, p);
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ route: request.routeOptions.url ?? 'onbekend', methode: request.method, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'portaal');
  });
  const { toegang, lezen, terugkoppeling, escalaties } = sb.diensten;
  await app.register(portaalRoutes, { config: sb.config, toegang, lezen, terugkoppeling, escalaties, sjablonen: sb.sjablonen, klok: sb.klok, tempo, paginas });
  return app;
}
