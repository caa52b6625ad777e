// bouwPortaal(t): the portal role over real HTTPS (dev PKI server certificate), a real Redis, a real
// SMTP sink with STARTTLS, and a melding routed to wijkteam Zuid (beveiligde-link) with canary data.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { startSink, type Sink } from '../../dev/smtp-sink.js';
import { SmtpTransport } from '../../adapters/smtp/transport.js';
import type { SmsKanaal } from '../../adapters/beveiligde-link/index.js';
import { parseConfig, type Config } from '../../src/config.js';
import { meldingSchema } from '../../src/domain/melding.js';
import type { Terugkoppeling } from '../../src/domain/terugkoppeling.js';
import { buildPortal } from '../../src/http/portaal/app.js';
import type { Tempolimieten } from '../../src/http/portaal/context.js';
import { createLogger } from '../../src/logger.js';
import { createSignaalbrug } from '../../src/signaalbrug.js';
import { Sleutelring } from '../../src/store/sleutelring.js';
import { dagenVoorBasis, testConfigDoc, testPki } from './build.js';
import { platteTekst } from './mail.js';
import { startRedis } from './redis.js';
import { BASIS, termijnVan } from './klok.js';

interface T { teardown(fn: () => unknown): void }

/** Personal data of the test melding: none of it may show before the code, or in any unencrypted mail. */
export const KANARIE = {
  achternaam: 'Kanariepietersz', telefoonnummer: '0687654321', straatnaam: 'Zwanenburgerdijkje', relatienummer: 'CANARY-9931',
  geboortedatum: '14-03-1958', geboortedatumIso: '1958-03-14', woonplaats: 'Kanarieveen', postcode: '2035XK', postcodeWeergave: '2035 XK',
  referentie: 'ELAN-2026-KANARIE1', bedrag: '1.234,56',
};

export const ELAN_OIN = '00000099000000000001';
export const GEMEENTE_OIN = '00000099000000000010';

export function kanarieMelding() {
  return meldingSchema.parse({
    referentie: KANARIE.referentie, soort: 'huurachterstand',
    huurder: { relatienummer: KANARIE.relatienummer, voorletters: 'J.', tussenvoegsel: 'van', achternaam: KANARIE.achternaam,
      geboortedatum: KANARIE.geboortedatumIso, telefoonnummer: KANARIE.telefoonnummer },
    adres: { straatnaam: KANARIE.straatnaam, huisnummer: 12, huisnummertoevoeging: 'A', postcode: KANARIE.postcode, woonplaats: KANARIE.woonplaats },
    huishouden: { aantalBewoners: 3 },
    achterstand: { bedragInCenten: 123456, ontstaanOp: dagenVoorBasis(100), aantalMaanden: 2 },
    stappen: { persoonlijkContactGezocht: true, gewezenOpSchuldhulp: true, herinneringVerstuurdOp: dagenVoorBasis(70), geenBezwaarHuurder: true },
  });
}

export interface Antwoord { status: number; headers: Record<string, string | string[] | undefined>; tekst: string }

export interface VraagOpties { form?: Record<string, string | string[]>; cookie?: string; headers?: Record<string, string>; ruw?: string }

export async function bouwPortaal(t: T, o: { configAanpassen?: (doc: Record<string, any>) => void; sms?: SmsKanaal; limieten?: Partial<Tempolimieten> } = {}) {
  const pki = await testPki();
  const r = await startRedis(t);
  const sink: Sink = await startSink({ dir: mkdtempSync(path.join(tmpdir(), 'sb-mail-')), key: readFileSync(path.join(pki, 'server.key')), cert: readFileSync(path.join(pki, 'server.crt')) });
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-portaal-'));
  t.teardown(async () => {
    await sink.stop();
    rmSync(sink.dir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });
  const sleutelbestand = path.join(dir, 'sleutels.json');
  writeFileSync(sleutelbestand, Sleutelring.nieuw(), { mode: 0o600 });
  const doc = testConfigDoc(pki, r.url, sleutelbestand);
  Object.assign(doc.smtp as object, { port: sink.port });
  o.configAanpassen?.(doc);
  const config: Config = parseConfig(JSON.stringify(doc), path.join(dir, 'config.json'));

  const klok = { nu: new Date(BASIS) };
  const ontvangenOp = new Date(BASIS.getTime() - 3_600_000);
  const termijn = termijnVan(ontvangenOp);
  const nu = () => klok.nu;
  const logStream = new PassThrough();
  let logs = '';
  logStream.on('data', (d: Buffer) => (logs += d.toString('utf8')));
  // The app as every role builds it (the composition root), with the test's clock.
  const sb = await createSignaalbrug(config, { log: createLogger(logStream, 'info'), klok: nu, env: {}, naam: 'portal-test', sms: o.sms });
  t.teardown(() => sb.sluit());
  const { terugkoppeling, intake, lezen, casussen } = sb.diensten;
  // The real service; `gegeven` records the calls it accepted, so tests can see what the form passed.
  const gegeven: { meldingId: string; invoer: Terugkoppeling; door: { oin: string; kanaal: 'api' | 'portaal' | 'werkplek' } }[] = [];
  const geef = terugkoppeling.geef;
  terugkoppeling.geef = async (meldingId, invoer, door) => {
    const r = await geef(meldingId, invoer, door);
    gegeven.push({ meldingId, invoer, door });
    return r;
  };
  const app = await buildPortal(sb, {
    limieten: o.limieten,
    https: { key: readFileSync(path.join(pki, 'server.key')), cert: readFileSync(path.join(pki, 'server.crt')) },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  t.teardown(() => app.close());
  // A transport of the test's own, for mails a test sends itself.
  const smtp = new SmtpTransport({ host: '127.0.0.1', port: sink.port, servername: 'localhost', ca: [readFileSync(path.join(pki, 'ca.crt'), 'utf8')] });
  t.teardown(() => smtp.close());
  const ca = readFileSync(path.join(pki, 'ca.crt'));

  function vraag(method: string, pad: string, v: VraagOpties = {}): Promise<Antwoord> {
    const form = v.form ? new URLSearchParams(Object.entries(v.form).flatMap(([k, w]) => (Array.isArray(w) ? w : [w]).map((x): [string, string] => [k, x]))).toString() : undefined;
    const body = v.ruw ?? form;
    const headers: Record<string, string> = {
      ...(form !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...(v.cookie ? { cookie: v.cookie } : {}), ...v.headers,
    };
    return new Promise((resolve, reject) => {
      const req = httpsRequest({ host: '127.0.0.1', port, method, path: pad, ca, servername: 'localhost', headers, agent: false }, (res) => {
        const delen: Buffer[] = [];
        res.on('data', (d: Buffer) => delen.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, tekst: Buffer.concat(delen).toString('utf8') }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  return {
    config, pki, port, sb, sink, smtp, klok, termijn, sjablonen: sb.sjablonen, redis: sb.redis, redisServer: r, vraag, logs: () => logs,
    terugkoppeling: Object.assign(terugkoppeling, { gegeven }),
    gebeurtenissen: lezen.gebeurtenissen,
    meta: casussen.meta,
    /** Store the canary melding, received an hour before the test's clock and routed to wijkteam Zuid (beveiligde-link), through the intake. */
    async melding(id?: string) {
      const ref = `${KANARIE.referentie}-${(id ?? randomUUID()).slice(0, 4)}`;
      const echt = klok.nu;
      klok.nu = ontvangenOp;
      try {
        const { nieuw, record } = await intake.ontvang(ELAN_OIN, { ...kanarieMelding(), referentie: ref, adres: { ...kanarieMelding().adres, postcode: KANARIE.postcode } });
        if (!nieuw) throw new Error('melding bestond al');
        return record.id;
      } finally {
        klok.nu = echt;
      }
    },
    /**
     * A link for the melding as a delivery makes it (the token, from the URL in the notification),
     * valid for `dagen` more days (default: the configured term; negative: expired).
     */
    async link(id: string, dagen = config.portal.linkGeldigDagen) {
      const echt = klok.nu;
      klok.nu = new Date(echt.getTime() - (config.portal.linkGeldigDagen - dagen) * 86_400_000);
      try {
        return decodeURIComponent(/\/b\/([^/]+)$/.exec(await sb.diensten.toegang.nieuweLink(id))![1]!);
      } finally {
        klok.nu = echt;
      }
    },
    /** The one-time code from the newest mail in the sink. */
    laatsteMail: () => readFileSync(sink.bestanden().at(-1)!, 'utf8'),
    codeUitMail: () => /toegangscode is: (\d{6})/.exec(platteTekst(readFileSync(sink.bestanden().at(-1)!, 'utf8')))?.[1],
  };
}

export type Portaal = Awaited<ReturnType<typeof bouwPortaal>>;

/** The session cookie (name=value) from a Set-Cookie header. */
export function sessieCookie(a: Antwoord): string | undefined {
  const sc = a.headers['set-cookie'];
  return (Array.isArray(sc) ? sc : sc ? [sc] : []).map((c) => c.split(';')[0]!).find((c) => c.startsWith('__Secure-sb-sessie=') && c.length > 20);
}

/**
 * axe-core (Deque) on the page as it is now, WCAG 2.1 A and AA plus best practices: the violations,
 * each as "rule: first target". Run through the DevTools protocol (page.evaluate), so the portal's
 * CSP, which allows no script at all, stays as it is. Pages are passed as `unknown` and code as
 * strings: this project compiles without the DOM lib.
 */
export async function axeFouten(pagina: { evaluate<R>(script: string): Promise<R> }): Promise<string[]> {
  const bron = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await pagina.evaluate<void>(`${bron};void 0`);
  const fouten = await pagina.evaluate<{ id: string; nodes: { target: string[] }[] }[]>(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }).then((r) => r.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => ({ target: n.target })) })))");
  return fouten.map((f) => `${f.id}: ${f.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
