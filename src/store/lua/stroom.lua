-- stroomBij(key, ms, fields): append one entry to a stream with entry id <ms>-*: the service clock
-- rules, never Redis's own. A writer whose clock is behind the newest entry appends at that entry's
-- millisecond with the next sequence number, so ids stay monotonic and never use Redis's clock.
local function stroomBij(sleutel, ms, velden)
  local r = redis.pcall('XADD', sleutel, ms .. '-*', unpack(velden))
  if type(r) == 'table' and r.err then
    local laatste = redis.call('XINFO', 'STREAM', sleutel)
    local id
    for i = 1, #laatste, 2 do if laatste[i] == 'last-generated-id' then id = laatste[i + 1] end end
    redis.call('XADD', sleutel, string.match(id, '^(%d+)') .. '-*', unpack(velden))
  end
end
