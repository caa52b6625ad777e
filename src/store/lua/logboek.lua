-- logboek(key, ms, fields): append one logboek record with entry id <ms>-*, by the service clock
-- (see stroomBij: monotonic ids, never Redis's clock).
--- @include stroom
local function logboek(sleutel, ms, velden)
  stroomBij(sleutel, ms, velden)
end
