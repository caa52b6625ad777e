// Digikoppeling: the caller is the organisation whose OIN stands in the client certificate's
// subject.serialNumber (never the certificate's own serial). The handshake already refused
// missing, untrusted, expired and revoked certificates; here a valid certificate with an OIN
// that the config does not know gets 403.
import type { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Organisatie } from '../../config.js';
import { SignaalbrugError } from '../../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    organisatie: Organisatie;
  }
  interface FastifyContextConfig {
    /** Routes reachable with any valid certificate, e.g. the OpenAPI document. */
    publiek?: boolean;
  }
}

// The certificate cannot change within a TLS connection, and getPeerCertificate() builds a whole
// object each call (measurable on keep-alive connections): read the OIN once per connection.
const oinPerSocket = new WeakMap<TLSSocket, string | undefined>();

export function oinUitCertificaat(socket: TLSSocket): string | undefined {
  if (oinPerSocket.has(socket)) return oinPerSocket.get(socket);
  const oin = leesOin(socket);
  oinPerSocket.set(socket, oin);
  return oin;
}

function leesOin(socket: TLSSocket): string | undefined {
  if (!socket.authorized) return undefined;
  const cert = socket.getPeerCertificate();
  const serial = (cert?.subject as Record<string, string | string[]> | undefined)?.serialNumber;
  const oin = Array.isArray(serial) ? undefined : serial;
  return oin && /^\d{20}$/.test(oin) ? oin : undefined;
}

/** Some actions belong to one role: a corporation reports, the gemeente gives feedback. */
export function eisRol(request: FastifyRequest, rol: Organisatie['rol'], wat: string): void {
  if (request.organisatie.rol !== rol)
    throw new SignaalbrugError('SB_ROL_NIET_TOEGESTAAN', `${wat} is voorbehouden aan een organisatie met rol ${rol}`);
}

/**
 * Sending signals and reading their feedback: a corporation or another signal partner (energy, water,
 * health insurance); the caller's partner type then picks the data set.
 */
export function eisMelder(request: FastifyRequest, wat: string): void {
  if (request.organisatie.rol !== 'corporatie' && request.organisatie.rol !== 'signaalpartner')
    throw new SignaalbrugError('SB_ROL_NIET_TOEGESTAAN', `${wat} is voorbehouden aan een corporatie of andere signaalpartner`);
}

export default fp(
  async function mtlsIdentiteit(app: FastifyInstance, opts: { organisaties: readonly Organisatie[] }) {
    const perOin = new Map(opts.organisaties.map((o) => [o.oin, o]));
    app.decorateRequest('organisatie', null as unknown as Organisatie);
    // A callback hook (Fastify turns a throw into the error the same way): no promise per request.
    app.addHook('onRequest', (request: FastifyRequest, _reply, done) => {
      if (request.routeOptions.config?.publiek) return done();
      const socket = request.raw.socket as TLSSocket;
      if (typeof socket.getPeerCertificate !== 'function')
        throw new SignaalbrugError('SB_GEEN_CERTIFICAAT', 'deze API is alleen bereikbaar met tweezijdig TLS');
      const oin = oinUitCertificaat(socket);
      if (!oin) throw new SignaalbrugError('SB_GEEN_CERTIFICAAT', 'het certificaat bevat geen OIN in subject.serialNumber');
      const org = perOin.get(oin);
      if (!org) throw new SignaalbrugError('SB_ONBEKENDE_ORGANISATIE', `OIN ${oin} is niet aangesloten bij dit convenant`);
      request.organisatie = org;
      done();
    });
  },
  { name: 'mtls-identiteit' },
);
