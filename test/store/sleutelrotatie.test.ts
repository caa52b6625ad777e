// Key rotation pieces on a real Redis: re-encryption with compare-and-set (a write by the service
// between our read and our write wins), status per key id, and a running keyring taking up a new key.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Redis } from 'ioredis';
import t from 'tap';
import { createLogger } from '../../src/logger.js';
import { MeldingenRepo } from '../../src/store/meldingen.js';
import { Sleutelring } from '../../src/store/sleutelring.js';
import { Sleutelrotatie } from '../../src/store/sleutelrotatie.js';
import { voorbeeldMelding, wachtOp } from '../helpers/build.js';
import { startRedis } from '../helpers/redis.js';

async function meldingen(redis: Redis, ring: Sleutelring, n: number): Promise<string[]> {
  const repo = new MeldingenRepo(redis, ring, 'sb');
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = randomUUID();
    await repo.bewaar({ id, oin: '00000099000000000001', wijkteam: 'noord', wijkteamOin: '00000099000000000010', soort: 'huurachterstand',
      ontvangenOp: new Date().toISOString(), terugkoppelingUiterlijk: '2026-11-30', gegevens: voorbeeldMelding() as never });
    ids.push(id);
  }
  return ids;
}

t.test('re-encrypts every field with the active key; a concurrent write is never lost', async (t) => {
  const r = await startRedis(t);
  const redis = new Redis(r.url);
  t.teardown(() => redis.disconnect());
  const oud = Sleutelring.nieuw('k1');
  const ring1 = Sleutelring.fromJson(oud, 'oud');
  const ids = await meldingen(redis, ring1, 7);
  await redis.hset(`sb:melding:${ids[0]}`, 'terugkoppeling', ring1.versleutel('{"wilHulp":true}', `${ids[0]}:terugkoppeling`));
  const ring2 = Sleutelring.fromJson(Sleutelring.metNieuweSleutel(oud, 'oud').tekst, 'nieuw');
  t.equal(ring2.actieveSleutel, 'k2');
  t.same(await new Sleutelrotatie(redis, ring2, 'sb').status(), { k1: 8 });

  // The service writes the feedback field of the first case right between our read and our write.
  let tussendoor = false;
  const gelijktijdig = new Proxy(redis, {
    get(doel, naam) {
      if (naam === 'eval') return async (...a: unknown[]) => {
        if (!tussendoor && a[3] === 'terugkoppeling') {
          tussendoor = true;
          await doel.hset(a[2] as string, 'terugkoppeling', ring1.versleutel('{"wilHulp":false}', `${ids[0]}:terugkoppeling`));
        }
        return (doel.eval as (...x: unknown[]) => Promise<unknown>)(...a);
      };
      const v = Reflect.get(doel, naam);
      return typeof v === 'function' ? v.bind(doel) : v;
    },
  });
  const verslag = await new Sleutelrotatie(gelijktijdig, ring2, 'sb').roteer({ batch: 2 });
  t.ok(tussendoor, 'the concurrent write happened');
  t.match(verslag, { herversleuteld: 8, gelijktijdigGewijzigd: 1, perSleutel: { k2: 8 } });
  t.notOk('k1' in verslag.perSleutel, 'no ciphertext with the old key id remains');
  t.equal(ring2.ontsleutel((await redis.hget(`sb:melding:${ids[0]}`, 'terugkoppeling'))!, `${ids[0]}:terugkoppeling`), '{"wilHulp":false}',
    'the newer value survived, re-encrypted');
  const repo = new MeldingenRepo(redis, ring2, 'sb');
  for (const id of ids) t.equal((await repo.haal(id))?.gegevens.huurder.achternaam, 'Dijk');
  t.same(await new Sleutelrotatie(redis, ring2, 'sb').roteer(), { herversleuteld: 0, gelijktijdigGewijzigd: 0, rondes: 1, perSleutel: { k2: 8 } }, 'idempotent');
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
