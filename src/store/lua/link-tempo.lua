-- Fixed-window rate limit: the first hit of a window sets its expiry.
-- KEYS: counter. ARGV: window (ms). Returns {hits, ms left}.
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}
