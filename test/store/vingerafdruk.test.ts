// Idempotency fingerprints: the validated melding's own JSON, the same for any key order; and a
// fingerprint written by an earlier version (sorted JSON, no prefix) still recognises its replay.
// Through the composition root, as every role builds it: the intake service decides, the store keeps.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import t from 'tap';
import { parseConfig } from '../../src/config.js';
import { meldingSchema } from '../../src/domain/melding.js';
import { createLogger } from '../../src/logger.js';
import { createSignaalbrug } from '../../src/signaalbrug.js';
import { canoniek } from '../../src/store/opslag.js';
import { Sleutelring } from '../../src/store/sleutelring.js';
import { testConfigDoc, testPki, voorbeeldMelding } from '../helpers/build.js';
import { lopendeKlok } from '../helpers/klok.js';
import { startRedis } from '../helpers/redis.js';

const OIN = '00000099000000000001';

t.test('same content in any key order is a replay; other content is not; old fingerprints still match', async (t) => {
  const server = await startRedis(t);
  const redis = new Redis(server.url);
  t.teardown(() => redis.disconnect());
  const dir = t.testdir();
  const sleutelbestand = path.join(dir, 'sleutels.json');
  writeFileSync(sleutelbestand, Sleutelring.nieuw(), { mode: 0o600 });
  const config = parseConfig(JSON.stringify(testConfigDoc(await testPki(), server.url, sleutelbestand)), path.join(dir, 'config.json'));
  const sb = await createSignaalbrug(config, { log: createLogger(undefined, 'silent'), klok: lopendeKlok, env: {} });
  t.teardown(() => sb.sluit());
  const ontvang = (invoer: unknown) => sb.diensten.intake.ontvang(OIN, invoer);
  const m = voorbeeldMelding({ referentie: 'AFDRUK-1' });
  const omgekeerd = (o: unknown): unknown => Array.isArray(o) ? o.map(omgekeerd)
    : o && typeof o === 'object' ? Object.fromEntries(Object.entries(o).reverse().map(([k, v]) => [k, omgekeerd(v)])) : o;
  const andereInhoud = { ...m, huishouden: { aantalBewoners: 4 } };

  const eerste = await ontvang(m);
  t.equal(eerste.nieuw, true);
  const id = eerste.record.id;
  t.match(await ontvang(omgekeerd(m)), { nieuw: false, record: { id } }, 'every key in reverse order: the same melding');
  await t.rejects(ontvang(andereInhoud), { code: 'SB_CONFLICT' }, 'other content under the same referentie: a conflict');

  // A case stored by a version that fingerprinted sorted JSON (no prefix).
  const idemHash = sb.sleutels.pseudoniem('idem', OIN, m.referentie);
  const plek = sb.namen.idemPlek(idemHash);
  t.match(await redis.hget(plek.key, plek.veld), new RegExp(`^${id} j:`), 'new fingerprints carry their prefix');
  await redis.hset(plek.key, plek.veld, `${id} ${sb.sleutels.pseudoniem('vingerafdruk', canoniek(meldingSchema.parse(m)))}`);
  t.match(await ontvang(omgekeerd(m)), { nieuw: false, record: { id } }, 'old fingerprint: replay recognised');
  await t.rejects(ontvang(andereInhoud), { code: 'SB_CONFLICT' }, 'old fingerprint: other content is a conflict');

  // An idempotency key of its own, as entries were kept before they moved into buckets: still counts.
  await redis.set(sb.namen.idem(idemHash), (await redis.hget(plek.key, plek.veld))!);
  await redis.hdel(plek.key, plek.veld);
  t.match(await ontvang(omgekeerd(m)), { nieuw: false, record: { id } }, 'a key of before: replay recognised');
  await t.rejects(ontvang(andereInhoud), { code: 'SB_CONFLICT' }, 'a key of before: other content is a conflict');
  t.equal(await redis.hexists(plek.key, plek.veld), 0, 'and no second entry written');
});
