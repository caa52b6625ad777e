// Both TLS listeners (the API with mutual TLS, the portal with a server certificate only) before any
// request: a handshake must finish in time, and connections beyond the cap are refused while a real
// client still gets through once the flood is gone. Raw sockets from node:net, real TLS for the rest.
import { readFileSync } from 'node:fs';
import { connect as tcp, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import t from 'tap';
import { build, httpsVraag, wachtOp, type Gebouwd } from '../helpers/build.js';

interface T {
  teardown(fn: () => unknown): void;
}

/**
 * The start of a ClientHello, cut off: a TLS record header announcing 512 bytes, the handshake header,
 * client_version and the 32 random bytes. The server has no choice but to wait for the rest.
 */
const HALVE_CLIENTHELLO = Buffer.concat([Buffer.from('1603010200' + '010001fc' + '0303', 'hex'), Buffer.alloc(32, 0x5a)]);

/** A raw TCP connection that records when it closed; every one is destroyed in teardown. */
interface Ruw {
  socket: Socket;
  geopend: number;
  dicht?: number;
}

function verbinder(t: T) {
  const open = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  t.teardown(() => {
    for (const s of open) s.destroy();
    for (const tm of timers) clearInterval(tm);
  });
  return {
    /** Connected (or refused before connect: then already closed). */
    ruw(port: number, stuur?: Buffer): Promise<Ruw> {
      return new Promise((resolve) => {
        const socket = tcp({ host: '127.0.0.1', port });
        const r: Ruw = { socket, geopend: Date.now() };
        open.add(socket);
        socket.on('error', () => {}); // a reset is one of the expected outcomes
        socket.on('data', () => {}); // an alert may come before the close
        socket.once('close', () => {
          r.dicht = Date.now();
          open.delete(socket);
          resolve(r);
        });
        socket.once('connect', () => {
          r.geopend = Date.now();
          if (stuur) socket.write(stuur);
          resolve(r);
        });
      });
    },
    /** Writes the ClientHello one byte every `ms`: activity, but never a finished handshake. */
    druppel(r: Ruw, ms: number): void {
      let i = 0;
      const tm = setInterval(() => {
        if (r.dicht || i >= HALVE_CLIENTHELLO.length) return clearInterval(tm);
        r.socket.write(HALVE_CLIENTHELLO.subarray(i, ++i));
      }, ms);
      timers.add(tm);
    },
  };
}

/** Until every socket has closed, at most `ms` (stretched by SB_TEST_WACHTFACTOR). */
async function allesDicht(verbindingen: Ruw[], ms: number): Promise<boolean> {
  try {
    await wachtOp(async () => verbindingen.every((r) => r.dicht !== undefined), ms, 20);
    return true;
  } catch {
    return false;
  }
}

const verbindingenVan = (server: Server) => new Promise<number>((res, rej) => server.getConnections((err, n) => (err ? rej(err) : res(n))));

/** One real request per listener: the API with a client certificate, the portal without. */
function echtVerzoek(app: Gebouwd, listener: 'api' | 'portal') {
  if (listener === 'api') return app.vraag('elan-wonen', 'GET', '/v1/openapi.json');
  return httpsVraag({ host: '127.0.0.1', port: app.portalPort, path: '/portaal.css', ca: readFileSync(path.join(app.pki, 'ca.crt')), servername: 'localhost' });
}

const LISTENERS = ['api', 'portal'] as const;
const poort = (app: Gebouwd, l: (typeof LISTENERS)[number]) => (l === 'api' ? app.apiPort : app.portalPort);
const server = (app: Gebouwd, l: (typeof LISTENERS)[number]) => (l === 'api' ? app.draaiend.api! : app.draaiend.portal!).server as Server;

t.test('a handshake that does not finish in time is closed', async (t) => {
  const TIMEOUT_S = 1;
  const app = await build(t, {
    rollen: ['api', 'portal'],
    configAanpassen: (d) => {
      Object.assign(d.api, { handshakeTimeoutSeconden: TIMEOUT_S });
      Object.assign(d.portal, { handshakeTimeoutSeconden: TIMEOUT_S });
    },
  });
  const v = verbinder(t);
  for (const listener of LISTENERS) {
    const port = poort(app, listener);
    // [what, how many, what it sends]
    const soorten: [string, number, Buffer | undefined][] = [
      ['raw TCP, no ClientHello', 20, undefined],
      ['half a ClientHello', 5, HALVE_CLIENTHELLO],
      ['a ClientHello dripping one byte every 200 ms', 3, undefined],
    ];
    const alle: [string, Ruw][] = [];
    for (const [wat, n, stuur] of soorten)
      for (let i = 0; i < n; i++) {
        const r = await v.ruw(port, stuur);
        if (wat.startsWith('a ClientHello dripping')) v.druppel(r, 200);
        alle.push([wat, r]);
      }
    t.ok(alle.every(([, r]) => r.dicht === undefined), `${listener}: all ${alle.length} connections accepted`);
    // Without a handshake timeout Node keeps them for 120 s; this waits a few seconds beyond the limit.
    const dicht = await allesDicht(alle.map(([, r]) => r), TIMEOUT_S * 1000 + 4000);
    t.ok(dicht, `${listener}: every connection without a finished handshake is closed`);
    for (const [wat] of soorten) {
      const deze = alle.filter(([w]) => w === wat).map(([, r]) => r);
      const duur = deze.flatMap((r) => (r.dicht === undefined ? [] : [r.dicht - r.geopend]));
      t.equal(duur.length, deze.length, `${listener}, ${wat}: ${duur.length} of ${deze.length} closed, after ${Math.min(...duur)}–${Math.max(...duur)} ms`);
      t.ok(duur.every((ms) => ms >= TIMEOUT_S * 1000 - 100), `${listener}, ${wat}: not before the timeout`);
    }
    t.equal((await echtVerzoek(app, listener)).status, 200, `${listener}: a real client still gets through`);
  }

  // A finished handshake is not subject to the timeout: the request may come later (within headersTimeout).
  const pki = (f: string) => readFileSync(path.join(app.pki, f));
  for (const listener of LISTENERS) {
    const cert = listener === 'api' ? { cert: pki('clients/elan-wonen.crt'), key: pki('clients/elan-wonen.key') } : {};
    const socket = tlsConnect({ host: '127.0.0.1', port: poort(app, listener), ca: pki('ca.crt'), servername: 'localhost', ...cert });
    t.teardown(() => socket.destroy());
    socket.on('error', () => {});
    await new Promise((res, rej) => socket.once('secureConnect', res).once('close', () => rej(new Error('closed before the handshake'))));
    await new Promise((res) => setTimeout(res, TIMEOUT_S * 1500));
    const antwoord = new Promise<string>((res) => {
      let tekst = '';
      socket.on('data', (d: Buffer) => (tekst += d.toString('latin1')));
      socket.once('close', () => res(tekst));
    });
    const pad = listener === 'api' ? '/v1/openapi.json' : '/portaal.css';
    socket.write(`GET ${pad} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    t.match(await antwoord, /^HTTP\/1\.1 200 /, `${listener}: a request ${TIMEOUT_S * 1.5} s after the handshake is answered`);
  }
});

t.test('connections beyond the cap are refused; after the flood a real client gets through', async (t) => {
  const MAX = 5;
  const app = await build(t, {
    rollen: ['api', 'portal'],
    configAanpassen: (d) => {
      // A long handshake timeout: the flood must be held by the cap alone, not closed by the timeout.
      Object.assign(d.api, { maxVerbindingen: MAX, handshakeTimeoutSeconden: 60 });
      Object.assign(d.portal, { maxVerbindingen: MAX, handshakeTimeoutSeconden: 60 });
    },
  });
  const v = verbinder(t);
  for (const listener of LISTENERS) {
    const port = poort(app, listener);
    const vol: Ruw[] = [];
    for (let i = 0; i < MAX; i++) vol.push(await v.ruw(port));
    await wachtOp(async () => (await verbindingenVan(server(app, listener))) === MAX, 10_000);
    const teVeel: Ruw[] = [];
    for (let i = 0; i < 3 * MAX; i++) teVeel.push(await v.ruw(port, HALVE_CLIENTHELLO));
    t.ok(await allesDicht(teVeel, 3000), `${listener}: the ${teVeel.length} connections beyond ${MAX} are closed`);
    const duur = teVeel.map((r) => (r.dicht ?? Date.now()) - r.geopend);
    t.comment(`${listener}: refused connections closed after at most ${Math.max(...duur)} ms`);
    t.ok(vol.every((r) => r.dicht === undefined), `${listener}: the first ${MAX} are still open`);
    t.equal(await verbindingenVan(server(app, listener)), MAX, `${listener}: the server holds no more than ${MAX}`);
    await t.rejects(echtVerzoek(app, listener), `${listener}: during the flood a real client is refused too`);

    for (const r of vol) r.socket.destroy();
    await wachtOp(async () => (await verbindingenVan(server(app, listener))) === 0, 10_000);
    t.equal((await echtVerzoek(app, listener)).status, 200, `${listener}: after the flood a real client gets through`);
  }
  const meldingen = app.logs().split('\n').filter((l) => l.includes('verbindingslimiet bereikt'));
  t.same(meldingen.map((l) => JSON.parse(l).listener).sort(), ['api', 'portal'], 'the operator hears once per listener, not once per connection');
});
