-- Move the logboek stream's oldest records into an archive block, as a compare-and-set: only when
-- the stream still starts with the block's first record and still holds its last one, and no block
-- of that name exists. Entry ids only grow (logboek.lua) and nothing removes a single record from
-- the stream, so the records from the first to the last are exactly those the archiver read and put
-- in the block: they leave the stream in the same step as the block and its index entry arrive.
-- Returns how many records left the stream, or -1: refused (another archiver or the retention was
-- first), nothing changed.
if redis.call('EXISTS', KEYS[3]) == 1 then return -1 end
local kop = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
if #kop == 0 or kop[1][1] ~= ARGV[1] then return -1 end
if #redis.call('XRANGE', KEYS[1], ARGV[2], ARGV[2]) == 0 then return -1 end
redis.call('SET', KEYS[3], ARGV[6])
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[4])
return redis.call('XTRIM', KEYS[1], 'MINID', ARGV[3])
