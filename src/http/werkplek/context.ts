// The contract between the werkplek's foundation (login, session, layout: app.ts) and its pages
// (paginas/*.ts, one Fastify plugin per role). A page never reads a cookie or a token: it asks the
// context who is logged in, and gets a 303 to the login (or a 403/404 problem page) otherwise.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Signaalbrug } from '../../signaalbrug.js';

/** The roles of the werkplek; each belongs to one organisation (OIN), a wijkteam role to one wijkteam. */
export const WERKPLEKROLLEN = [
  'corporatie-medewerker', 'wijkteam-medewerker', 'coordinator', 'troubleshooter', 'privacy-officer', 'beheerder',
] as const;
export type Werkplekrol = (typeof WERKPLEKROLLEN)[number];

/** Who is logged in, as the IdP's claims were mapped by the config (never personal data in logs). */
export interface Gebruiker {
  /** Pseudonymous user id: keyed hash of (issuer, sub); this is what logboek records carry. */
  id: string;
  /** Display name from the IdP (shown on pages only, never logged). */
  naam: string;
  rol: Werkplekrol;
  /** The organisation the role belongs to. */
  oin: string;
  /** For `wijkteam-medewerker`: the wijkteam id. */
  wijkteam?: string;
}

export interface WerkplekContext {
  sb: Signaalbrug;
  /**
   * The logged-in user with one of `rollen`, or undefined after the reply was sent (303 to the login
   * for no or an expired session, 403 page for another role).
   */
  gebruiker(request: FastifyRequest, reply: FastifyReply, rollen: readonly Werkplekrol[]): Promise<Gebruiker | undefined>;
  /** A page in the werkplek layout (NL Design System CSS, no scripts); `model` goes to the template. */
  pagina(reply: FastifyReply, request: FastifyRequest, sjabloon: string, model: Record<string, unknown>, status?: number): FastifyReply;
  /** The CSRF token for a form on this page (the field name is `_csrf`). */
  csrf(reply: FastifyReply): string;
}

/** A role's pages: registered by app.ts under the werkplek's prefix. */
export type Paginas = (app: FastifyInstance, ctx: WerkplekContext) => Promise<void>;
