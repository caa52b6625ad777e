// The stream fields of one logboek record, shared by every script that writes one (intake,
// transitions, deletion) so the record lands atomically with what it describes.
import type { Verwerking } from '../domain/verwerking.js';

/** Always these eight stream fields. */
export type LogboekVelden = ['naam', string, 'melding', string, 'betrokkene', string, 'span', string];

/** The stream fields of one record: filters first (no JSON parse needed), then the span itself. */
export function logboekVelden(v: Verwerking): LogboekVelden {
  return [
    'naam', v.name, 'melding', v.attributes['dpl.signaalbrug.melding_id'] ?? '',
    'betrokkene', v.attributes['dpl.core.data_subject_id'] ?? '', 'span', JSON.stringify(v),
  ];
}
