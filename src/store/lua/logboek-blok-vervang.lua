-- Retention of the archived logboek: drop an archive block (ARGV[2] empty) or replace it by the
-- block of its records that stay, as a compare-and-set on its index entry. Refused (0) when the
-- block is gone or was replaced meanwhile, or the replacement exists; 1 when done.
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
if ARGV[2] ~= '' and redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
if ARGV[2] ~= '' then
  redis.call('SET', KEYS[3], ARGV[4])
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2])
end
return 1
