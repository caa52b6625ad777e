// LinkStore against a real Redis: tokens, codes and sessions are stored only as keyed hashes; codes
// are single use and lock the link after maxPogingen wrong tries; validity follows the injected clock.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import t from 'tap';
import { LinkStore } from '../../src/store/links.js';
import { RedisNamen } from '../../src/store/redis-namen.js';
import { Sleutelring } from '../../src/store/sleutelring.js';
import { startRedis } from '../helpers/redis.js';
import { BASIS } from '../helpers/klok.js';

const MIN = 60_000;

async function opzet(t: { teardown(fn: () => unknown): void }) {
  const r = await startRedis(t);
  const redis = new Redis(r.url);
  t.teardown(() => redis.quit());
  const klok = { nu: new Date(BASIS) };
  const namen = new RedisNamen('sb');
  const links = new LinkStore(redis, namen, Sleutelring.fromJson(Sleutelring.nieuw(), 'test'),
    { codeGeldigMinuten: 15, maxPogingen: 5, sessieMinuten: 30 }, () => klok.nu);
  const later = (ms: number) => (klok.nu = new Date(klok.nu.getTime() + ms));
  const dagen = (n: number) => new Date(klok.nu.getTime() + n * 86_400_000);
  /** Every key and value in Redis, to prove what is not there. */
  const alles = async () => {
    const delen: string[] = [];
    for (const k of await redis.keys('*')) {
      delen.push(k);
      const type = await redis.type(k);
      if (type === 'hash') delen.push(...Object.values(await redis.hgetall(k)));
      if (type === 'string') delen.push((await redis.get(k)) ?? '');
    }
    return delen;
  };
  return { redis, namen, links, later, dagen, alles };
}

t.test('a link: unguessable token, only its hash stored, valid until geldigTot', async (t) => {
  const { links, later, dagen, alles } = await opzet(t);
  const id = randomUUID();
  const token = await links.maak(id, dagen(90));
  t.match(token, /^[A-Za-z0-9_-]{43}$/, '256 bits, base64url');
  t.not(await links.maak(randomUUID(), dagen(90)), token, 'tokens differ');
  t.notOk((await alles()).some((s) => s.includes(token)), 'the token itself is nowhere in Redis');
  t.match(await links.zoek(token), { meldingId: id, pogingen: 0, vergrendeld: false, ingetrokken: false, hash: links.hash(token) });
  t.equal(await links.zoek(token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')), undefined, 'one character off: unknown');
  t.equal(await links.zoek(''), undefined);
  later(90 * 86_400_000 - 1);
  t.ok(await links.zoek(token), 'valid until the last millisecond');
  later(1);
  t.equal(await links.zoek(token), undefined, 'expired');
});

t.test('a new link for a melding replaces the older one', async (t) => {
  const { links, dagen } = await opzet(t);
  const id = randomUUID();
  const oud = await links.maak(id, dagen(90));
  const oudeLink = (await links.zoek(oud))!;
  await links.maakCode(oudeLink.hash);
  const nieuw = await links.maak(id, dagen(90));
  t.equal(await links.zoek(oud), undefined, 'old link gone');
  t.ok(await links.zoek(nieuw));
  t.equal((await links.controleerCode(oudeLink.hash, '000000')).uitkomst, 'onbekend', 'and its code with it');
});

t.test('one-time code: 6 digits, hashed, single use, expires after codeGeldigMinuten', async (t) => {
  const { links, redis, namen, later, dagen } = await opzet(t);
  const link = (await links.zoek(await links.maak(randomUUID(), dagen(90))))!;
  const code = await links.maakCode(link.hash);
  t.match(code, /^\d{6}$/);
  const opgeslagen = await redis.hgetall(namen.linkCode(link.hash));
  t.not(opgeslagen.code, code, 'stored as a hash');
  t.ok((await redis.pttl(namen.linkCode(link.hash))) <= 15 * MIN);
  t.same(await links.controleerCode(link.hash, code), { uitkomst: 'goed', pogingen: 0 });
  t.same(await links.controleerCode(link.hash, code), { uitkomst: 'fout', pogingen: 1 }, 'reused: wrong');

  const tweede = await links.maakCode(link.hash);
  const derde = await links.maakCode(link.hash);
  t.equal((await links.controleerCode(link.hash, tweede)).uitkomst, tweede === derde ? 'goed' : 'vervangen', 'a newer code replaces the older (said so, not counted as a wrong try)');
  const vierde = await links.maakCode(link.hash);
  later(15 * MIN);
  t.equal((await links.controleerCode(link.hash, vierde)).uitkomst, 'fout', 'expired after 15 minutes');
});

t.test('five wrong codes lock the link, also against the right code; a right code resets the count', async (t) => {
  const { links, dagen } = await opzet(t);
  const link = (await links.zoek(await links.maak(randomUUID(), dagen(90))))!;
  let code = await links.maakCode(link.hash);
  const fout = code === '123456' ? '654321' : '123456';
  for (let i = 1; i <= 3; i++) t.same(await links.controleerCode(link.hash, fout), { uitkomst: 'fout', pogingen: i });
  t.equal((await links.controleerCode(link.hash, code)).uitkomst, 'goed');
  code = await links.maakCode(link.hash);
  for (let i = 1; i <= 4; i++) t.same(await links.controleerCode(link.hash, fout), { uitkomst: 'fout', pogingen: i }, `wrong try ${i}`);
  t.same(await links.controleerCode(link.hash, fout), { uitkomst: 'vergrendeld-nu', pogingen: 5 }, 'the fifth locks');
  t.equal((await links.controleerCode(link.hash, code)).uitkomst, 'vergrendeld', 'the right code no longer opens it');
});

t.test('two racing uses of one code: exactly one wins', async (t) => {
  const { links, dagen } = await opzet(t);
  const link = (await links.zoek(await links.maak(randomUUID(), dagen(90))))!;
  const code = await links.maakCode(link.hash);
  const r = await Promise.all(Array.from({ length: 8 }, () => links.controleerCode(link.hash, code)));
  t.equal(r.filter((x) => x.uitkomst === 'goed').length, 1);
});

t.test('sessions: bound to the link, hashed in Redis, expire by the clock, can be ended', async (t) => {
  const { links, later, dagen, alles } = await opzet(t);
  const id = randomUUID();
  const link = (await links.zoek(await links.maak(id, dagen(90))))!;
  const s = await links.maakSessie(link.hash, id);
  t.match(s.id, /^[A-Za-z0-9_-]{43}$/);
  t.notOk((await alles()).some((x) => x.includes(s.id)), 'the session id is nowhere in Redis');
  t.match(await links.sessie(s.id), { linkHash: link.hash, meldingId: id, csrf: s.csrf });
  t.equal(await links.sessie('bestaat-niet-bestaat-niet-bestaat-niet'), undefined);
  later(30 * MIN - 1);
  t.ok(await links.sessie(s.id));
  later(1);
  t.equal(await links.sessie(s.id), undefined, 'expired after sessieMinuten');
  const s2 = await links.maakSessie(link.hash, id);
  await links.beeindigSessie(s2.id);
  t.equal(await links.sessie(s2.id), undefined, 'ended');
});

t.test('trekIn: the link is marked withdrawn and its code void; the first opening counts once', async (t) => {
  const { links, dagen } = await opzet(t);
  const id = randomUUID();
  const token = await links.maak(id, dagen(90));
  const link = (await links.zoek(token))!;
  const code = await links.maakCode(link.hash);
  t.equal(await links.trekIn(id), true);
  t.equal((await links.zoek(token))?.ingetrokken, true);
  t.equal((await links.controleerCode(link.hash, code)).uitkomst, 'onbekend');
  t.equal(await links.trekIn(randomUUID()), false, 'a melding without a link');
  t.equal(await links.eersteOpening(id), true);
  t.equal(await links.eersteOpening(id), false);
  await links.vergeetOpening(id);
  t.equal(await links.eersteOpening(id), true, 'again after vergeetOpening');
});

t.test('tempoSleutel: rate limits count a keyed hash, never the IP address or token itself', async (t) => {
  const { links } = await opzet(t);
  const a = links.tempoSleutel('192.0.2.1');
  t.equal(links.tempoSleutel('192.0.2.1'), a, 'the same client, the same key');
  t.not(links.tempoSleutel('192.0.2.2'), a, 'another client, another key');
  t.notMatch(a, '192.0.2.1');
});

t.test('verwijder: every link the melding ever had, their codes and its read-marker are gone', async (t) => {
  const { redis, namen, links, dagen } = await opzet(t);
  const id = randomUUID();
  const ander = randomUUID();
  const eerste = await links.maak(id, dagen(90));
  await links.maakCode(links.hash(eerste));
  const tweede = await links.maak(id, dagen(90)); // a reminder replaced the first
  await links.maakCode(links.hash(tweede));
  await links.eersteOpening(id);
  const blijft = await links.maak(ander, dagen(90));
  await links.verwijder(id);
  t.equal(await links.zoek(tweede), undefined);
  const over = await redis.keys(namen.link('*'));
  t.notOk(over.some((k) => k.includes(id) || k.includes(links.hash(eerste)) || k.includes(links.hash(tweede))), over.join(' '));
  t.ok(await links.zoek(blijft), 'another melding keeps its link');
  await links.verwijder(id); // again: nothing left to do, no error
});
