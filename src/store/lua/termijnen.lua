-- A case's timers: fields `t:<actie>` of its hash holding the moment (ms), and the case once in its
-- bucket of the timers (a small sorted set, chosen by its id: RedisNamen.termijnEmmer), scored by
-- its earliest timer; the buckets' index (a sorted set of bucket keys, each scored by its earliest
-- member) is where the scheduler finds what is due. Callers name a timer as the domain does,
-- `<meldingId>|<actie>`. The shared sorted set of before (`zset`) may still hold the case itself, or
-- a member of that form for a timer planned before the timers moved into the case: it is still
-- fired, stopped and removed as such (`termijnStop` and the gate take either).
-- `plek` = {zset, emmer, emmers}: the shared set of before, the case's bucket, the buckets' index.
local function termijnveld(lid)
  return 't:' .. string.sub(lid, (string.find(lid, '|', 1, true) or 0) + 1)
end

-- Plan (or move) one timer of the case; call termijnenHerbereken after the last change.
local function termijnZet(hash, lid, ms)
  redis.call('HSET', hash, termijnveld(lid), string.format('%d', ms))
end

-- Stop one timer; returns whether it was pending (in either form).
local function termijnStop(hash, zset, lid)
  local weg = redis.call('HDEL', hash, termijnveld(lid))
  return weg + redis.call('ZREM', zset, lid) > 0
end

-- Put the case in its bucket at `score` (or out of it, when nil), and the bucket at its earliest in the index.
local function termijnPlaats(plek, id, score)
  if score then redis.call('ZADD', plek.emmer, score, id) else redis.call('ZREM', plek.emmer, id) end
  local eerste = redis.call('ZRANGE', plek.emmer, 0, 0, 'WITHSCORES')
  if eerste[2] then redis.call('ZADD', plek.emmers, eerste[2], plek.emmer) else redis.call('ZREM', plek.emmers, plek.emmer) end
end

-- The case's place: its earliest timer, or none; and out of the shared set of before.
local function termijnenHerbereken(hash, plek, id)
  -- the names first: the case's large values (events, ciphertexts) are not copied into the script
  local namen = {}
  for _, veld in ipairs(redis.call('HKEYS', hash)) do
    if string.sub(veld, 1, 2) == 't:' then table.insert(namen, veld) end
  end
  local eerste, score
  if #namen > 0 then
    for _, s in ipairs(redis.call('HMGET', hash, unpack(namen))) do
      local ms = tonumber(s)
      if ms and (not eerste or ms < eerste) then eerste, score = ms, s end
    end
  end
  redis.call('ZREM', plek.zset, id)
  termijnPlaats(plek, id, score)
end
