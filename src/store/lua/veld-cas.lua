-- Compare-and-set of one hash field: write ARGV[3] only if the field still holds ARGV[2].
-- KEYS: hash. ARGV: field, expected value, new value. Returns 1 written, 0 changed meanwhile.
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  return 1
end
return 0
