-- A new case with everything that belongs to it, all or nothing: idempotency entry, case hash with its
-- ciphertexts (the melding, the repeat link) and first event, corporation index (a stream), outbox entry, the data
-- subject's index, timers and the retention moment (fields of the case, the case in its bucket of the
-- timers at the earliest), logboek record. The idempotency entry and the data subject's index
-- are fields of buckets (KEYS idemEmmer, betrokkeneEmmer; ARGV idemVeld, betrokkeneVeld); an
-- idempotency key of its own written before (KEYS idem) still counts.
-- The repeat link (ARGV herhaling) was computed against ARGV vorige: the data subject's latest melding
-- received at or after ARGV vanaf (ms), or '' for none. When that is no longer so (or the caller did
-- not know yet), nothing is written and the latest is returned, so the caller can link to it and try
-- again: the lookup and the write are one step, and one round trip when there is nothing to link.
-- With ARGV vast = '1' the link stands as given (the caller's last round under a flood of meldingen
-- for one tenant: linked to an earlier one in the window, maybe not the very latest).
-- Returns {1, id}, {0, '<existing id> <fingerprint>'} when the idempotency entry exists, or
-- {2, '<latest id or empty>'}.
--- @include logboek
--- @include termijnen
local bestaand = redis.call('HGET', KEYS[2], ARGV[7]) or redis.call('GET', KEYS[1])
if bestaand then return {0, bestaand} end
-- the data subject's latest melding in the window: the last item `<ms>:<id>` written to the bucket's
-- field (appended as kept, so two meldingen at the same moment, or a clock a little behind, still
-- make a chain), unless the sorted set per pseudonym of before (KEYS betrokkeneIndex) has a later one
local eerder = redis.call('HGET', KEYS[6], ARGV[8])
if ARGV[11] ~= '1' then
  local vanaf = tonumber(ARGV[9])
  local laatste, laatsteMs = '', nil
  for ms, id in string.gmatch(eerder or '', '(%d+):(%S+)') do
    ms = tonumber(ms)
    if ms >= vanaf then laatste, laatsteMs = id, ms end
  end
  local oud = redis.call('ZRANGE', KEYS[11], '+inf', ARGV[9], 'BYSCORE', 'REV', 'LIMIT', 0, 1, 'WITHSCORES')
  if oud[1] and (not laatsteMs or tonumber(oud[2]) > laatsteMs) then laatste = oud[1] end
  if laatste ~= ARGV[10] then return {2, laatste} end
end
local x = cjson.decode(ARGV[4])
redis.call('HSET', KEYS[2], ARGV[7], ARGV[1] .. ' ' .. ARGV[2])
-- the ciphertexts are bytes, so arguments of their own rather than part of the JSON
redis.call('HSET', KEYS[3], 'gegevens', ARGV[5], 'gebeurtenissen', ARGV[3], unpack(x.velden))
if ARGV[6] ~= '' then redis.call('HSET', KEYS[3], 'herhaling', ARGV[6]) end
-- the corporation's index: a stream by moment of receipt (compact entries, read by time range)
stroomBij(KEYS[4], string.format('%d', x.ms), {'id', ARGV[1]})
redis.call('XADD', KEYS[5], '*', unpack(x.outbox))
-- the data subject's index (rights requests, and the latest within the window for repeat signals)
local item = string.format('%d', x.ms) .. ':' .. ARGV[1]
redis.call('HSET', KEYS[6], ARGV[8], eerder and (eerder .. ' ' .. item) or item)
-- a new case has no other timers: its place in its bucket is the earliest of its plan
local eerste
if x.bewaar then table.insert(x.plan, {ARGV[1] .. '|bewaar', x.bewaar}) end
for _, p in ipairs(x.plan) do
  termijnZet(KEYS[3], p[1], p[2])
  if not eerste or p[2] < eerste then eerste = p[2] end
end
if eerste then termijnPlaats({emmer = KEYS[9], emmers = KEYS[10]}, ARGV[1], string.format('%d', eerste)) end
logboek(KEYS[7], x.ms, x.logboek)
return {1, ARGV[1]}
