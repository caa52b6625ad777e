-- Check a one-time code. A right code is used up and resets the count (the limit is on wrong tries
-- in a row); a wrong one counts, and the last allowed try locks the link. The code that a newer one
-- replaced is recognised and does not count: asking for a new code turns no earlier code into a
-- wrong try.
-- KEYS: link, code. ARGV: code hash, now (ms), maxPogingen.
local l = redis.call('HMGET', KEYS[1], 'meldingId', 'vergrendeld', 'ingetrokken', 'vervangen', 'pogingen')
if not l[1] or l[3] == '1' or l[4] == '1' then return {'onbekend', 0} end
if l[2] == '1' then return {'vergrendeld', 0} end
local c = redis.call('HMGET', KEYS[2], 'code', 'geldigTot', 'vorige')
if c[1] and c[1] == ARGV[1] and tonumber(c[2]) > tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'pogingen', 0)
  return {'goed', 0}
end
if c[3] and c[3] == ARGV[1] then return {'vervangen', tonumber(l[5] or '0')} end
local n = redis.call('HINCRBY', KEYS[1], 'pogingen', 1)
if n >= tonumber(ARGV[3]) then
  redis.call('HSET', KEYS[1], 'vergrendeld', '1')
  redis.call('DEL', KEYS[2])
  return {'vergrendeld-nu', n}
end
return {'fout', n}
