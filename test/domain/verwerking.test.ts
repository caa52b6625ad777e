// Trace context and the shape of a logboek record (Logboek dataverwerkingen, W3C Trace Context).
import t from 'tap';
import { leesTraceparent, nieuwSpoor, verwerking } from '../../src/domain/verwerking.js';

const GELDIG = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

t.test('traceparent: valid headers are taken, anything malformed is ignored', async (t) => {
  t.same(leesTraceparent(GELDIG), { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentSpanId: '00f067aa0ba902b7', extern: true });
  t.same(leesTraceparent(` ${GELDIG} `)?.traceId, '4bf92f3577b34da6a3ce929d0e0e4736', 'surrounding whitespace');
  t.same(leesTraceparent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-toekomst')?.parentSpanId, '00f067aa0ba902b7',
    'a later version may append fields');
  const fout: [string, unknown][] = [
    ['absent', undefined],
    ['two headers', [GELDIG, GELDIG]],
    ['empty', ''],
    ['upper case', GELDIG.toUpperCase()],
    ['version ff', GELDIG.replace(/^00/, 'ff')],
    ['version 00 with more fields', `${GELDIG}-x`],
    ['all-zero trace id', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`],
    ['all-zero parent id', `00-4bf92f3577b34da6a3ce929d0e0e4736-${'0'.repeat(16)}-01`],
    ['short trace id', '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01'],
    ['not hex', '00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01'],
    ['garbage', 'drop table meldingen;'],
  ];
  for (const [naam, kop] of fout) t.equal(leesTraceparent(kop as string), undefined, naam);
});

t.test('a record is an OpenTelemetry span with the Logius core attributes', async (t) => {
  const start = new Date('2026-11-23T09:00:00Z');
  const v = verwerking({ actie: 'melding-ontvangen', spoor: leesTraceparent(GELDIG)!, register: 'https://register.example/verwerkingen',
    betrokkene: 'pseudo', oin: '00000099000000000001', meldingId: 'm1', start, extra: { soort: 'huurachterstand', leeg: undefined } });
  t.match(v, {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: /^[0-9a-f]{16}$/, parentSpanId: '00f067aa0ba902b7', name: 'melding-ontvangen',
    kind: 'SPAN_KIND_SERVER', startTime: start.toISOString(), endTime: start.toISOString(), status: { code: 'STATUS_CODE_OK' },
  });
  t.same(v.attributes, {
    'dpl.core.processing_activity_id': 'https://register.example/verwerkingen#vroegsignalering',
    'dpl.core.data_subject_id': 'pseudo',
    'dpl.core.data_subject_id_type': 'pseudoniem:hmac-sha256(oin-corporatie,relatienummer)',
    'dpl.signaalbrug.organisatie_oin': '00000099000000000001',
    'dpl.signaalbrug.melding_id': 'm1',
    'dpl.core.foreign_operation.trace_id': '4bf92f3577b34da6a3ce929d0e0e4736',
    'dpl.core.foreign_operation.span_id': '00f067aa0ba902b7',
    'dpl.signaalbrug.soort': 'huurachterstand',
  });
  const eigen = verwerking({ actie: 'gegevens-verwijderd', spoor: nieuwSpoor(), register: 'r', betrokkene: 'p', oin: 'o', start, fout: true });
  t.match(eigen, { traceId: /^[0-9a-f]{32}$/, kind: 'SPAN_KIND_INTERNAL', status: { code: 'STATUS_CODE_ERROR' } });
  t.notOk('parentSpanId' in eigen, 'a new trace has no parent');
  t.equal(eigen.attributes['dpl.core.processing_activity_id'], 'r#bewaartermijn');
  t.notOk('dpl.core.foreign_operation.trace_id' in eigen.attributes);
});
