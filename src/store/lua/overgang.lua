-- One state change, all or nothing: compare-and-set of the status, the event, and what the domain
-- said must happen with it (delivered-marker as a field of the case, timers claimed, stopped or
-- planned, fields, an outbox entry, the corporation's feed, the logboek record, the moment its
-- personal data must go, as a timer of the case).
-- Returns 1 done, 0 the status moved meanwhile (the service reads again), -1 the gate timer is gone.
--- @include logboek
--- @include termijnen
--- @include gebeurtenis
if redis.call('HGET', KEYS[1], 'status') ~= ARGV[1] then return 0 end
local x = cjson.decode(ARGV[5])
-- a once-only milestone already set: the case moved (the service computes again and is refused)
if x.eenmalig ~= '' and redis.call('HEXISTS', KEYS[1], x.eenmalig) == 1 then return 0 end
if ARGV[4] ~= '' and not termijnStop(KEYS[1], KEYS[3], ARGV[4]) then return -1 end
if x.eenmalig ~= '' then redis.call('HSET', KEYS[1], x.eenmalig, x.op) end
if ARGV[2] ~= ARGV[1] then redis.call('HSET', KEYS[1], 'status', ARGV[2]) end
gebeurtenisBij(KEYS[1], KEYS[2], ARGV[3])
if x.bezorgd then redis.call('HSET', KEYS[1], x.bezorgd, string.format('%d', x.bezorgdOp)) end
if #x.velden > 0 then redis.call('HSET', KEYS[1], unpack(x.velden)) end
for _, lid in ipairs(x.stop) do termijnStop(KEYS[1], KEYS[3], lid) end
for _, p in ipairs(x.plan) do termijnZet(KEYS[1], p[1], p[2]) end
-- the retention moment, one more timer of the case: the earliest moment wins (a refusal of help
-- shortens the term, whatever follows)
local bewaar = false
if x.bewaar then
  local nu = redis.call('HGET', KEYS[1], 't:bewaar')
  if not nu or tonumber(x.bewaar) < tonumber(nu) then
    termijnZet(KEYS[1], ARGV[6] .. '|bewaar', tonumber(x.bewaar))
    bewaar = true
  end
end
if ARGV[4] ~= '' or #x.stop > 0 or #x.plan > 0 or bewaar then termijnenHerbereken(KEYS[1], {zset = KEYS[3], emmer = KEYS[7], emmers = KEYS[8]}, ARGV[6]) end
if #x.outbox > 0 then redis.call('XADD', KEYS[4], '*', unpack(x.outbox)) end
if KEYS[5] ~= '' then
  -- remembered on the case (space-separated), so retention can remove exactly these feed entries
  local id = redis.call('XADD', KEYS[5], '*', unpack(x.feed))
  local eerder = redis.call('HGET', KEYS[1], 'feedId')
  redis.call('HSET', KEYS[1], 'feedId', eerder and (eerder .. ' ' .. id) or id)
end
if x.logboek then logboek(KEYS[6], x.ms, x.logboek) end
return 1
