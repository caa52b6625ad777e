// Nothing accepted is lost: a 201 survives a Redis crash, Redis down means 503 (never a false 201),
// and no personal data stands in plaintext in Redis's files or in the logs.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import t from 'tap';
import { build, voorbeeldMelding } from '../helpers/build.js';

const ELAN = 'elan-wonen';

t.test('every 201 survives a SIGKILL of Redis (AOF, fsync always)', async (t) => {
  const app = await build(t);
  const ids: string[] = [];
  for (let i = 0; i < 40; i++) {
    const res = await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldMelding());
    t.equal(res.status, 201);
    ids.push(res.body.id);
  }
  await app.redis.kill();
  await app.redis.start();
  // The service reconnects by itself; give it a moment.
  let gelezen = 0;
  for (let poging = 0; poging < 50 && gelezen === 0; poging++) {
    const res = await app.vraag(ELAN, 'GET', `/v1/meldingen/${ids[0]}`);
    if (res.status === 200) gelezen++;
    else await new Promise((r) => setTimeout(r, 100));
  }
  for (const id of ids) {
    const res = await app.vraag(ELAN, 'GET', `/v1/meldingen/${id}`);
    t.equal(res.status, 200, id);
    t.equal(res.body.status, 'ontvangen');
  }
});

t.test('Redis down at request time: 503 problem, nothing claimed; back up: stored once', async (t) => {
  const app = await build(t);
  await app.redis.kill();
  const m = voorbeeldMelding();
  const tijdensStoring = await app.vraag(ELAN, 'POST', '/v1/meldingen', m);
  t.equal(tijdensStoring.status, 503);
  t.match(tijdensStoring.headers['content-type'], /^application\/problem\+json/);
  t.match(tijdensStoring.body, { status: 503, title: String, detail: /opslag/ });
  t.ok(tijdensStoring.headers['retry-after'], 'Retry-After tells the client when to try again');
  const ready = await fetchOps(app.opsPort, '/health/ready');
  t.equal(ready.status, 503, 'not ready while Redis is down');

  await app.redis.start();
  let res = tijdensStoring;
  for (let i = 0; i < 50 && res.status === 503; i++) {
    await new Promise((r) => setTimeout(r, 100));
    res = await app.vraag(ELAN, 'POST', '/v1/meldingen', m);
  }
  t.equal(res.status, 201, 'the retry is accepted once Redis is back');
  const opnieuw = await app.vraag(ELAN, 'POST', '/v1/meldingen', m);
  t.equal(opnieuw.status, 200);
  t.equal(opnieuw.body.id, res.body.id);
  t.equal((await fetchOps(app.opsPort, '/health/ready')).status, 200);
});

t.test('no personal data in Redis persistence files or logs (canary)', async (t) => {
  const app = await build(t);
  const canary = { achternaam: 'Kanariepietersz', telefoonnummer: '0687654321', straatnaam: 'Zwanenburgerdijkje', relatienummer: 'CANARY-9931' };
  const m = voorbeeldMelding();
  Object.assign(m.huurder, { achternaam: canary.achternaam, telefoonnummer: canary.telefoonnummer, relatienummer: canary.relatienummer });
  m.adres.straatnaam = canary.straatnaam;
  const res = await app.vraag(ELAN, 'POST', '/v1/meldingen', m);
  t.equal(res.status, 201);
  // A refused body with the canary in it must not leak through error logging either.
  await app.vraag(ELAN, 'POST', '/v1/meldingen', { ...m, bsn: '1' });
  await app.vraag(ELAN, 'POST', '/v1/meldingen', undefined, { ruw: JSON.stringify(m).slice(0, 60), headers: { 'content-type': 'application/json' } });

  const r = new Redis(app.redis.url);
  t.teardown(() => r.disconnect());
  await r.call('SAVE');
  const bestanden = [path.join(app.redis.dir, 'dump.rdb'), ...readdirSync(path.join(app.redis.dir, 'appendonlydir')).map((f) => path.join(app.redis.dir, 'appendonlydir', f))];
  const inhoud = bestanden.map((f) => readFileSync(f).toString('latin1')).join('\n');
  t.ok(inhoud.includes(res.body.id), 'the files do hold the melding (so the grep can see it)');
  const logs = app.logs();
  t.ok(logs.includes('/v1/meldingen'), 'the logs do hold the requests');
  for (const [veld, waarde] of Object.entries(canary)) {
    t.notOk(inhoud.includes(waarde), `${veld} not in RDB/AOF`);
    t.notOk(logs.includes(waarde), `${veld} not in logs`);
  }
  t.notOk(inhoud.includes(m.referentie), 'referentie not in plaintext either');
});

async function fetchOps(port: number, pad: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://127.0.0.1:${port}${pad}`);
  return { status: res.status, body: await res.json() };
}

t.test('the service warns loudly when Redis is not durable', async (t) => {
  const app = await build(t, { redisArgs: ['--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru'] });
  const logs = app.logs();
  t.match(logs, /DUURZAAMHEID: appendonly staat niet aan/);
  t.match(logs, /DUURZAAMHEID: maxmemory-policy allkeys-lru/);
  t.notMatch(logs, /GEHEUGEN/, 'the harness runs Redis with the compact hashes a case needs');
  const goed = await build(t);
  t.notMatch(goed.logs(), /DUURZAAMHEID/, 'no warning with AOF always and noeviction');
  const standaard = await build(t, { redisArgs: ['--hash-max-listpack-value', '64', '--hash-max-listpack-entries', '128', '--zset-max-listpack-entries', '128'] });
  t.match(standaard.logs(), /GEHEUGEN: hash-max-listpack-value 64: .*zet 2048/, 'Redis\'s default costs memory per case: said at start');
  t.match(standaard.logs(), /GEHEUGEN: hash-max-listpack-entries 128: .*zet 512/);
  t.match(standaard.logs(), /GEHEUGEN: zset-max-listpack-entries 128: .*zet 512/);
  t.notMatch(standaard.logs(), /DUURZAAMHEID/, 'memory, not durability');
});

t.test('ops listener: live, ready and metrics without personal data', async (t) => {
  const app = await build(t);
  t.equal((await fetchOps(app.opsPort, '/health/live')).status, 200);
  t.match((await fetchOps(app.opsPort, '/health/ready')).body, { status: 'ok', checks: { redis: true, crlVers: true } });
  const m = voorbeeldMelding();
  await app.vraag(ELAN, 'POST', '/v1/meldingen', m);
  const tekst = await (await fetch(`http://127.0.0.1:${app.opsPort}/metrics`)).text();
  t.match(tekst, /signaalbrug_meldingen_ontvangen_total\{soort="huurachterstand"\} 1/);
  t.match(tekst, /signaalbrug_http_verzoeken_total\{route="\/v1\/meldingen",methode="POST",status="201"\} 1/);
  t.notOk(tekst.includes(m.referentie) || tekst.includes('Dijk'), 'no personal data in metrics');
});
