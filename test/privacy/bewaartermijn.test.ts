// Retention with an injected clock (003 "Bewaartermijnen"): personal data goes at the right moment and
// not a second before; 6 months for people who refused help, the normal term after feedback or
// withdrawal, a cap for cases that never end; metadata for the counts stays; the logboek is trimmed.
import { Redis } from 'ioredis';
import t, { type Test } from 'tap';
import { uitGebeurtenisTekst } from '../../src/store/gebeurtenis-velden.js';
import { jobId } from '../../src/store/wachtrijen.js';
import { build, voorbeeldMelding, wachtOp, type Gebouwd } from '../helpers/build.js';
import { BASIS } from '../helpers/klok.js';
import { logboekVan } from '../helpers/privacy.js';
import { alleTermijnleden, termijnPlek, timersVan } from '../helpers/termijnen.js';

const DAG = 86_400_000;
const T0 = BASIS.getTime();
const T1 = T0 + DAG; // feedback and withdrawal
const tk = (wilHulp: boolean) => ({ contactGelegd: true, inBehandeling: wilHulp, incassoHervatten: false, wilHulp, nietOpgepakt: null });
const rust = () => new Promise((r) => setTimeout(r, 800)); // four retention rounds

t.test('each case loses its personal data exactly when its term ends', async (t) => {
  let nu = T0;
  const app = await build(t, {
    rollen: ['api', 'worker'], klok: () => new Date(nu),
    configAanpassen: (d) => (d.privacy = { opruimSeconden: 0.2, bewaartermijnDagen: 365, weigeringBewaartermijnDagen: 183, uiterlijkeBewaartermijnDagen: 730 }),
  });
  const r = new Redis(app.redis.url);
  t.teardown(() => r.disconnect());
  const namen = app.draaiend.sb.namen;
  const post = async (m: Record<string, unknown>) => (await app.vraag('elan-wonen', 'POST', '/v1/meldingen', m)).body.id as string;
  const lichaamA = voorbeeldMelding();
  const [a, b, c, d] = [await post(lichaamA), await post(voorbeeldMelding()), await post(voorbeeldMelding()), await post(voorbeeldMelding())];
  const bezorgd = (id: string) => namen.bezorgdVeld(jobId({ meldingId: id, bericht: 'melding-aan-wijkteam', ontvanger: 'wijkteam' }));
  for (const id of [a, b, c, d]) await wachtOp(async () => (await r.hexists(bezorgd(id).melding, bezorgd(id).veld)) === 1);
  nu = T1;
  t.equal((await app.vraag('wijkteam-haarlem', 'POST', `/v1/meldingen/${a}/terugkoppeling`, tk(false))).status, 201);
  t.equal((await app.vraag('wijkteam-haarlem', 'POST', `/v1/meldingen/${b}/terugkoppeling`, tk(true))).status, 201);
  t.equal((await app.vraag('elan-wonen', 'POST', `/v1/meldingen/${c}/intrekking`, {})).status, 201);

  const heeftGegevens = async (id: string) => (await r.hexists(namen.melding(id), 'gegevens')) === 1;
  const weg = (id: string) => wachtOp(async () => (await r.hexists(namen.melding(id), 'verwijderdOp')) === 1);
  async function nietVoor(moment: number, ids: string[], wat: string) {
    nu = moment - 1000;
    await rust();
    for (const id of ids) t.ok(await heeftGegevens(id), `${wat}: still there a second before`);
    nu = moment + 1000;
  }

  // 003: refused help, at most 6 months.
  await nietVoor(T1 + 183 * DAG, [a, b, c, d], 'refused help');
  await weg(a);
  t.ok(await heeftGegevens(b), 'who wanted help keeps the normal term');
  await geenPersoonsgegevensMeer(t, app, r, a);
  const opnieuw = await app.vraag('elan-wonen', 'POST', '/v1/meldingen', lichaamA);
  t.equal(opnieuw.status, 201, 'the idempotency key is gone: the same body is a new melding');
  t.not(opnieuw.body.id, a);

  await nietVoor(T1 + 365 * DAG, [b, c, d], 'feedback and withdrawal');
  await weg(b);
  await weg(c);
  for (const id of [b, c]) await geenPersoonsgegevensMeer(t, app, r, id);

  // Never answered, never withdrawn: the cap from receipt.
  await nietVoor(T0 + 730 * DAG, [d], 'a case that never ends');
  await weg(d);
  await geenPersoonsgegevensMeer(t, app, r, d);

  for (const id of [a, b, c, d]) {
    const v = (await logboekVan(app, id)).filter((s) => s.name === 'gegevens-verwijderd');
    t.equal(v.length, 1, 'the deletion is logged once');
    t.equal(v[0]!.attributes['dpl.signaalbrug.reden'], 'bewaartermijn');
  }
  t.same(await alleTermijnleden(r, namen), [opnieuw.body.id], 'only the new melding is still planned');
  t.same(Object.keys(await timersVan(r, namen, opnieuw.body.id)), [`${opnieuw.body.id}|bewaar`], 'its retention is its only timer');

  // The logboek itself: 5 years, trimmed by entry time.
  const grens = new Date(T1);
  grens.setUTCFullYear(grens.getUTCFullYear() + 5);
  nu = grens.getTime() + 1000;
  await wachtOp(async () => !(await logboekVan(app)).some((s) => Date.parse(s.startTime) < nu - 5 * 365.25 * DAG + DAG));
  const over = await logboekVan(app);
  t.notOk(over.some((s) => s.startTime < new Date(T1 + 1000).toISOString()), 'nothing older than 5 years');
  t.ok(over.some((s) => s.name === 'gegevens-verwijderd'), 'younger records stay');
});

async function geenPersoonsgegevensMeer(t: Test, app: Gebouwd, r: Redis, id: string) {
  const namen = app.draaiend.sb.namen;
  t.equal((await app.vraag('elan-wonen', 'GET', `/v1/meldingen/${id}`)).status, 404, 'gone for the API');
  // The retention timer stops last, once links and jobs are gone too (WisStore.klaar).
  await wachtOp(async () => (await r.hexists(namen.melding(id), 't:bewaar')) === 0);
  const h = await r.hgetall(namen.melding(id));
  for (const veld of ['gegevens', 'terugkoppeling', 'idem', 'feedId']) t.notOk(veld in h, `no ${veld}`);
  t.match(h, { soort: 'huurachterstand', wijkteam: 'noord', oin: '00000099000000000001', ontvangenOp: /^\d{13}$/, status: /./, verwijderdOp: /Z$/ },
    'metadata for the counts stays');
  t.equal(await r.exists(namen.meldingBlob(id, 'gegevens'), namen.meldingBlob(id, 'herhaling')), 0, 'no encrypted melding, no repeat link');
  t.same(Object.keys(h).filter((v) => v.startsWith('bezorgd:')), [], 'no delivered-markers');
  t.same(await r.keys(namen.bezorgd(`${id}*`)), [], 'no delivered-markers of the earlier form');
  t.notOk((await alleTermijnleden(r, namen)).some((l) => l.startsWith(id)), 'no timers');
  t.same(Object.keys(h).filter((v) => v.startsWith('t:')), [], 'no timer fields, retention included');
  t.notOk((await r.xrange(namen.feed('00000099000000000001'), '-', '+')).some(([, v]) => v.includes(id)), 'no feed entry');
  // the lookups by keyed hash: buckets (hashes) and the keys of before (sorted sets, strings)
  for (const k of [...await r.keys(namen.betrokkeneIndex('*')), ...await r.keys(namen.idem('*'))]) {
    const soort = await r.type(k);
    const inhoud = soort === 'hash' ? Object.values(await r.hgetall(k)) : soort === 'zset' ? await r.zrange(k, '0', '-1') : [await r.get(k)];
    t.notOk(inhoud.join(' ').includes(id), `not in the pseudonymous index or an idempotency entry (${soort})`);
  }
  const g = (await r.hget(namen.melding(id), 'gebeurtenissen'))!.split('\n').map(uitGebeurtenisTekst);
  t.match(g.at(-1), { soort: 'gegevens-verwijderd', reden: 'bewaartermijn' });
}

t.test('retention is a timer of the case, fired by the timers\' scheduler; a moment in the earlier retention set still counts', async (t) => {
  let nu = T0;
  const app = await build(t, { rollen: ['api'], klok: () => new Date(nu) });
  const r = new Redis(app.redis.url);
  t.teardown(() => r.disconnect());
  const { namen, diensten } = app.draaiend.sb;
  const post = async () => (await app.vraag('elan-wonen', 'POST', '/v1/meldingen', voorbeeldMelding())).body.id as string;
  const [nieuw, oud] = [await post(), await post()];
  const gepland = (await diensten.opruimer.gepland(nieuw))!;
  t.equal((await timersVan(r, namen, nieuw))[`${nieuw}|bewaar`], gepland, 'a field of the case');
  t.ok(gepland > T0 + 365 * DAG, 'far after its deadlines');
  t.equal(await termijnPlek(r, namen, nieuw), Math.min(...Object.values(await timersVan(r, namen, nieuw))), 'the case is at its earliest timer');
  // The earlier form: the moment in the retention set, none on the case.
  await r.hdel(namen.melding(oud), 't:bewaar');
  await r.zadd(namen.bewaartermijnen(), gepland, oud);
  t.equal(await diensten.opruimer.gepland(oud), gepland, 'read from the retention set');
  // Past every deadline and the retention term: the scheduler escalates and removes; the round removes the earlier form.
  nu = gepland + 1000;
  await diensten.termijnen.sweep();
  t.ok(await r.hexists(namen.melding(nieuw), 'verwijderdOp'), 'the retention timer removed the personal data');
  t.equal(await r.hexists(namen.melding(nieuw), 'gegevens'), 0);
  t.equal(await termijnPlek(r, namen, nieuw), null, 'and left the timers');
  t.equal(await diensten.opruimer.gepland(nieuw), undefined, 'nothing planned any more');
  t.notOk(await r.hexists(namen.melding(oud), 'verwijderdOp'), 'the earlier form waits for the retention round');
  t.same(await diensten.opruimer.ruimOp(), { gewist: 1, logboekIngekort: 0 });
  t.ok(await r.hexists(namen.melding(oud), 'verwijderdOp'));
  t.equal(await r.zcard(namen.bewaartermijnen()), 0, 'the retention set is empty');
  t.equal(await diensten.termijnen.sweep(), 0, 'nothing left to fire');
  t.equal((await logboekVan(app, nieuw)).filter((s) => s.name === 'gegevens-verwijderd').length, 1, 'logged once');
});
