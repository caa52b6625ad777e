-- A lease held by one holder (token): renew it (ms > 0) or release it (ms 0), only by its holder.
-- Returns 1 when the holder had it, 0 when it ran out or another holds it.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) else redis.call('DEL', KEYS[1]) end
return 1
