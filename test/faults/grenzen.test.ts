// Faults: limits cut off oversized bodies, slow clients and idle TLS connections; the server
// keeps serving throughout. Bounded: a fixed number of sockets, each with a deadline.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { connect, type TLSSocket } from 'node:tls';
import t from 'tap';
import { build, voorbeeldMelding, WACHTFACTOR } from '../helpers/build.js';
import { mtlsAgent, post } from './last.js';
import { geschaald } from './schaal.js';

const IDLE = geschaald(100, 10);

function tlsSocket(pki: string, port: number): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: readFileSync(path.join(pki, 'ca.crt')),
      cert: readFileSync(path.join(pki, 'clients/elan-wonen.crt')), key: readFileSync(path.join(pki, 'clients/elan-wonen.key')) }, () => resolve(s));
    s.once('error', reject);
  });
}

const gesloten = (s: TLSSocket, ms: number) => new Promise<number>((resolve) => {
  const begin = Date.now();
  if (s.destroyed) return resolve(0);
  const timer = setTimeout(() => resolve(-1), ms);
  s.once('close', () => { clearTimeout(timer); resolve(Date.now() - begin); });
  s.on('error', () => {});
});

t.test('limits', async (t) => {
  const app = await build(t, { configAanpassen: (d) => (d.api = { ...d.api, requestTimeoutMs: 1000, bodyLimitBytes: 65_536 }) });
  const agent = mtlsAgent(app.pki);
  t.teardown(() => agent.destroy());

  await t.test('an oversized body: 413, or the connection is closed; never accepted', async (t) => {
    const groot = JSON.stringify(voorbeeldMelding({ referentie: 'GROOT', extra: 'x'.repeat(2_000_000) }));
    const r = await post(agent, app.apiPort, '/v1/meldingen', groot);
    t.ok(r.status === 413 || r.status === 0, `status ${r.status}`);
    if (r.status === 413) t.match(r.body, { status: 413, title: 'Verzoek te groot' });
  });

  await t.test('a slow client (headers dribbling in) is cut off', async (t) => {
    const s = await tlsSocket(app.pki, app.apiPort);
    s.write('POST /v1/meldingen HTTP/1.1\r\nHost: localhost\r\n');
    const druppel = setInterval(() => { if (!s.destroyed) s.write('X-Traag: 1\r\n'); }, 500);
    const na = await gesloten(s, 20_000 * WACHTFACTOR);
    clearInterval(druppel);
    s.destroy();
    t.ok(na > 0, `closed by the server after ${na} ms (headersTimeout 10 s)`);
  });

  await t.test(`${IDLE} idle TLS connections are closed`, async (t) => {
    // Each socket is watched from its own handshake on: on a busy machine opening them all takes
    // longer than the idle timeout, so the first are closed before the last is open.
    const sockets = await Promise.all(Array.from({ length: IDLE }, async () => {
      const s = await tlsSocket(app.pki, app.apiPort);
      return { s, na: gesloten(s, 15_000 * WACHTFACTOR) };
    }));
    t.teardown(() => sockets.forEach(({ s }) => s.destroy()));
    const tijden = await Promise.all(sockets.map(({ na }) => na));
    t.ok(tijden.every((ms) => ms >= 0), `all ${IDLE} closed by the server, the last ${Math.max(...tijden)} ms after its handshake; still open: ${tijden.filter((ms) => ms < 0).length}`);
  });

  t.equal((await post(agent, app.apiPort, '/v1/meldingen', JSON.stringify(voorbeeldMelding()))).status, 201, 'still serving');
});
