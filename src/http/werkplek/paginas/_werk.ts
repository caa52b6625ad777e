// Shared parts of the werkplek's role pages: who sees what (the scope of a logged-in user), the form
// body as URLSearchParams whatever parser read it, the words and dates the pages show, and the
// logboek record every reading of personal data leaves.
import type { FastifyRequest } from 'fastify';
import { ARTIKEL, type Soort } from '../../../domain/melding.js';
import type { Status } from '../../../domain/status.js';
import type { Werkbereik, Werkregel } from '../../../diensten/werklijsten.js';
import type { Signaalbrug } from '../../../signaalbrug.js';
import { kenmerk } from '../../../domain/portaalberichten.js';
import { datum, tijdstip as moment } from '../weergave.js';
import type { Gebruiker } from '../context.js';

export { datum, kenmerk, moment };

/** What a user of the werkplek may see: its organisation's cases, its wijkteam's, or its gemeente's escalations. */
export function bereikVan(g: Gebruiker): Werkbereik {
  switch (g.rol) {
    case 'corporatie-medewerker': return { soort: 'corporatie', oin: g.oin };
    // A wijkteam medewerker without a wijkteam sees nothing: the config refuses that, this is the last line.
    case 'wijkteam-medewerker': return { soort: 'gemeente', oin: g.oin, wijkteam: g.wijkteam ?? '\u0000' };
    case 'coordinator': return { soort: 'gemeente', oin: g.oin };
    case 'troubleshooter': return { soort: 'troubleshooter', oin: g.oin };
    default: return { soort: 'corporatie', oin: '\u0000' };
  }
}

/** The posted form as URLSearchParams: @fastify/formbody gives an object (repeated keys as arrays). */
export function formulier(body: unknown): URLSearchParams {
  if (body instanceof URLSearchParams) return body;
  const f = new URLSearchParams();
  if (body && typeof body === 'object')
    for (const [k, v] of Object.entries(body as Record<string, unknown>))
      for (const w of Array.isArray(v) ? v : [v]) if (typeof w === 'string') f.append(k, w);
  return f;
}

/** The posted form as an object as @fastify/formbody gives it (the shape of the portal's form readers). */
export function formulierObject(body: unknown): Record<string, string | string[] | undefined> {
  const o: Record<string, string | string[]> = {};
  for (const [k, v] of formulier(body)) {
    const e = o[k];
    o[k] = e === undefined ? v : Array.isArray(e) ? [...e, v] : [e, v];
  }
  return o;
}

/** A query parameter as one short string, or undefined. */
export function param(query: unknown, naam: string): string | undefined {
  const v = query && typeof query === 'object' ? (query as Record<string, unknown>)[naam] : undefined;
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s.length && s.length <= 100 ? s : undefined;
}

export const STATUS_LABELS: Record<Status, string> = {
  ontvangen: 'Ontvangen',
  verzonden: 'Bij het wijkteam',
  gelezen: 'Gelezen door het wijkteam',
  teruggekoppeld: 'Teruggekoppeld',
  geescaleerd: 'Geëscaleerd',
  'bezorging-mislukt': 'Bezorging mislukt',
  ingetrokken: 'Ingetrokken',
  afgesloten: 'Afgesloten',
};

export const SOORT_LABELS: Record<Soort, string> = {
  huurachterstand: 'Huurachterstand',
  'meer-dan-huurachterstand': 'Meer dan huurachterstand',
  'complexe-problematiek': 'Complexe problematiek',
  'betalingsregeling-niet-nagekomen': 'Betalingsregeling niet nagekomen',
  'ontruimingsdatum-bekend': 'Ontruimingsdatum bekend',
  'betalingsachterstand-energie': 'Betalingsachterstand energie',
  'betalingsachterstand-water': 'Betalingsachterstand drinkwater',
  'premieachterstand-zorgverzekering': 'Premieachterstand zorgverzekering',
};

export const soortLabel = (s: Soort) => `${SOORT_LABELS[s]} (${ARTIKEL[s]})`;

/** NL Design System status badge flavour per status. */
const BADGE: Record<Status, string> = {
  ontvangen: 'neutral', verzonden: 'neutral', gelezen: 'active', teruggekoppeld: 'success', geescaleerd: 'danger',
  'bezorging-mislukt': 'warning', ingetrokken: 'inactive', afgesloten: 'success',
};

/** A row of a list as the templates show it: dates dd-mm-jjjj, moments in Europe/Amsterdam, words not codes. */
export function regelModel(r: Werkregel, o: { vandaag: string; link: string; corporatie?: string; wijkteam?: string }) {
  const owed = r.open && !r.verwijderd;
  return {
    id: r.id, kenmerk: kenmerk(r.id), link: r.verwijderd ? null : o.link,
    soort: SOORT_LABELS[r.soort], status: STATUS_LABELS[r.status], badge: `utrecht-status-badge--${BADGE[r.status]}`,
    ontvangen: moment(r.ontvangenOp), uiterlijk: datum(r.terugkoppelingUiterlijk),
    termijn: !owed ? null : r.terugkoppelingUiterlijk < o.vandaag ? 'over tijd' : r.terugkoppelingUiterlijk === o.vandaag ? 'vandaag uiterlijk' : null,
    corporatie: o.corporatie ?? null, wijkteam: o.wijkteam ?? null,
    teruggekoppeld: r.teruggekoppeldOp ? `${moment(r.teruggekoppeldOp)}${r.opTijd === false ? ' (na de termijn)' : r.opTijd ? ' (op tijd)' : ''}` : null,
    verwijderd: r.verwijderd,
  };
}

/** The Europe/Amsterdam date today, YYYY-MM-DD. */
export { amsterdamDatum } from '../../../domain/werkdagen.js';

/** Every reading of personal data in the werkplek is a logboek record with the person's pseudonymous id. */
export function leesVastleggen(sb: Signaalbrug, request: FastifyRequest, id: string, g: Gebruiker): Promise<void> {
  // Fastify answers HEAD with the GET handler: nobody read anything.
  if (request.method === 'HEAD') return Promise.resolve();
  return sb.diensten.lezen.vastleggen(id, { actie: 'melding-gelezen', oin: g.oin, extra: { kanaal: 'werkplek', gebruiker: g.id, rol: g.rol } });
}

/** Field errors from a problem's invalidParams, by field name; `(body)` and the like go to the summary only. */
export function foutenUit(params: readonly { name: string; reason: string }[] | undefined): Record<string, string> {
  const f: Record<string, string> = {};
  for (const p of params ?? []) f[p.name] = f[p.name] ? `${f[p.name]}; ${p.reason}` : p.reason;
  return f;
}

/** An HTML id for a field name with dots (`huurder.achternaam` → `huurder-achternaam`). */
export const veldId = (naam: string) => naam.replace(/[^A-Za-z0-9_-]/g, '-');
