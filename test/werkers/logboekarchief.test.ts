// The worker role archives the logboek on its own: with an injected clock, nothing moves while the
// records are younger than `logboek.archiveerNaSeconden`, and whole blocks move once the service
// clock has passed it; the logboek reads the same before and after, and new records keep coming.
import t from 'tap';
import type { Verwerking } from '../../src/domain/verwerking.js';
import { build, voorbeeldMelding, wachtOp, type Gebouwd } from '../helpers/build.js';
import { BASIS, testKlok } from '../helpers/klok.js';

const ELAN = 'elan-wonen';
const rust = (ms = 1000) => new Promise((r) => setTimeout(r, ms));

async function logboek(app: Gebouwd): Promise<Verwerking[]> {
  const uit: Verwerking[] = [];
  for await (const v of app.draaiend.sb.diensten.rechten.logboek({})) uit.push(v);
  return uit;
}

t.test('the worker moves whole blocks of old records into the archive once the service clock passes their age', async (t) => {
  const c = testKlok(BASIS);
  const app = await build(t, {
    rollen: ['api', 'worker'], klok: c.klok,
    configAanpassen: (d) => (d.logboek = { archiveerNaSeconden: 300, archiveerElkeSeconden: 0.2, blokRecords: 2 }),
  });
  const { redis, namen } = app.draaiend.sb;
  for (const nr of ['A-1', 'B-2', 'C-3']) {
    const res = await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldMelding({ huurder: { ...voorbeeldMelding().huurder, relatienummer: nr } }));
    t.equal(res.status, 201);
  }
  await wachtOp(async () => (await logboek(app)).filter((v) => v.name === 'melding-bezorgd').length === 3);
  const voor = await logboek(app);
  t.equal(voor.length, 6, 'received and delivered, three times');

  await rust();
  t.equal(await redis.zcard(namen.logboekArchief()), 0, 'younger than the age: nothing archived');
  c.verder(300_000);
  await rust();
  t.equal(await redis.zcard(namen.logboekArchief()), 0, 'exactly the age: still nothing');
  c.verder(1000);
  await wachtOp(async () => (await redis.zcard(namen.logboekArchief())) === 3);
  t.equal(await redis.xlen(namen.logboek()), 0, 'the stream is empty');
  t.same(await logboek(app), voor, 'the logboek reads the same');
  t.equal(await redis.exists(namen.logboekslot()), 0, 'the lease is given back after the round');

  // A new record stays in the stream until it is old enough, and then only as a whole block.
  const post = await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldMelding({ huurder: { ...voorbeeldMelding().huurder, relatienummer: 'D-4' } }));
  t.equal(post.status, 201);
  await wachtOp(async () => (await logboek(app)).filter((v) => v.name === 'melding-bezorgd').length === 4);
  const na = await logboek(app);
  t.same(na.slice(0, 6), voor, 'the archived records first');
  t.same(na.slice(6).map((v) => v.name), ['melding-ontvangen', 'melding-bezorgd']);
  c.verder(301_000);
  await wachtOp(async () => (await redis.zcard(namen.logboekArchief())) === 4);
  t.equal(await redis.xlen(namen.logboek()), 0);
  t.same(await logboek(app), na);
});
