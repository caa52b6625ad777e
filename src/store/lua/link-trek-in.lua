-- Withdrawal: the melding's current link shows "ingetrokken" from now on and its code is void.
-- KEYS: melding pointer. ARGV: link base, code base.
local h = redis.call('GET', KEYS[1])
if not h or redis.call('EXISTS', ARGV[1] .. h) == 0 then return 0 end
redis.call('HSET', ARGV[1] .. h, 'ingetrokken', '1')
redis.call('DEL', ARGV[2] .. h)
return 1
