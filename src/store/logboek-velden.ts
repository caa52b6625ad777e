// The Lua and the stream fields of one logboek record, shared by every script that writes one
// (intake, state changes, deletion) so the record lands atomically with what it describes.
import type { Verwerking } from '../domain/verwerking.js';

/**
 * Lua: `logboek(key, ms, velden)` appends one record with entry id `<ms>-*`: the service clock rules,
 * never Redis's own (hosts and Redis may disagree by seconds, and tests run the service on another
 * day). A writer whose clock is behind the newest entry appends at that entry's millisecond with the
 * next sequence number, so ids stay monotonic, never earlier than the newest record and never on
 * Redis's clock.
 */
export const LOGBOEK_LUA = `
local function logboek(sleutel, ms, velden)
  local r = redis.pcall('XADD', sleutel, ms .. '-*', unpack(velden))
  if type(r) == 'table' and r.err then
    local laatste = redis.call('XINFO', 'STREAM', sleutel)
    local id
    for i = 1, #laatste, 2 do if laatste[i] == 'last-generated-id' then id = laatste[i + 1] end end
    redis.call('XADD', sleutel, string.match(id, '^(%d+)') .. '-*', unpack(velden))
  end
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
