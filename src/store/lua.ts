// The Lua scripts of the stores, kept as files in ./lua/ (as BullMQ keeps its own) and read once at
// load. `--- @include <naam>` pulls in a shared function (the logboek append). Each script declares
// its argument contract: named KEYS and ARGV, so a call site passes objects the compiler checks and
// the positions live in one place. Scripts are defined once per connection (EVALSHA after the first).
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

const bron = (naam: string): string =>
  readFileSync(new URL(`./lua/${naam}.lua`, import.meta.url), 'utf8')
    .replace(/^--- @include (\S+)$/gm, (_, deel: string) => bron(deel));

export interface LuaScript<K extends string, A extends string> {
  /** The ioredis command name. */
  readonly commando: string;
  readonly keys: readonly K[];
  readonly args: readonly A[];
  readonly lua: string;
}

function script<const K extends string, const A extends string>(naam: string, keys: readonly K[], args: readonly A[]): LuaScript<K, A> {
  return { commando: `sb_${naam.replaceAll('-', '_')}`, keys, args, lua: bron(naam) };
}

export const SCRIPTS = {
  nieuweMelding: script('nieuwe-melding',
    ['idem', 'idemEmmer', 'melding', 'corporatieStroom', 'outbox', 'betrokkeneEmmer', 'logboek', 'termijnen', 'termijnEmmer', 'termijnEmmers', 'betrokkeneIndex'],
    ['id', 'vingerafdruk', 'gebeurtenis', 'extra', 'gegevens', 'herhaling', 'idemVeld', 'betrokkeneVeld', 'vanaf', 'vorige', 'vast']),
  overgang: script('overgang',
    ['melding', 'gebeurtenissen', 'termijnen', 'outbox', 'feed', 'logboek', 'termijnEmmer', 'termijnEmmers'],
    ['verwacht', 'nieuw', 'gebeurtenis', 'poort', 'extra', 'id']),
  wis: script('wis', ['melding', 'gebeurtenissen', 'logboek', 'termijnen', 'gegevens', 'herhaling', 'termijnEmmer', 'termijnEmmers'], ['id', 'op', 'reden', 'ms', 'extra']),
  logboek: script('logboek-schrijf', ['logboek'], ['ms', 'velden']),
  termijnStop: script('termijn-stop', ['melding', 'termijnen', 'termijnEmmer', 'termijnEmmers'], ['id', 'leden']),
  logboekArchiveer: script('logboek-archiveer', ['logboek', 'archief', 'blok'], ['eerste', 'laatste', 'volgende', 'lid', 'score', 'blok']),
  logboekBlokVervang: script('logboek-blok-vervang', ['archief', 'blok', 'nieuw'], ['lid', 'nieuwLid', 'nieuwScore', 'nieuwBlok']),
  linkMaak: script('link-maak', ['link', 'vanMelding', 'alle'], ['hash', 'meldingId', 'geldigTot', 'ttl', 'linkBasis', 'codeBasis', 'rol', 'herinnering']),
  linkCode: script('link-code', ['link', 'code'], ['codeHash', 'nu', 'maxPogingen']),
  linkNieuweCode: script('link-nieuwe-code', ['code'], ['codeHash', 'geldigTot', 'ttl']),
  linkTrekIn: script('link-trek-in', ['vanMelding'], ['linkBasis', 'codeBasis']),
  linkVerwijder: script('link-verwijder', ['vanMelding', 'gelezen', 'alle'], ['linkBasis', 'codeBasis']),
  veldCas: script('veld-cas', ['hash'], ['veld', 'verwacht', 'nieuw']),
  waardeCas: script('waarde-cas', ['sleutel'], ['verwacht', 'nieuw']),
  slot: script('slot', ['slot'], ['token', 'ms']),
} as const;

const gedefinieerd = new WeakSet<Redis>();

/**
 * Define every script on a connection, before its first command: with auto-pipelining a pipeline
 * that is already open when a command is defined does not know it.
 */
export function definieerScripts(redis: Redis): Redis {
  if (!gedefinieerd.has(redis)) {
    for (const s of Object.values(SCRIPTS)) redis.defineCommand(s.commando, { numberOfKeys: s.keys.length, lua: s.lua });
    gedefinieerd.add(redis);
  }
  return redis;
}

/** Run a script on a connection, with its keys and arguments by name (a Buffer goes as its bytes). */
export function voerScriptUit<K extends string, A extends string>(
  redis: Redis, s: LuaScript<K, A>, keys: Record<K, string>, args: Record<A, string | number | Buffer>,
): Promise<unknown> {
  definieerScripts(redis);
  const lijst: (string | number | Buffer)[] = [];
  for (const k of s.keys) lijst.push(keys[k]);
  for (const a of s.args) lijst.push(args[a]);
  return (redis as unknown as Record<string, (...a: (string | number | Buffer)[]) => Promise<unknown>>)[s.commando]!(...lijst);
}
