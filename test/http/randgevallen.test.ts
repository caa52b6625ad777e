// The edges of the API: requests Node and Fastify refuse before routing, a wrong method on a known
// path, malformed ids, Redis refusing a command (500) versus Redis away (503), and ownership judged
// before any decryption. Real TLS sockets, a real Redis, real WRONGTYPE errors.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { connect } from 'node:tls';
import { Redis } from 'ioredis';
import { PORTAAL_HEADERS } from '../../src/http/portaal/app.js';
import t, { type Test } from 'tap';
import { BEVEILIGINGSHEADERS } from '../../src/http/beveiligingsheaders.js';
import { build, voorbeeldMelding, wachtOp, type Antwoord, type Gebouwd } from '../helpers/build.js';

const ELAN = 'elan-wonen';
const GEMEENTE = 'wijkteam-haarlem';
const TERUGKOPPELING = { contactGelegd: true, inBehandeling: true, incassoHervatten: false };

/** Raw bytes over a real mutual-TLS connection (as elan-wonen); the server's answer, parsed. */
async function ruw(app: Gebouwd, verzoek: string, naar: 'api' | 'portal' = 'api'): Promise<Antwoord> {
  const pki = (f: string) => readFileSync(path.join(app.pki, f));
  const socket = connect({
    host: '127.0.0.1', port: naar === 'api' ? app.apiPort : app.portalPort, servername: 'localhost', ca: pki('ca.crt'),
    ...(naar === 'api' ? { cert: pki(`clients/${ELAN}.crt`), key: pki(`clients/${ELAN}.key`) } : {}),
  });
  await once(socket, 'secureConnect');
  const delen: Buffer[] = [];
  socket.on('data', (d: Buffer) => delen.push(d));
  socket.on('error', () => {}); // a reset after the answer: what was read counts
  socket.write(verzoek);
  await once(socket, 'close');
  const tekst = Buffer.concat(delen).toString('utf8');
  const [kop = '', ...rest] = tekst.split('\r\n\r\n');
  const [statusregel = '', ...regels] = kop.split('\r\n');
  const headers: Record<string, string> = {};
  for (const r of regels) headers[r.slice(0, r.indexOf(':')).toLowerCase()] = r.slice(r.indexOf(':') + 1).trim();
  const body = rest.join('\r\n\r\n');
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch { /* not JSON */ }
  return { status: Number(statusregel.split(' ')[1]), headers, body: json, tekst };
}

/** What every problem carries: problem+json with a type URI of ours, API-Version, the security headers. */
function isProbleem(t: Test, r: Antwoord, status: number, wat: string) {
  t.equal(r.status, status, `${wat}: status`);
  t.match(r.headers['content-type'], /^application\/problem\+json/, `${wat}: problem+json`);
  t.equal(r.headers['api-version'], '1.0.0', `${wat}: API-Version`);
  for (const [k, v] of Object.entries(BEVEILIGINGSHEADERS)) t.equal(r.headers[k.toLowerCase()], v, `${wat}: ${k}`);
  t.match(r.body, { status, title: String, detail: String, type: /^urn:signaalbrug:probleem:[a-z-]+$/ }, `${wat}: body`);
}

t.test('requests refused before routing get a problem with every header', async (t) => {
  const app = await build(t);
  const gevallen: [string, string, number][] = [
    ['unknown method', 'FOO / HTTP/1.1\r\nHost: localhost\r\n\r\n', 501],
    ['malformed header', 'GET /v1/openapi.json HTTP/1.1\r\nHost: localhost\r\nKapotte Kop: ja\r\n\r\n', 400],
    ['no Host header', 'GET /v1/openapi.json HTTP/1.1\r\nConnection: close\r\n\r\n', 400],
    ['oversized header', `GET /v1/openapi.json HTTP/1.1\r\nHost: localhost\r\nX-Groot: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
    ['undecodable path', 'GET /v1/meldingen/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n', 404],
    ['overlong id', `GET /v1/meldingen/${'a'.repeat(200)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`, 404],
  ];
  for (const [wat, verzoek, status] of gevallen) isProbleem(t, await ruw(app, verzoek), status, wat);
  // HTTP/1.0 needs no Host (RFC 9112 3.2 asks it of HTTP/1.1 only).
  t.equal((await ruw(app, 'GET /v1/openapi.json HTTP/1.0\r\n\r\n')).status, 200, 'HTTP/1.0 without Host is fine');
  t.notMatch(app.logs(), /"level":50/, 'nothing logged as an error');
});

t.test('the portal too answers an unreadable request with a problem and its own security headers', async (t) => {
  const app = await build(t, { rollen: ['portal'] });
  for (const [wat, verzoek, status] of [
    ['unknown method', 'FOO / HTTP/1.1\r\nHost: localhost\r\n\r\n', 501],
    ['malformed header', 'GET / HTTP/1.1\r\nHost: localhost\r\nKapotte Kop: ja\r\n\r\n', 400],
  ] as const) {
    const r = await ruw(app, verzoek, 'portal');
    t.equal(r.status, status, `${wat}: status`);
    t.match(r.headers['content-type'], /^application\/problem\+json/, `${wat}: problem+json`);
    for (const [k, v] of Object.entries(PORTAAL_HEADERS)) t.equal(r.headers[k.toLowerCase()], v, `${wat}: ${k}`);
  }
});

t.test('a wrong method on a known path is 405 with Allow; an unknown path stays 404', async (t) => {
  const app = await build(t);
  const id = '5f0c2b1e-0000-4000-8000-000000000000';
  const gevallen: [string, string, string][] = [
    ['DELETE', '/v1/meldingen', 'POST'],
    ['GET', '/v1/meldingen', 'POST'],
    ['PUT', `/v1/meldingen/${id}`, 'GET, HEAD'],
    ['GET', `/v1/meldingen/${id}/intrekking`, 'POST'],
    ['PATCH', `/v1/meldingen/${id}/terugkoppeling?x=1`, 'POST'],
    ['POST', '/v1/openapi.json', 'GET, HEAD'],
  ];
  for (const [methode, pad, allow] of gevallen) {
    const r = await app.vraag(ELAN, methode, pad);
    isProbleem(t, r, 405, `${methode} ${pad}`);
    t.equal(r.headers.allow, allow, `${methode} ${pad}: Allow`);
    t.match(r.body, { code: 'SB_METHODE_NIET_TOEGESTAAN', type: 'urn:signaalbrug:probleem:methode-niet-toegestaan' });
  }
  for (const pad of ['/v1/bestaat-niet', '/v1/meldingen/', '/v1/meldingen/%zz', '/v1/meldingen/%zz/intrekking']) {
    const r = await app.vraag(ELAN, 'DELETE', pad);
    isProbleem(t, r, 404, `DELETE ${pad}`);
    t.notOk(r.headers.allow, `${pad}: no Allow`);
  }
});

/** Redis commands seen by MONITOR while `werk` runs (a PING marks the end, so none is missed). */
async function gezien(app: Gebouwd, werk: () => Promise<unknown>): Promise<string[][]> {
  // monitor() opens a connection of its own beside r.
  const r = new Redis(app.redis.url);
  const monitor = await r.monitor();
  try {
    const commandos: string[][] = [];
    monitor.on('monitor', (_tijd: string, args: string[]) => commandos.push(args));
    await werk();
    const merk = `einde-${Math.random()}`;
    await r.ping(merk);
    await wachtOp(async () => commandos.some((c) => c.includes(merk)), 10_000);
    return commandos;
  } finally {
    monitor.disconnect();
    r.disconnect();
  }
}

t.test('a malformed id is 404 on every route, before Redis is asked', async (t) => {
  const app = await build(t);
  const echt = (await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldMelding())).body.id as string;
  // `<id>:gebeurtenissen` names the case's event list in Redis: once this was a WRONGTYPE taken for an outage.
  const ids = ['geen-uuid', `${echt}:gebeurtenissen`, echt.toUpperCase(), `${echt}x`];
  const commandos = await gezien(app, async () => {
    for (const id of ids) {
      const pad = `/v1/meldingen/${encodeURIComponent(id)}`;
      for (const [wie, methode, achter, body] of [
        [ELAN, 'GET', '', undefined], [GEMEENTE, 'POST', '/terugkoppeling', TERUGKOPPELING], [ELAN, 'POST', '/intrekking', {}],
      ] as const) {
        const r = await app.vraag(wie, methode, pad + achter, body);
        isProbleem(t, r, 404, `${methode} ${id}${achter}`);
        t.notOk(r.headers['retry-after'], `${methode} ${id}${achter}: nothing to retry`);
      }
    }
  });
  t.same(commandos.filter((c) => ids.some((id) => c.join(' ').includes(id))), [], 'no Redis command named a malformed id');
  t.equal((await app.vraag(ELAN, 'GET', `/v1/meldingen/${echt}`)).status, 200, 'the real melding is still there');
});

t.test('Redis refusing a command is a 500 without internals; Redis away is a 503 with Retry-After', async (t) => {
  const app = await build(t);
  const r = new Redis(app.redis.url);
  const { namen } = app.draaiend.sb;

  // A key of the wrong type where a case should be: HMGET gets a real WRONGTYPE.
  const vreemd = '5f0c2b1e-0000-4000-8000-00000000beef';
  await r.set(namen.melding(vreemd), 'geen hash');
  // A script error: a string where a case written before kept its event list, so RPUSH inside the
  // state-change script fails.
  const melding = (await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldMelding())).body.id as string;
  await r.del(namen.gebeurtenissen(melding));
  await r.set(namen.gebeurtenissen(melding), 'geen lijst');
  r.disconnect();

  for (const [wie, methode, pad, body] of [
    [ELAN, 'GET', `/v1/meldingen/${vreemd}`, undefined],
    [GEMEENTE, 'POST', `/v1/meldingen/${vreemd}/terugkoppeling`, TERUGKOPPELING],
    [ELAN, 'POST', `/v1/meldingen/${vreemd}/intrekking`, {}],
    [ELAN, 'POST', `/v1/meldingen/${melding}/intrekking`, {}],
  ] as const) {
    const res = await app.vraag(wie, methode, pad, body);
    isProbleem(t, res, 500, `${methode} ${pad}`);
    t.match(res.body, { code: 'SB_INTERN', title: 'Interne fout' });
    t.notOk(res.headers['retry-after'], `${methode} ${pad}: no Retry-After`);
    t.notMatch(res.tekst, /WRONGTYPE|redis|script|sb:melding/i, `${methode} ${pad}: no internals in the answer`);
  }
  t.match(app.logs(), /WRONGTYPE.*"msg":"interne fout"/, 'the cause is logged');

  await app.redis.stop();
  const weg = await app.vraag(ELAN, 'GET', `/v1/meldingen/${melding}`);
  isProbleem(t, weg, 503, 'Redis stopped');
  t.match(weg.body, { code: 'SB_OPSLAG_ONBEREIKBAAR' });
  t.equal(weg.headers['retry-after'], '5');
  await app.redis.start(); // the service then stops as it always does
});

t.test('ownership before decryption: a foreign caller never has the personal data read', async (t) => {
  const app = await build(t);
  const id = (await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldMelding())).body.id as string;
  const sleutel = app.draaiend.sb.namen.melding(id);
  const blob = app.draaiend.sb.namen.meldingBlob(id, 'gegevens');
  // Reads that return the encrypted melding: of the case hash (HGETALL, or HGET/HMGET naming it), or of
  // the key of its own it had before.
  const leestGegevens = (c: string[]) => (c[1] === blob && ['get', 'getex'].includes(c[0]!.toLowerCase())) || (c[1] === sleutel
    && (c[0]!.toLowerCase() === 'hgetall' || (['hget', 'hmget'].includes(c[0]!.toLowerCase()) && c.slice(2).includes('gegevens'))));

  for (const vreemde of ['pre-wonen', 'ymere']) {
    let status = 0;
    const commandos = await gezien(app, async () => (status = (await app.vraag(vreemde, 'GET', `/v1/meldingen/${id}`)).status));
    t.equal(status, 404, `${vreemde}: 404`);
    t.ok(commandos.some((c) => c[1] === sleutel), `${vreemde}: the case's metadata was looked up`);
    t.same(commandos.filter(leestGegevens), [], `${vreemde}: gegevens never read`);
  }
  // The same observation sees the read for the sender, so the check above can fail.
  const eigen = await gezien(app, () => app.vraag(ELAN, 'GET', `/v1/meldingen/${id}`));
  t.ok(eigen.some(leestGegevens), 'the sender: gegevens read and decrypted');
});
