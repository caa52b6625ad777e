// The Lua scripts behind LinkRepo: each step that reads and then writes a link runs as one script,
// so two browsers (or an attacker racing the recipient) cannot both use one code or skip a count.
// Keys of other links are built inside the script from the `sb:link:` base: fine on the single
// Redis that is our system of record; Redis Cluster would need hash tags here.

/** goed: right code (now used up); fout: wrong, expired or already used; vergrendeld-nu: this try locked the link. */
export type Codeuitkomst = 'goed' | 'fout' | 'vergrendeld' | 'vergrendeld-nu' | 'onbekend';

// KEYS: new link, melding pointer, link base ("sb:link:"), all links of the melding; ARGV: hash, meldingId, geldigTot, ttl ms
const MAAK = `
local oud = redis.call('GET', KEYS[2])
if oud and redis.call('EXISTS', KEYS[3] .. oud) == 1 then
  redis.call('HSET', KEYS[3] .. oud, 'vervangen', '1')
  redis.call('DEL', KEYS[3] .. 'code:' .. oud)
end
redis.call('HSET', KEYS[1], 'meldingId', ARGV[2], 'geldigTot', ARGV[3], 'pogingen', 0, 'vergrendeld', 0, 'ingetrokken', 0, 'vervangen', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[4])
redis.call('SADD', KEYS[4], ARGV[1])
redis.call('PEXPIRE', KEYS[4], ARGV[4])
return 1
`;

// KEYS: link, code; ARGV: code hash, now (ms), maxPogingen
// A right code resets the count: the limit is on wrong tries in a row (issue 5: at most 5).
const CODE = `
local l = redis.call('HMGET', KEYS[1], 'meldingId', 'vergrendeld', 'ingetrokken', 'vervangen')
if not l[1] or l[3] == '1' or l[4] == '1' then return {'onbekend', 0} end
if l[2] == '1' then return {'vergrendeld', 0} end
local c = redis.call('HMGET', KEYS[2], 'code', 'geldigTot')
if c[1] and c[1] == ARGV[1] and tonumber(c[2]) > tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'pogingen', 0)
  return {'goed', 0}
end
local n = redis.call('HINCRBY', KEYS[1], 'pogingen', 1)
if n >= tonumber(ARGV[3]) then
  redis.call('HSET', KEYS[1], 'vergrendeld', '1')
  redis.call('DEL', KEYS[2])
  return {'vergrendeld-nu', n}
end
return {'fout', n}
`;

// KEYS: melding pointer, link base; marks the current link withdrawn and voids its code.
const TREK_IN = `
local h = redis.call('GET', KEYS[1])
if not h or redis.call('EXISTS', KEYS[2] .. h) == 0 then return 0 end
redis.call('HSET', KEYS[2] .. h, 'ingetrokken', '1')
redis.call('DEL', KEYS[2] .. 'code:' .. h)
return 1
`;

// KEYS: counter; ARGV: window (ms). Fixed window: the first hit of a window sets its expiry.
const TEMPO = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}
`;

// KEYS: melding pointer, link base, read-marker, all links of the melding; removes every link the
// melding ever had (also ones a reminder replaced), their codes and the markers (retention and
// erasure: the melding's personal data is gone, so is every way to it).
const VERWIJDER = `
local hashes = redis.call('SMEMBERS', KEYS[4])
local h = redis.call('GET', KEYS[1])
if h then table.insert(hashes, h) end
for _, x in ipairs(hashes) do redis.call('DEL', KEYS[2] .. x, KEYS[2] .. 'code:' .. x) end
return redis.call('DEL', KEYS[1], KEYS[3], KEYS[4])
`;

export const LINK_LUA = {
  sbLinkMaak: { keys: 4, lua: MAAK },
  sbLinkCode: { keys: 2, lua: CODE },
  sbLinkTrekIn: { keys: 2, lua: TREK_IN },
  sbLinkTempo: { keys: 1, lua: TEMPO },
  sbLinkVerwijder: { keys: 4, lua: VERWIJDER },
} as const;
