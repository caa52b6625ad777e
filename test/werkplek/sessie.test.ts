// Werkplek sessions in Redis on the service clock (an injected test clock, never a calendar date):
// an idle timeout that each request restarts, an absolute timeout that nothing extends, and only a
// keyed hash of the session id in Redis with the user sealed (no name in plain text).
import t, { type Test } from 'tap';
import { testKlok } from '../helpers/klok.js';
import { bouwWerkplek } from '../helpers/werkplek.js';

const MINUUT = 60_000;

t.test('idle and absolute timeouts on the service clock', async (t) => {
  const klok = testKlok();
  const w = await bouwWerkplek(t, { klok: klok.klok, werkplekAanpassen: (wp) => { wp.sessieMinutenInactief = 15; wp.sessieMinutenMaximaal = 60; } });
  const verlopen = async (t: Test, s: Awaited<ReturnType<typeof w.login>>) => {
    const a = await s.vraag('GET', '/sessie');
    t.equal(a.status, 303);
    t.match(a.headers.location, /^\/inloggen\?verlopen=1&terug=%2Fsessie$/);
    const l = await s.vraag('GET', String(a.headers.location));
    t.match(l.tekst, 'Uw sessie is verlopen');
    t.equal((await s.vraag('GET', '/sessie')).headers.location, '/inloggen?terug=%2Fsessie', 'and it is gone: the next time it is simply no session');
  };

  await t.test('idle: 15 minutes without a request end it; each request starts the 15 minutes again', async (t) => {
    const s = await w.login('wijkteam-noord');
    t.ok(s.ingelogd);
    klok.verder(14 * MINUUT);
    t.equal((await s.vraag('GET', '/sessie')).status, 200, 'after 14 minutes still there');
    klok.verder(14 * MINUUT);
    t.equal((await s.vraag('GET', '/sessie')).status, 200, '28 minutes after login, 14 after the last request');
    klok.verder(15 * MINUUT);
    await verlopen(t, s);
  });

  await t.test('absolute: after 60 minutes the session ends however busy it is', async (t) => {
    const s = await w.login('coordinator');
    for (let m = 10; m < 60; m += 10) {
      klok.verder(10 * MINUUT);
      t.equal((await s.vraag('GET', '/sessie')).status, 200, `${m} minutes`);
    }
    klok.verder(10 * MINUUT);
    await verlopen(t, s);
  });

  await t.test('Redis holds a keyed hash of the session id and a sealed user, never the id or the name', async (t) => {
    const s = await w.login('privacy');
    const id = s.koekjes.waarden.get('__Host-werkplek')!;
    t.ok(id.length >= 40, 'a long random session id');
    const { redis, namen } = w.app.draaiend.sb;
    const keys = await redis.keys(namen.werkplekSessie('*'));
    t.ok(keys.length >= 1);
    for (const k of keys) {
      t.notOk(k.includes(id), 'the key is not the id');
      const v = (await redis.get(k))!;
      t.notOk(v.includes('Priya') || v.includes('privacy-officer'), 'the value is sealed');
      const ttl = await redis.pttl(k);
      t.ok(ttl > 0 && ttl <= 15 * MINUUT, 'and expires in Redis too');
    }
    t.same(await redis.keys(namen.werkplekLogin('*')), [], 'every login record was taken');
    const uit = await s.vraag('POST', '/uitloggen', {});
    t.equal(uit.status, 303);
    t.equal((await redis.keys(namen.werkplekSessie('*'))).length, keys.length - 1, 'logout deletes it');
  });

  await t.test('the navigation holds the pages of the own role only', async (t) => {
    const s = await w.login('corporatie');
    const p = await s.vraag('GET', '/sessie');
    t.equal(p.status, 200);
    t.match(p.tekst, /<nav class="werkplek-nav" aria-label="Hoofdmenu">[\s\S]*href="\/meldingen"/, 'the navigation of its role');
    t.notMatch(p.tekst, /href="\/werklijst"/, 'not another role\'s');
  });
});
