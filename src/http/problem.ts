// The one place where errors become application/problem+json (RFC 9457, NL API Design Rules):
// every 4xx/5xx has status, title and detail; 5xx internals are logged, never shown.
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { FOUTCODES, SignaalbrugError, type Foutcode } from '../errors.js';

const PER_STATUS: Record<number, Foutcode> = {
  400: 'SB_ONGELDIGE_INVOER', 404: 'SB_NIET_GEVONDEN', 405: 'SB_METHODE_NIET_TOEGESTAAN', 413: 'SB_TE_GROOT',
  415: 'SB_MEDIATYPE', 429: 'SB_TE_VEEL_VERZOEKEN', 503: 'SB_OPSLAG_ONBEREIKBAAR',
};

/** Dutch details for Fastify's own client errors, by their code. */
const FASTIFY_DETAIL: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'gebruik Content-Type: application/json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length klopt niet met de body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'de body is leeg; verwacht een JSON-object',
  FST_ERR_CTP_BODY_TOO_LARGE: 'de body is groter dan toegestaan',
  FST_ERR_CTP_INVALID_JSON_BODY: 'de body is geen geldige JSON',
};

export function sendProblem(reply: FastifyReply, err: SignaalbrugError): FastifyReply {
  const body: Record<string, unknown> = { type: 'about:blank', status: err.status, title: err.title, detail: err.detail, code: err.code };
  if (err.invalidParams) body.invalidParams = err.invalidParams;
  if (err.status === 503) void reply.header('Retry-After', '5');
  return reply.code(err.status).type('application/problem+json; charset=utf-8').send(body);
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
    app.setErrorHandler((err: FastifyError, request, reply) => {
      const problem = naarProbleem(err);
      if (problem.status >= 500 && problem.code === 'SB_INTERN')
        // Log the cause with request context; the message may not carry personal data (our own errors don't).
        request.log.error({ err: { type: err.name, code: err.code, message: err.message, stack: err.stack } }, 'interne fout');
      else if (problem.status >= 500) request.log.warn({ code: problem.code }, problem.detail);
      return sendProblem(reply, problem);
    });
    app.setNotFoundHandler((_request, reply) =>
      sendProblem(reply, new SignaalbrugError('SB_NIET_GEVONDEN', 'deze resource bestaat niet')));
  },
  { name: 'problem' },
);
