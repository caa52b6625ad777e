-- A new case with everything that belongs to it, all or nothing: idempotency key, case hash and its
-- ciphertexts (the melding, the repeat link), first event, corporation index, outbox entry, data subject indexes, timers, logboek record, retention.
-- Returns {1, id}, or {0, '<existing id> <fingerprint>'} when the idempotency key exists.
--- @include logboek
local bestaand = redis.call('GET', KEYS[1])
if bestaand then return {0, bestaand} end
local x = cjson.decode(ARGV[4])
redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. ARGV[2])
redis.call('HSET', KEYS[2], unpack(x.velden))
redis.call('SET', KEYS[11], ARGV[5])
if ARGV[6] ~= '' then redis.call('SET', KEYS[12], ARGV[6]) end
redis.call('RPUSH', KEYS[3], ARGV[3])
redis.call('ZADD', KEYS[4], x.ms, ARGV[1])
redis.call('XADD', KEYS[5], '*', unpack(x.outbox))
redis.call('SADD', KEYS[6], ARGV[1])
for _, p in ipairs(x.plan) do redis.call('ZADD', KEYS[9], p[2], p[1]) end
logboek(KEYS[7], x.ms, x.logboek)
if x.bewaar then redis.call('ZADD', KEYS[8], x.bewaar, ARGV[1]) end
-- repeat signals: the data subject's meldingen of the window only, the index gone when the window is
redis.call('ZADD', KEYS[10], x.ms, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[10], '-inf', '(' .. (x.ms - x.vensterMs))
redis.call('PEXPIRE', KEYS[10], x.vensterMs)
return {1, ARGV[1]}
