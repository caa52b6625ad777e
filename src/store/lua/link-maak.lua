-- A new link for a melding and one recipient role; the older link of that role (if any) is marked
-- replaced and its code voided. Links of the other role stay as they are.
-- KEYS: new link, the role's pointer for the melding, all links of the melding. ARGV: hash, meldingId,
-- geldigTot, ttl ms, link base, code base, rol, herinnering ('1' when the link came with a reminder).
local oud = redis.call('GET', KEYS[2])
if oud and redis.call('EXISTS', ARGV[5] .. oud) == 1 then
  redis.call('HSET', ARGV[5] .. oud, 'vervangen', '1')
  redis.call('DEL', ARGV[6] .. oud)
end
redis.call('HSET', KEYS[1], 'meldingId', ARGV[2], 'geldigTot', ARGV[3], 'pogingen', 0, 'vergrendeld', 0, 'ingetrokken', 0, 'vervangen', 0,
  'rol', ARGV[7], 'herinnering', ARGV[8])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[4])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('PEXPIRE', KEYS[3], ARGV[4])
return 1
