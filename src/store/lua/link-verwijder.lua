-- Retention and erasure: every link the melding ever had (also ones a reminder replaced), their codes,
-- the pointer and the read-marker. KEYS: melding pointer, read-marker, all links of the melding.
-- ARGV: link base, code base.
local hashes = redis.call('SMEMBERS', KEYS[3])
local h = redis.call('GET', KEYS[1])
if h then table.insert(hashes, h) end
for _, x in ipairs(hashes) do redis.call('DEL', ARGV[1] .. x, ARGV[2] .. x) end
return redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
