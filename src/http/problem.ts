// The one place where errors become application/problem+json (RFC 9457, NL API Design Rules):
// every 4xx/5xx has type, status, title and detail; 5xx internals are logged, never shown. Also the
// answers Fastify and Node give before routing (a malformed request, an unknown method, a bad URL,
// no Host) and the 405 for a known path with another method are problems here.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { FOUTCODES, probleemType, SignaalbrugError, type Foutcode } from '../errors.js';

const PER_STATUS: Record<number, Foutcode> = {
  400: 'SB_ONGELDIGE_INVOER', 404: 'SB_NIET_GEVONDEN', 405: 'SB_METHODE_NIET_TOEGESTAAN', 408: 'SB_TE_TRAAG', 413: 'SB_TE_GROOT',
  415: 'SB_MEDIATYPE', 429: 'SB_TE_VEEL_VERZOEKEN', 431: 'SB_KOPREGELS_TE_GROOT', 503: 'SB_OPSLAG_ONBEREIKBAAR',
};

/** Dutch details for Fastify's own client errors, by their code. */
const FASTIFY_DETAIL: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'gebruik Content-Type: application/json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length klopt niet met de body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'de body is leeg; verwacht een JSON-object',
  FST_ERR_CTP_BODY_TOO_LARGE: 'de body is groter dan toegestaan',
  FST_ERR_CTP_INVALID_JSON_BODY: 'de body is geen geldige JSON',
};

const PROBLEEM_JSON = 'application/problem+json; charset=utf-8';

function probleemBody(err: SignaalbrugError): Record<string, unknown> {
  const body: Record<string, unknown> = { type: probleemType(err.code), status: err.status, title: err.title, detail: err.detail, code: err.code };
  if (err.invalidParams) body.invalidParams = err.invalidParams;
  return body;
}

export function sendProblem(reply: FastifyReply, err: SignaalbrugError): FastifyReply {
  if (err.status === 503) void reply.header('Retry-After', '5');
  return reply.code(err.status).type(PROBLEEM_JSON).send(probleemBody(err));
}

/** Node's parser errors (llhttp codes) as problems; the connection cannot be used after one. */
function clientProbleem(code: string | undefined): SignaalbrugError {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return new SignaalbrugError('SB_TE_TRAAG', 'het verzoek kwam niet op tijd binnen');
  if (code === 'HPE_HEADER_OVERFLOW') return new SignaalbrugError('SB_KOPREGELS_TE_GROOT', 'de headers van het verzoek zijn groter dan toegestaan');
  // RFC 9110 15.6.2: an unrecognised method is 501.
  if (code === 'HPE_INVALID_METHOD') return new SignaalbrugError('SB_METHODE_ONBEKEND', 'deze HTTP-methode kent de server niet');
  if (code?.includes('HEADER')) return new SignaalbrugError('SB_ONGELDIGE_INVOER', 'een header van het verzoek is ongeldig');
  return new SignaalbrugError('SB_ONGELDIGE_INVOER', 'het verzoek is geen geldig HTTP/1.1-bericht');
}

/**
 * Fastify's clientErrorHandler: Node found the request unreadable before there was a request or a
 * reply (unknown method, malformed or oversized header, timeout), so the answer is written on the raw
 * socket, with the same headers as every other response, and the connection is closed.
 */
export function clientFoutAfhandelaar(headers: Record<string, string>) {
  return function clientFout(this: FastifyInstance, err: Error & { code?: string }, socket: Duplex): void {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    // A response already under way on this connection cannot be followed by another one.
    const lopend = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (!socket.writable || lopend?.headersSent) {
      socket.destroy();
      return;
    }
    const p = clientProbleem(err.code);
    this.log.info({ status: p.status, fout: err.code }, 'onleesbaar verzoek geweigerd');
    const body = JSON.stringify(probleemBody(p));
    const regels = [
      `HTTP/1.1 ${p.status} ${STATUS_CODES[p.status] ?? ''}`, `Date: ${new Date().toUTCString()}`, 'Connection: close',
      `Content-Type: ${PROBLEEM_JSON}`, `Content-Length: ${Buffer.byteLength(body)}`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    socket.end(`${regels.join('\r\n')}\r\n\r\n${body}`);
    // The client normally closes after reading; one that does not is cut off.
    setTimeout(() => socket.destroy(), 2000).unref();
  };
}

/**
 * Fastify's frameworkErrors: a path that cannot be decoded or whose parameter is too long is an id
 * that cannot exist (404, like every malformed id). Fastify runs no hooks for these, so the headers
 * are set here.
 */
export function frameworkFoutAfhandelaar(headers: Record<string, string>) {
  return (err: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
    const p = err.code === 'FST_ERR_BAD_URL' || err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new SignaalbrugError('SB_NIET_GEVONDEN', 'deze resource bestaat niet')
      : naarProbleem(err);
    return sendProblem(reply.headers(headers), p);
  };
}

function naarProbleem(err: FastifyError): SignaalbrugError {
  if (err instanceof SignaalbrugError) return err;
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code = PER_STATUS[status] ?? 'SB_ONGELDIGE_INVOER';
    const detail = FASTIFY_DETAIL[err.code] ?? (err instanceof SyntaxError ? 'de body is geen geldige JSON' : FOUTCODES[code].title);
    return new SignaalbrugError(code, detail);
  }
  return new SignaalbrugError('SB_INTERN', 'er ging iets mis aan onze kant; het is gelogd');
}

export default fp(
  async function problemPlugin(app: FastifyInstance) {
    // Node answers an HTTP/1.1 request without Host (RFC 9112 3.2) with a bare 400 of its own; it is
    // let through and refused here instead, as a problem with every header.
    (app.server as { requireHostHeader?: boolean }).requireHostHeader = false;
    // A callback hook (Fastify turns a throw into the error the same way): no promise per request.
    app.addHook('onRequest', (request, _reply, done) => {
      if (request.raw.httpVersion === '1.1' && request.headers.host === undefined)
        throw new SignaalbrugError('SB_ONGELDIGE_INVOER', 'de Host-header ontbreekt');
      done();
    });
    app.setErrorHandler((err: FastifyError, request, reply) => {
      const problem = naarProbleem(err);
      if (problem.status >= 500 && problem.code === 'SB_INTERN') {
        // Log the cause with request context; the message may not carry personal data (our own errors
        // don't, nor do Redis replies). For a store error the cause is the Redis error itself.
        const oorzaak = err.cause instanceof Error ? { type: err.cause.name, message: err.cause.message } : undefined;
        request.log.error({ err: { type: err.name, code: err.code, message: err.message, stack: err.stack, oorzaak } }, 'interne fout');
      } else if (problem.status >= 500) request.log.warn({ code: problem.code }, problem.detail);
      return sendProblem(reply, problem);
    });
    // A path that exists with other methods is a 405 with Allow (RFC 9110 15.5.6), not a 404. The
    // router lets a parameter be empty ("/v1/meldingen/"), which no resource is. (An undecodable path
    // never gets here: Fastify sends it to frameworkErrors first, for every method.)
    const bestaatMet = (methode: string, pad: string) => {
      const route = app.findRoute({ method: methode as never, url: pad });
      return route !== null && Object.values(route.params ?? {}).every((v) => v !== '');
    };
    app.setNotFoundHandler((request, reply) => {
      const pad = request.url.split('?', 1)[0]!;
      const toegestaan = app.supportedMethods.filter((m) => m !== request.method && bestaatMet(m, pad)).sort();
      if (toegestaan.length === 0) return sendProblem(reply, new SignaalbrugError('SB_NIET_GEVONDEN', 'deze resource bestaat niet'));
      void reply.header('Allow', toegestaan.join(', '));
      return sendProblem(reply, new SignaalbrugError('SB_METHODE_NIET_TOEGESTAAN', `${request.method} kan hier niet; wel: ${toegestaan.join(', ')}`));
    });
  },
  { name: 'problem' },
);
