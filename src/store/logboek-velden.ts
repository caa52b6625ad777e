// The stream fields of one logboek record, shared by every script that writes one (intake,
// transitions, deletion) so the record lands atomically with what it describes, and the one reader
// that turns them back into the span.
//
// A record is kept compact (it stays for years, two or more per case): the span's name, melding id
// and data subject are stream fields of their own (the filters read them without parsing), and the
// `span` field holds only what they and the constants every span carries do not already say.
// Reading restores the full span exactly as the domain built it.
import type { Actie, Verwerking } from '../domain/verwerking.js';

/** Always these eight stream fields. */
export type LogboekVelden = ['naam', string, 'melding', string, 'betrokkene', string, 'span', string];

const ACTIVITEIT = 'dpl.core.processing_activity_id';
const BETROKKENE = 'dpl.core.data_subject_id';
const BETROKKENE_TYPE = 'dpl.core.data_subject_id_type';
const OIN = 'dpl.signaalbrug.organisatie_oin';
const MELDING = 'dpl.signaalbrug.melding_id';
const KORT: [string, string][] = [['dpl.core.', 'c.'], ['dpl.signaalbrug.', 's.']];
/**
 * The kind of pseudonym the domain writes today (`BETROKKENE_ID_TYPE`): left out when a record has
 * it, restored when reading. A record with another value keeps its own.
 */
const GEBRUIKELIJK_BETROKKENE_TYPE = 'pseudoniem:hmac-sha256(oin-corporatie,relatienummer)';

/** The compact span: only what cannot be derived. */
interface Compact {
  t: string; s: string; p?: string;
  /** SPAN_KIND_SERVER (else internal). */
  k?: 1;
  /** Start (ms) and end minus start (ms, when not 0). */
  a: number; e?: number;
  /** STATUS_CODE_ERROR (else OK). */
  f?: 1;
  /** The remaining attributes, their prefixes shortened. */
  x: Record<string, string>;
}

const kort = (k: string) => KORT.reduce((s, [lang, k2]) => (s.startsWith(lang) ? k2 + s.slice(lang.length) : s), k);
const lang = (k: string) => KORT.reduce((s, [l, k2]) => (s.startsWith(k2) ? l + s.slice(k2.length) : s), k);

/** The stream fields of one record: filters first (no JSON parse needed), then the compact span. */
export function logboekVelden(v: Verwerking): LogboekVelden {
  const melding = v.attributes[MELDING] ?? '';
  const betrokkene = v.attributes[BETROKKENE] ?? '';
  const start = Date.parse(v.startTime);
  const c: Compact = { t: v.traceId, s: v.spanId, ...(v.parentSpanId ? { p: v.parentSpanId } : {}), ...(v.kind === 'SPAN_KIND_SERVER' ? { k: 1 as const } : {}),
    a: start, x: {} };
  const duur = Date.parse(v.endTime) - start;
  if (duur) c.e = duur;
  if (v.status.code === 'STATUS_CODE_ERROR') c.f = 1;
  for (const [k, w] of Object.entries(v.attributes)) {
    if ((k === BETROKKENE && w === betrokkene) || (k === MELDING && w === melding) || (k === BETROKKENE_TYPE && w === GEBRUIKELIJK_BETROKKENE_TYPE)) continue;
    c.x[kort(k)] = w;
  }
  return ['naam', v.name, 'melding', melding, 'betrokkene', betrokkene, 'span', JSON.stringify(c)];
}

/** The span of a record as read from the stream (fields by name). */
export function uitLogboekVelden(v: Record<string, string>): Verwerking {
  const c = JSON.parse(v.span!) as Compact | Verwerking;
  if ('traceId' in c) return c; // a record written before the compact form
  const naam = v.naam as Actie;
  const x = Object.fromEntries(Object.entries(c.x).map(([k, w]) => [lang(k), w]));
  // In the order the domain builds them.
  const attributes: Record<string, string> = {};
  if (x[ACTIVITEIT] !== undefined) attributes[ACTIVITEIT] = x[ACTIVITEIT];
  if (v.betrokkene) attributes[BETROKKENE] = v.betrokkene;
  attributes[BETROKKENE_TYPE] = x[BETROKKENE_TYPE] ?? GEBRUIKELIJK_BETROKKENE_TYPE;
  if (x[OIN] !== undefined) attributes[OIN] = x[OIN];
  if (v.melding) attributes[MELDING] = v.melding;
  for (const [k, w] of Object.entries(x)) if (!(k in attributes)) attributes[k] = w;
  return {
    traceId: c.t, spanId: c.s, ...(c.p ? { parentSpanId: c.p } : {}), name: naam,
    kind: c.k ? 'SPAN_KIND_SERVER' : 'SPAN_KIND_INTERNAL',
    startTime: new Date(c.a).toISOString(), endTime: new Date(c.a + (c.e ?? 0)).toISOString(),
    status: { code: c.f ? 'STATUS_CODE_ERROR' : 'STATUS_CODE_OK' },
    resource: { 'service.name': 'signaalbrug' },
    attributes,
  };
}
