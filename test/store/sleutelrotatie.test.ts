// Key rotation pieces on a real Redis: re-encryption with compare-and-set (a write by the service
// between our read and our write wins), status per key id, and a running keyring taking up a new key.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Redis } from 'ioredis';
import t, { type Test } from 'tap';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createSignaalbrug } from '../../src/signaalbrug.js';
import { SCRIPTS } from '../../src/store/lua.js';
import { Sleutelring } from '../../src/store/sleutelring.js';
import { Sleutelrotatie } from '../../src/store/sleutelrotatie.js';
import { testConfigDoc, testPki, voorbeeldMelding, wachtOp } from '../helpers/build.js';
import type { Melding } from '../../src/domain/melding.js';
import { lopendeKlok } from '../helpers/klok.js';
import { startRedis } from '../helpers/redis.js';

/** The app as every role builds it (the composition root), on this Redis, with this keyring. */
async function signaalbrug(t: Test, url: string, sleutels: string) {
  const dir = t.testdir();
  const naam = randomUUID();
  const sleutelbestand = path.join(dir, `${naam}.json`);
  writeFileSync(sleutelbestand, sleutels, { mode: 0o600 });
  const config = parseConfig(JSON.stringify(testConfigDoc(await testPki(), url, sleutelbestand)), path.join(dir, `${naam}.config.json`));
  const sb = await createSignaalbrug(config, { log: createLogger(undefined, 'silent'), klok: lopendeKlok, env: {} });
  t.teardown(() => sb.sluit());
  return sb;
}

t.test('re-encrypts every field with the active key; a concurrent write is never lost', async (t) => {
  const r = await startRedis(t);
  const redis = new Redis(r.url);
  t.teardown(() => redis.disconnect());
  const oud = Sleutelring.nieuw('k1');
  // The service as it ran with the old keyring: it takes 7 meldingen, of 6 tenants: the last one
  // repeats the first (an encrypted link to it, DDAS herhaalde melding).
  const voor = await signaalbrug(t, r.url, oud);
  const ring1 = voor.sleutels;
  const ids: string[] = [];
  for (let i = 0; i < 7; i++) {
    const huurder = { ...voorbeeldMelding().huurder, relatienummer: `ROT-${i % 6}` };
    ids.push((await voor.diensten.intake.ontvang('00000099000000000001', voorbeeldMelding({ huurder }))).record.id);
  }
  t.equal(await redis.hexists(voor.namen.melding(ids[6]!), 'herhaling'), 1, 'the seventh repeats the first');
  const melding0 = voor.namen.melding(ids[0]!);
  await redis.hset(melding0, 'terugkoppeling', ring1.versleutel('{"wilHulp":true}', `${ids[0]}:terugkoppeling`));
  // The same service after `sleutel toevoegen`: k2 is active.
  const na = await signaalbrug(t, r.url, Sleutelring.metNieuweSleutel(oud, 'oud').tekst);
  const ring2 = na.sleutels;
  t.equal(ring2.actieveSleutel, 'k2');
  t.same(await na.diensten.sleutelbeheer.status(), { k1: 9 }, '7 meldingen, 1 repeat link, 1 feedback');

  // The service writes the feedback field of the first case right between our read and our write.
  let tussendoor = false;
  const gelijktijdig = new Proxy(redis, {
    get(doel, naam) {
      if (naam === SCRIPTS.veldCas.commando) return async (...a: unknown[]) => {
        // Arguments by the script's contract: KEYS (hash), then ARGV (veld, verwacht, nieuw).
        if (!tussendoor && a[1] === 'terugkoppeling') {
          tussendoor = true;
          await doel.hset(a[0] as string, 'terugkoppeling', ring1.versleutel('{"wilHulp":false}', `${ids[0]}:terugkoppeling`));
        }
        return (Reflect.get(doel, naam) as (...x: unknown[]) => Promise<unknown>).apply(doel, a);
      };
      const v = Reflect.get(doel, naam);
      return typeof v === 'function' ? v.bind(doel) : v;
    },
  });
  const verslag = await new Sleutelrotatie(gelijktijdig, na.namen, ring2).roteer({ batch: 2 });
  t.ok(tussendoor, 'the concurrent write happened');
  t.match(verslag, { herversleuteld: 9, gelijktijdigGewijzigd: 1, perSleutel: { k2: 9 } });
  t.notOk('k1' in verslag.perSleutel, 'no ciphertext with the old key id remains');
  // The melding and the repeat link are written again as the intake writes them: compact bytes.
  for (const [id, veld] of [...ids.map((id) => [id, 'gegevens'] as const), [ids[6]!, 'herhaling'] as const]) {
    const w = (await redis.hgetBuffer(na.namen.melding(id), veld))!;
    t.same([w[0], Sleutelring.formaatVan(w), Sleutelring.sleutelVan(w)], [0x02, 'v2', 'k2'], 'compact, with the new key');
  }
  t.equal(Sleutelring.formaatVan((await redis.hget(melding0, 'terugkoppeling'))!), 'v1', 'a field of the hash stays short text');
  t.equal(ring2.ontsleutel((await redis.hget(melding0, 'terugkoppeling'))!, `${ids[0]}:terugkoppeling`), '{"wilHulp":false}',
    'the newer value survived, re-encrypted');
  for (const id of ids) t.equal(((await na.diensten.lezen.melding(id))?.gegevens as Melding | undefined)?.huurder.achternaam, 'Dijk');
  t.same(await na.diensten.sleutelbeheer.roteer({}), { herversleuteld: 0, gelijktijdigGewijzigd: 0, rondes: 1, perSleutel: { k2: 9 } }, 'idempotent');
});

t.test('a running keyring takes up a new key, and refuses a changed pseudonym key or a broken file', async (t) => {
  const dir = t.testdir();
  const bestand = path.join(dir, 'sleutels.json');
  writeFileSync(bestand, Sleutelring.nieuw('k1'));
  const ring = Sleutelring.laad(bestand, {});
  const stroom = new PassThrough();
  let logs = '';
  stroom.on('data', (d: Buffer) => (logs += d));
  const stop = ring.volg(bestand, 0.05, createLogger(stroom, 'info'));
  t.teardown(stop);
  const blob = ring.versleutel('geheim', 'ctx');
  writeFileSync(bestand, Sleutelring.metNieuweSleutel(readFileSync(bestand, 'utf8'), bestand).tekst);
  await wachtOp(async () => ring.actieveSleutel === 'k2');
  t.match(logs, /sleutelring herladen/);
  t.equal(ring.ontsleutel(blob, 'ctx'), 'geheim', 'the old key still reads');
  t.same(ring.sleutelIds, ['k1', 'k2']);
  const anders = JSON.parse(Sleutelring.nieuw('k9'));
  writeFileSync(bestand, JSON.stringify(anders));
  await wachtOp(async () => /de pseudoniem-sleutel mag niet veranderen/.test(logs));
  t.equal(ring.actieveSleutel, 'k2', 'kept the ring it had');
  writeFileSync(bestand, '{ kapot');
  await wachtOp(async () => /geen geldige JSON/.test(logs));
  t.equal(ring.actieveSleutel, 'k2');
  t.equal(ring.volg(bestand, 0, createLogger(stroom, 'info'))(), undefined, '0 seconds: no reloading');
});
