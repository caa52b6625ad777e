-- A case's events: lines of its hash field `gebeurtenissen` (one compact event each, oldest first),
-- so a case is one key. A case written before the events moved there keeps its own list key, and
-- its later events go on that list, in order.
local function gebeurtenisBij(hash, lijst, tekst)
  if redis.call('EXISTS', lijst) == 1 then
    redis.call('RPUSH', lijst, tekst)
    return
  end
  local eerder = redis.call('HGET', hash, 'gebeurtenissen')
  redis.call('HSET', hash, 'gebeurtenissen', eerder and (eerder .. '\n' .. tekst) or tekst)
end
