-- Compare-and-set of one string key: write ARGV[2] only if the key still holds ARGV[1].
-- KEYS: key. ARGV: expected value, new value. Returns 1 written, 0 changed meanwhile.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
  return 1
end
return 0
