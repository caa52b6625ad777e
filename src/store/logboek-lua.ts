// The Lua and the stream fields of one logboek record, shared by every script that writes one
// (intake, state changes, deletion) so the record lands atomically with what it describes.
import type { Verwerking } from '../domain/verwerking.js';

/**
 * Lua: `logboek(key, ms, velden)` appends one record with entry id `<ms>-*` (the service clock); when
 * that is behind the newest entry, `*` (Redis keeps ids monotonic, never earlier than the action).
 */
export const LOGBOEK_LUA = `
local function logboek(sleutel, ms, velden)
  local r = redis.pcall('XADD', sleutel, ms .. '-*', unpack(velden))
  if type(r) == 'table' and r.err then redis.call('XADD', sleutel, '*', unpack(velden)) end
end
`;

/** Always these eight stream fields (the intake script takes them as ARGV 7 to 14). */
export type LogboekVelden = ['naam', string, 'melding', string, 'betrokkene', string, 'span', string];

/** The stream fields of one record: filters first (no JSON parse needed), then the span itself. */
export function logboekVelden(v: Verwerking): LogboekVelden {
  return [
    'naam', v.name, 'melding', v.attributes['dpl.signaalbrug.melding_id'] ?? '',
    'betrokkene', v.attributes['dpl.core.data_subject_id'] ?? '', 'span', JSON.stringify(v),
  ];
}
