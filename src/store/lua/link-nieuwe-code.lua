-- A fresh one-time code for a link. The code it replaces is kept beside it as `vorige` (a hash, never
-- valid again), so that entering it is recognised as "replaced" instead of counting as a wrong try.
-- KEYS: code. ARGV: code hash, valid until (ms), ttl (ms).
local oud = redis.call('HGET', KEYS[1], 'code')
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'code', ARGV[1], 'geldigTot', ARGV[2])
if oud then redis.call('HSET', KEYS[1], 'vorige', oud) end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
