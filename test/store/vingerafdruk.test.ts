// Idempotency fingerprints: the validated melding's own JSON, the same for any key order; and a
// fingerprint written by an earlier version (sorted JSON, no prefix) still recognises its replay.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import t from 'tap';
import { meldingSchema } from '../../src/domain/melding.js';
import { canoniek, MeldingenRepo } from '../../src/store/meldingen.js';
import { Sleutelring } from '../../src/store/sleutelring.js';
import { voorbeeldMelding } from '../helpers/build.js';
import { startRedis } from '../helpers/redis.js';

const OIN = '00000099000000000001';

t.test('same content in any key order is a replay; other content is not; old fingerprints still match', async (t) => {
  const server = await startRedis(t);
  const redis = new Redis(server.url);
  t.teardown(() => redis.disconnect());
  const sleutels = Sleutelring.fromJson(Sleutelring.nieuw(), 'test');
  const repo = new MeldingenRepo(redis, sleutels, 'sb');
  const bewaar = (invoer: unknown) => repo.bewaar({
    id: randomUUID(), oin: OIN, wijkteam: 'noord', wijkteamOin: '00000099000000000010', soort: 'huurachterstand',
    ontvangenOp: new Date().toISOString(), terugkoppelingUiterlijk: '2026-11-30', gegevens: meldingSchema.parse(invoer),
  });
  const m = voorbeeldMelding({ referentie: 'AFDRUK-1' });
  const omgekeerd = (o: unknown): unknown => Array.isArray(o) ? o.map(omgekeerd)
    : o && typeof o === 'object' ? Object.fromEntries(Object.entries(o).reverse().map(([k, v]) => [k, omgekeerd(v)])) : o;

  const eerste = await bewaar(m);
  t.equal(eerste.nieuw, true);
  const id = eerste.nieuw ? eerste.record.id : '';
  t.match(await bewaar(omgekeerd(m)), { nieuw: false, id, zelfdeInhoud: true }, 'every key in reverse order: the same melding');
  t.match(await bewaar({ ...m, huishouden: { aantalBewoners: 4 } }), { nieuw: false, id, zelfdeInhoud: false });

  // A case stored by a version that fingerprinted sorted JSON (no prefix).
  const idemKey = `sb:idem:${sleutels.pseudoniem('idem', OIN, m.referentie)}`;
  t.match(await redis.get(idemKey), new RegExp(`^${id} j:`), 'new fingerprints carry their prefix');
  await redis.set(idemKey, `${id} ${sleutels.pseudoniem('vingerafdruk', canoniek(meldingSchema.parse(m)))}`);
  t.match(await bewaar(omgekeerd(m)), { nieuw: false, id, zelfdeInhoud: true }, 'old fingerprint: replay recognised');
  t.match(await bewaar({ ...m, huishouden: { aantalBewoners: 4 } }), { nieuw: false, id, zelfdeInhoud: false }, 'old fingerprint: other content is a conflict');
});
