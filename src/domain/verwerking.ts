// Logboek dataverwerkingen (Logius draft standard): one record per action and per data subject,
// shaped as an OpenTelemetry span. Trace context follows W3C Trace Context, which the standard
// requires between applications over HTTP. Pure: no Redis, no Fastify.
import { willekeurigHex } from '../toeval.js';

/** The actions we log: the span `name` (the operation within the processing activity). */
export const ACTIES = [
  'melding-ontvangen', 'melding-bezorgd', 'melding-gelezen', 'terugkoppeling-ontvangen', 'melding-geescaleerd',
  'melding-ingetrokken', 'melding-afgesloten', 'gegevens-verwijderd', 'inzage-verstrekt',
  'terugkoppeling-gewijzigd', 'escalatie-opgepakt', 'escalatie-uitkomst', 'aanvulling-ontvangen', 'ddas-geleverd',
] as const;
export type Actie = (typeof ACTIES)[number];

/** Processing activities of the AVG art. 30 register that the actions belong to. */
export type Verwerkingsactiviteit = 'vroegsignalering' | 'bewaartermijn' | 'rechten-betrokkene';

export const ACTIVITEIT_VAN: Record<Actie, Verwerkingsactiviteit> = {
  'melding-ontvangen': 'vroegsignalering', 'melding-bezorgd': 'vroegsignalering', 'melding-gelezen': 'vroegsignalering',
  'terugkoppeling-ontvangen': 'vroegsignalering', 'melding-geescaleerd': 'vroegsignalering', 'melding-ingetrokken': 'vroegsignalering',
  'melding-afgesloten': 'vroegsignalering', 'terugkoppeling-gewijzigd': 'vroegsignalering', 'escalatie-opgepakt': 'vroegsignalering',
  'escalatie-uitkomst': 'vroegsignalering', 'aanvulling-ontvangen': 'vroegsignalering', 'ddas-geleverd': 'vroegsignalering',
  'gegevens-verwijderd': 'bewaartermijn', 'inzage-verstrekt': 'rechten-betrokkene',
};

/** What kind of pseudonym `dpl.core.data_subject_id` holds: never the plain relatienummer. */
export const BETROKKENE_ID_TYPE = 'pseudoniem:hmac-sha256(oin-corporatie,relatienummer)';

/** Where a record sits in a trace: the caller's trace (traceparent) or one of our own. */
export interface Spoor {
  traceId: string;
  /** The calling span: the partner's (from traceparent) or our own earlier span (e.g. the intake). */
  parentSpanId?: string;
  /** True when traceId and parentSpanId came from another organisation's traceparent. */
  extern?: boolean;
}

export interface Verwerking {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: Actie;
  kind: 'SPAN_KIND_SERVER' | 'SPAN_KIND_INTERNAL';
  startTime: string;
  endTime: string;
  status: { code: 'STATUS_CODE_OK' | 'STATUS_CODE_ERROR' };
  resource: { 'service.name': 'signaalbrug' };
  attributes: Record<string, string>;
}

export const nieuwSpanId = () => willekeurigHex(8);
export const nieuwSpoor = (): Spoor => ({ traceId: willekeurigHex(16) });

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * W3C Trace Context `traceparent`, or undefined when absent or malformed (the caller then starts a
 * new trace; a bad header never fails a request). Version ff and all-zero ids are invalid; version
 * 00 has exactly four fields, later versions may append more.
 */
export function leesTraceparent(kop: string | string[] | undefined): Spoor | undefined {
  if (typeof kop !== 'string') return undefined;
  const m = TRACEPARENT.exec(kop.trim());
  if (!m) return undefined;
  const [, versie, traceId, parentId, , rest] = m;
  if (versie === 'ff' || (versie === '00' && rest !== undefined)) return undefined;
  if (/^0+$/.test(traceId!) || /^0+$/.test(parentId!)) return undefined;
  return { traceId: traceId!, parentSpanId: parentId!, extern: true };
}

export interface VerwerkingInvoer {
  actie: Actie;
  spoor: Spoor;
  /** Base URI of the register of processing activities (config privacy.verwerkingsregister). */
  register: string;
  /** The keyed pseudonym of the data subject. */
  betrokkene: string;
  /** The organisation that acted (OIN). */
  oin: string;
  meldingId?: string;
  start: Date;
  eind?: Date;
  fout?: boolean;
  extra?: Record<string, string | undefined>;
}

/** One logboek record. A span of its own, child of the caller's span when there is one. */
export function verwerking(v: VerwerkingInvoer): Verwerking {
  const attributes: Record<string, string> = {
    'dpl.core.processing_activity_id': `${v.register}#${ACTIVITEIT_VAN[v.actie]}`,
    'dpl.core.data_subject_id': v.betrokkene,
    'dpl.core.data_subject_id_type': BETROKKENE_ID_TYPE,
    'dpl.signaalbrug.organisatie_oin': v.oin,
  };
  if (v.meldingId) attributes['dpl.signaalbrug.melding_id'] = v.meldingId;
  // Logius draft: the calling operation at another organisation, when a traceparent came with the call.
  if (v.spoor.extern && v.spoor.parentSpanId) {
    attributes['dpl.core.foreign_operation.trace_id'] = v.spoor.traceId;
    attributes['dpl.core.foreign_operation.span_id'] = v.spoor.parentSpanId;
  }
  for (const [k, w] of Object.entries(v.extra ?? {})) if (w !== undefined) attributes[`dpl.signaalbrug.${k}`] = w;
  return {
    traceId: v.spoor.traceId,
    spanId: nieuwSpanId(),
    ...(v.spoor.parentSpanId ? { parentSpanId: v.spoor.parentSpanId } : {}),
    name: v.actie,
    kind: v.spoor.extern ? 'SPAN_KIND_SERVER' : 'SPAN_KIND_INTERNAL',
    startTime: v.start.toISOString(),
    endTime: (v.eind ?? v.start).toISOString(),
    status: { code: v.fout ? 'STATUS_CODE_ERROR' : 'STATUS_CODE_OK' },
    resource: { 'service.name': 'signaalbrug' },
    attributes,
  };
}
