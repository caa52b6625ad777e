// build(t): a whole API role against a real Redis, with the real dev PKI, listening on real TLS.
// Requests go through node:https with the dev client certificates, so the handshake is real.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { stringify } from 'yaml';
import { parseConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createDevPki } from '../../dev/dev-pki.js';
import { start, type Draaiend, type Rol } from '../../src/server.js';
import { startSink, type Sink } from '../../dev/smtp-sink.js';
import { Sleutelring } from '../../src/store/sleutelring.js';
import { amsterdamDatum } from '../../src/domain/werkdagen.js';
import { BASIS, lopendeKlok, pkiGeldigheid, plusDagen } from './klok.js';
import { startRedis, startRedisSentinel, type TestRedis, type TestSentinel } from './redis.js';

interface T {
  teardown(fn: () => unknown): void;
}

let pkiDir: Promise<string> | undefined;
/**
 * One dev PKI per test process (generating keys is the slow part), valid for the test clock and the
 * real clock alike (TLS handshakes run on the real one): see helpers/klok.ts.
 */
export function testPki(): Promise<string> {
  pkiDir ??= (async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sb-pki-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const { van, tot } = pkiGeldigheid();
    await createDevPki(dir, { now: van, geldigTot: tot });
    return dir;
  })();
  return pkiDir;
}

export function testConfigDoc(pki: string, redisUrl: string, sleutelbestand: string): Record<string, unknown> {
  const p = (f: string) => path.join(pki, f);
  return {
    convenant: { naam: 'Testconvenant', werkdagenTerugkoppeling: 5 },
    organisaties: [
      { oin: '00000099000000000001', naam: 'Elan Wonen', rol: 'corporatie' },
      { oin: '00000099000000000002', naam: 'Pré Wonen', rol: 'corporatie' },
      { oin: '00000099000000000003', naam: 'Ymere', rol: 'corporatie' },
      { oin: '00000099000000000010', naam: 'Gemeente Haarlem', rol: 'gemeente' },
    ],
    wijkteams: [
      { id: 'noord', naam: 'Sociaal Wijkteam Noord', organisatie: '00000099000000000010', postcodes: ['2011-2019'],
        mailbox: 'wijkteam-noord@haarlem.example', bezorging: 'smime', certificaat: p('recipients/wijkteam-noord.crt') },
      { id: 'oost', naam: 'Sociaal Wijkteam Oost', organisatie: '00000099000000000010', postcodes: ['2020-2029'],
        mailbox: 'wijkteam-oost@haarlem.example', bezorging: 'pgp', pgpSleutel: p('recipients/wijkteam-oost.pub.asc') },
      { id: 'zuid', naam: 'Sociaal Wijkteam Zuid', organisatie: '00000099000000000010', postcodes: ['2030-2039'],
        mailbox: 'wijkteam-zuid@haarlem.example', bezorging: 'beveiligde-link' },
    ],
    troubleshooter: { naam: 'Troubleshooter', mailbox: 'troubleshooter@haarlem.example', bezorging: 'smime', certificaat: p('recipients/troubleshooter.crt') },
    api: { host: '127.0.0.1', port: 0 },
    portal: { host: '127.0.0.1', port: 0 },
    ops: { host: '127.0.0.1', port: 0 },
    tls: { cert: p('server.crt'), key: p('server.key'), ca: [p('ca.crt')], crl: [p('crl.pem')] },
    redis: { url: redisUrl },
    versleuteling: { sleutelbestand },
    afzender: { naam: 'Signaalbrug Test', mailbox: 'signaalbrug@haarlem.example', certificaat: p('signer.crt'), sleutel: p('signer.key'), pgpSleutel: p('signer.sec.asc') },
    smimePki: { ca: [p('ca.crt')], crl: [p('crl.pem')] },
    smtp: { host: '127.0.0.1', port: 2525, servername: 'localhost', ca: [p('ca.crt')] },
    bezorging: { pogingen: 3, eersteWachttijdSeconden: 0.2, gelijktijdig: 4, lockSeconden: 2 },
    termijnen: { sweepSeconden: 0.2 },
  };
}

export interface Antwoord {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  tekst: string;
}

export interface Gebouwd {
  config: Config;
  pki: string;
  /** The Redis the service uses; with `sentinel` the one that started as primary (see sentinel for the current one). */
  redis: TestRedis;
  /** With opts.sentinel: the primary, replica and three sentinels the service reaches through the sentinels. */
  sentinel?: TestSentinel;
  draaiend: Draaiend;
  sink?: Sink;
  configBestand: string;
  apiPort: number;
  portalPort: number;
  opsPort: number;
  logs(): string;
  /** A request as the named dev client (`clients/<naam>`), or with no certificate when naam is null. */
  vraag(naam: string | null, method: string, pad: string, body?: unknown, extra?: { headers?: Record<string, string>; ruw?: string | Buffer }): Promise<Antwoord>;
}

export function httpsVraag(opts: RequestOptions, ruw?: string | Buffer): Promise<Antwoord> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ agent: false, ...opts }, (res) => {
      const delen: Buffer[] = [];
      res.on('data', (d: Buffer) => delen.push(d));
      res.on('end', () => {
        const tekst = Buffer.concat(delen).toString('utf8');
        let body: unknown = tekst;
        try {
          body = JSON.parse(tekst);
        } catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, tekst });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(ruw);
  });
}

export interface BuildOpties {
  /** The service clock; default the running clock from BASIS (the real clock when SB_TEST_DATUM is unset). */
  klok?: () => Date;
  configAanpassen?: (doc: Record<string, any>) => void;
  rollen?: Rol[];
  /** Where the JSON logs go (default: kept in memory for the test to read). */
  logNaar?: NodeJS.WritableStream;
  /** Extra redis-server arguments, e.g. to run without AOF. */
  redisArgs?: string[];
  /** Redis Sentinel (a primary, a replica, three sentinels) instead of one redis-server; config redis.sentinels and naam. */
  sentinel?: boolean | { downAfterMs?: number };
  /** With the worker role a real SMTP sink (STARTTLS) is started unless this is false. */
  sink?: boolean | { zonderStarttls?: boolean };
}

export async function build(t: T, opts: BuildOpties = {}): Promise<Gebouwd> {
  const pki = await testPki();
  const sentinel = opts.sentinel ? await startRedisSentinel(t, typeof opts.sentinel === 'object' ? opts.sentinel : {}) : undefined;
  const redis = sentinel ? sentinel.primary : await startRedis(t, opts.redisArgs);
  const rollen = opts.rollen ?? ['api'];
  let sink: Sink | undefined;
  if ((rollen.includes('worker') && opts.sink !== false) || opts.sink === true) {
    sink = await startSink({
      dir: mkdtempSync(path.join(tmpdir(), 'sb-mail-')), key: readFileSync(path.join(pki, 'server.key')), cert: readFileSync(path.join(pki, 'server.crt')),
      zonderStarttls: typeof opts.sink === 'object' ? opts.sink.zonderStarttls : false,
    });
    const s = sink;
    t.teardown(async () => {
      await s.stop();
      rmSync(s.dir, { recursive: true, force: true });
    });
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-cfg-'));
  const sleutelbestand = path.join(dir, 'sleutels.json');
  writeFileSync(sleutelbestand, Sleutelring.nieuw(), { mode: 0o600 });
  const doc = testConfigDoc(pki, redis.url, sleutelbestand);
  if (sink) (doc.smtp as { port: number }).port = sink.port;
  if (sentinel) doc.redis = { sentinels: sentinel.sentinels, naam: sentinel.naam };
  opts.configAanpassen?.(doc);
  const bestand = path.join(dir, 'config.yaml');
  writeFileSync(bestand, stringify(doc));
  const config = parseConfig(readFileSync(bestand, 'utf8'), bestand);

  const logStream = new PassThrough();
  let logTekst = '';
  logStream.on('data', (d: Buffer) => (logTekst += d.toString('utf8')));
  const log = createLogger(opts.logNaar ?? logStream, 'info');
  const draaiend = await start({ config, rollen, log, klok: opts.klok ?? lopendeKlok, env: {} });
  t.teardown(async () => {
    await draaiend.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const apiPort = draaiend.adressen.api ? Number(new URL(draaiend.adressen.api).port) : 0;
  const portalPort = draaiend.adressen.portal ? Number(new URL(draaiend.adressen.portal).port) : 0;
  const opsPort = Number(new URL(draaiend.adressen.ops!).port);
  const ca = readFileSync(path.join(pki, 'ca.crt'));

  return {
    config, pki, redis, sentinel, draaiend, apiPort, portalPort, opsPort, sink, configBestand: bestand,
    logs: () => logTekst,
    vraag(naam, method, pad, body, extra = {}) {
      const cert = naam ? { cert: readFileSync(path.join(pki, 'clients', `${naam}.crt`)), key: readFileSync(path.join(pki, 'clients', `${naam}.key`)) } : {};
      const ruw = extra.ruw ?? (body === undefined ? undefined : JSON.stringify(body));
      const headers: Record<string, string> = { ...(ruw !== undefined ? { 'content-type': 'application/json' } : {}), ...extra.headers };
      return httpsVraag({ host: '127.0.0.1', port: apiPort, method, path: pad, ca, servername: 'localhost', headers, ...cert }, ruw);
    },
  };
}

/**
 * Load-proof waits: a shared 2-core machine running two test files at once is slow, so waits are
 * bounded but generous, and SB_TEST_WACHTFACTOR (default 1) stretches every one of them.
 */
export const WACHTFACTOR = Math.max(1, Number(process.env.SB_TEST_WACHTFACTOR) || 1);

/** Poll until `klaar` returns a value (bounded: tests never wait forever). */
export async function wachtOp<R>(klaar: () => Promise<R | undefined | false>, ms = 60_000, stap = 50): Promise<R> {
  const eind = Date.now() + ms * WACHTFACTOR;
  for (;;) {
    const r = await klaar();
    if (r) return r;
    if (Date.now() > eind) throw new Error(`timed out after ${ms * WACHTFACTOR} ms`);
    await new Promise((res) => setTimeout(res, stap));
  }
}

/**
 * Wait until `teller()` reaches `doel`, as long as it keeps rising: it fails only when the count has
 * not moved for `stilMs` (progress, not a fixed rate, so a busy machine is slow but never red).
 */
export async function wachtOpVoortgang(teller: () => Promise<number> | number, doel: number, opts: { stilMs?: number; wat?: string; stapMs?: number } = {}): Promise<number> {
  const stil = (opts.stilMs ?? 60_000) * WACHTFACTOR;
  let laatste = -1;
  let sinds = Date.now();
  for (;;) {
    const n = await teller();
    if (n >= doel) return n;
    if (n !== laatste) [laatste, sinds] = [n, Date.now()];
    else if (Date.now() - sinds > stil) throw new Error(`${opts.wat ?? 'teller'}: ${n} van ${doel}, ${stil} ms zonder voortgang`);
    await new Promise((res) => setTimeout(res, opts.stapMs ?? 100));
  }
}

/** The Amsterdam date `n` days before the test clock's base: dates in a melding may not lie ahead of it. */
export const dagenVoorBasis = (n: number) => plusDagen(amsterdamDatum(BASIS), -n);

/** The example melding of docs/contract.md, with a unique referentie and dates before the test clock's base. */
/** An energy company's signal with its allowed data set (README "Signal partners beyond corporations"). */
export function voorbeeldSignaal(over: Record<string, unknown> = {}): Record<string, any> {
  return {
    referentie: `ENH-${Math.random().toString().slice(2, 10)}`,
    soort: 'betalingsachterstand-energie',
    klant: { klantnummer: 'K-4471', voorletters: 'A.', achternaam: 'Bakker', telefoonnummer: '0687654321', emailadres: 'a.bakker@example.org' },
    adres: { straatnaam: 'Zijlweg', huisnummer: 7, postcode: '2015AB', woonplaats: 'Haarlem' },
    achterstand: { bedragInCenten: 34_550, ontstaanOp: dagenVoorBasis(75) },
    stappen: {
      herinneringVerstuurdOp: dagenVoorBasis(45), persoonlijkContactGezocht: true, gewezenOpSchuldhulp: true, geenBezwaarKlant: true,
      contactpogingen: [dagenVoorBasis(30), dagenVoorBasis(20)], betalingsregelingAangeboden: true,
    },
    ...over,
  };
}

export function voorbeeldMelding(over: Record<string, unknown> = {}): Record<string, any> {
  return {
    referentie: `ELAN-2026-${Math.random().toString().slice(2, 10)}`,
    soort: 'huurachterstand',
    huurder: { relatienummer: '778812', voorletters: 'J.', tussenvoegsel: 'van', achternaam: 'Dijk', geboortedatum: '1958-03-14', telefoonnummer: '0612345678' },
    adres: { straatnaam: 'Kleine Houtstraat', huisnummer: 12, huisnummertoevoeging: 'A', postcode: '2011DE', woonplaats: 'Haarlem' },
    huishouden: { aantalBewoners: 3 },
    achterstand: { bedragInCenten: 123456, ontstaanOp: dagenVoorBasis(100), aantalMaanden: 2 },
    stappen: { persoonlijkContactGezocht: true, gewezenOpSchuldhulp: true, herinneringVerstuurdOp: dagenVoorBasis(70), geenBezwaarHuurder: true },
    ...over,
  };
}
