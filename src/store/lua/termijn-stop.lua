-- Stop timers of one case (members `<meldingId>|<actie>`) and put the case in its new place in its
-- bucket. Returns how many were pending.
--- @include termijnen
local n = 0
for _, lid in ipairs(cjson.decode(ARGV[2])) do
  if termijnStop(KEYS[1], KEYS[2], lid) then n = n + 1 end
end
termijnenHerbereken(KEYS[1], {zset = KEYS[2], emmer = KEYS[3], emmers = KEYS[4]}, ARGV[1])
return n
