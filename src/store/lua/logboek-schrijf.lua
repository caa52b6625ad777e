-- One logboek record on its own (an action that changes no case, e.g. inzage).
--- @include logboek
logboek(KEYS[1], ARGV[1], cjson.decode(ARGV[2]))
return 1
