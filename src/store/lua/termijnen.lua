-- A case's timers: fields `t:<actie>` of its hash holding the moment (ms), and the case once in the
-- shared sorted set, scored by its earliest timer, where the scheduler finds what is due. Callers
-- name a timer as the domain does, `<meldingId>|<actie>`. A member of that form in the sorted set
-- itself is a timer planned before the timers moved into the case: it is still fired, stopped and
-- removed as such (`termijnStop` and the gate take either).
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

-- The case's place in the sorted set: its earliest timer, or none.
local function termijnenHerbereken(hash, zset, id)
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
  if eerste then redis.call('ZADD', zset, score, id) else redis.call('ZREM', zset, id) end
end
