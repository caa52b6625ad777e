-- Remove the personal data of a case and everything personal that leads to it (encrypted melding,
-- feedback, outcomes and updates: fields of the case, or strings of their own written before;
-- idempotency key, data subject index entry, feed entry, delivered-markers, pending timers), and log
-- the deletion in the same step. Metadata (soort, wijkteam, OINs, dates, status, events) stays.
-- Returns 1 removed, 0 already removed, -1 no such case.
--- @include logboek
--- @include termijnen
--- @include gebeurtenis
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('HEXISTS', KEYS[1], 'verwijderdOp') == 1 then return 0 end
local x = cjson.decode(ARGV[5])
local h = redis.call('HMGET', KEYS[1], 'betrokkene', 'idem', 'oin', 'feedId')
local weg = {'gegevens', 'terugkoppeling', 'eindresultaat', 'troubleshooterUitkomst', 'herhaling', 'idem', 'feedId'}
-- the corporation's updates, one encrypted field each, the delivered-markers and pending timers (the
-- retention timer stays until everything that leads to the case is gone: WisStore.klaar)
for _, veld in ipairs(redis.call('HKEYS', KEYS[1])) do
  if string.sub(veld, 1, 11) == 'aanvulling:' or string.sub(veld, 1, 8) == 'bezorgd:' or (string.sub(veld, 1, 2) == 't:' and veld ~= 't:bewaar') then
    table.insert(weg, veld)
  end
end
redis.call('HDEL', KEYS[1], unpack(weg))
redis.call('DEL', KEYS[5], KEYS[6])
redis.call('HSET', KEYS[1], 'verwijderdOp', ARGV[2], 'verwijderReden', ARGV[3])
gebeurtenisBij(KEYS[1], KEYS[2], cjson.encode({soort = 'gegevens-verwijderd', op = ARGV[2], reden = ARGV[3]}))
-- the data subject's index: this case's item of the pseudonym's field in its bucket, and the sorted
-- set per pseudonym of before
if h[1] then
  local emmer, veld = x.betrokkeneBasis .. string.sub(h[1], 1, x.emmer), string.sub(h[1], x.emmer + 1, x.emmer + x.emmerveld)
  local items = redis.call('HGET', emmer, veld)
  if items then
    local rest = {}
    for item in string.gmatch(items, '%S+') do
      if string.sub(item, -(#ARGV[1] + 1)) ~= ':' .. ARGV[1] then table.insert(rest, item) end
    end
    if #rest > 0 then redis.call('HSET', emmer, veld, table.concat(rest, ' ')) else redis.call('HDEL', emmer, veld) end
  end
  redis.call('ZREM', x.betrokkeneBasis .. h[1], ARGV[1])
end
-- the idempotency entry, when it is still this case's (in its bucket, or a key of its own of before)
if h[2] then
  local eigen = function(v) return v and string.sub(v, 1, #ARGV[1] + 1) == ARGV[1] .. ' ' end
  local emmer, veld = x.idemBasis .. string.sub(h[2], 1, x.emmer), string.sub(h[2], x.emmer + 1, x.emmer + x.emmerveld)
  if eigen(redis.call('HGET', emmer, veld)) then redis.call('HDEL', emmer, veld) end
  local idem = x.idemBasis .. h[2]
  if eigen(redis.call('GET', idem)) then redis.call('DEL', idem) end
end
if h[3] and h[4] then
  for id in string.gmatch(h[4], '%S+') do redis.call('XDEL', x.feedBasis .. h[3], id) end
end
-- the case moves to its retention timer (or leaves its bucket of the timers), and timers planned in the shared set
-- before they moved into the case go
termijnenHerbereken(KEYS[1], {zset = KEYS[4], emmer = KEYS[7], emmers = KEYS[8]}, ARGV[1])
for _, lid in ipairs(x.timers) do redis.call('ZREM', KEYS[4], lid) end
-- delivered-markers written as keys of their own before they became fields of the case
for _, m in ipairs(x.markers) do redis.call('DEL', x.bezorgdBasis .. m) end
logboek(KEYS[3], ARGV[4], x.logboek)
return 1
