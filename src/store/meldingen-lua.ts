// The Lua scripts behind MeldingenRepo. Each is one atomic step: a new case with everything that
// belongs to it, or one state change with its consequences, each with its logboek record.
import { LOGBOEK_LUA } from './logboek-lua.js';

// KEYS: idem, case, events, idx-corp, outbox, idx-betrokkene, logboek, bewaartermijnen
// ARGV: id, fingerprint, score, event, logboek ms, delete-at-the-latest ms|'', the 8 logboek
//       fields (logboekVelden), then field/value pairs of the case hash
export const BEWAAR_LUA = `${LOGBOEK_LUA}
local bestaand = redis.call('GET', KEYS[1])
if bestaand then return {0, bestaand} end
redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. ARGV[2])
redis.call('HSET', KEYS[2], unpack(ARGV, 15))
redis.call('RPUSH', KEYS[3], ARGV[4])
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1])
redis.call('XADD', KEYS[5], '*', 'melding', ARGV[1], 'actie', 'bezorgen')
redis.call('SADD', KEYS[6], ARGV[1])
logboek(KEYS[7], ARGV[5], {unpack(ARGV, 7, 14)})
if ARGV[6] ~= '' then redis.call('ZADD', KEYS[8], ARGV[6], ARGV[1]) end
return {1, ARGV[1]}
`;

// One state change, all or nothing: compare-and-set of the status, the event, and what must happen
// with it (delivered-marker, timers stopped or planned, an outbox entry, the corporation's feed, the
// logboek record, the moment its personal data must go).
// KEYS: case, events, marker|'', timers zset, outbox, feed|'', logboek, bewaartermijnen
// ARGV: expected status, new status, event, time, gate member|'', JSON {id, velden, stop, plan, outbox,
//       feed, logboek?, ms?, bewaar?}
export const REGISTREER_LUA = `${LOGBOEK_LUA}
if redis.call('HGET', KEYS[1], 'status') ~= ARGV[1] then return 0 end
if ARGV[5] ~= '' and redis.call('ZREM', KEYS[4], ARGV[5]) == 0 then return -1 end
local x = cjson.decode(ARGV[6])
if ARGV[2] ~= ARGV[1] then redis.call('HSET', KEYS[1], 'status', ARGV[2]) end
redis.call('RPUSH', KEYS[2], ARGV[3])
if KEYS[3] ~= '' then redis.call('SET', KEYS[3], ARGV[4]) end
for k, v in pairs(x.velden) do redis.call('HSET', KEYS[1], k, v) end
for _, lid in ipairs(x.stop) do redis.call('ZREM', KEYS[4], lid) end
for _, p in ipairs(x.plan) do redis.call('ZADD', KEYS[4], p[2], p[1]) end
if #x.outbox > 0 then redis.call('XADD', KEYS[5], '*', unpack(x.outbox)) end
if KEYS[6] ~= '' then
  -- remembered on the case, so retention can remove exactly this feed entry
  redis.call('HSET', KEYS[1], 'feedId', redis.call('XADD', KEYS[6], '*', unpack(x.feed)))
end
if x.logboek then logboek(KEYS[7], x.ms, x.logboek) end
-- LT: the earliest moment wins (003: refused help means at most 6 months, whatever follows)
if x.bewaar then redis.call('ZADD', KEYS[8], 'LT', x.bewaar, x.id) end
return 1
`;
