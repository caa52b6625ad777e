// Withdrawal against delivery, both orders for real (API, worker, BullMQ, SMTP sink): a wijkteam never
// gets a withdrawal of a melding it never received, never a melding after its withdrawal without
// that withdrawal following, and the withdrawal never before the melding it withdraws.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import t, { type Test } from 'tap';
import { parse, stringify } from 'yaml';
import { startSink, type Sink } from '../../dev/smtp-sink.js';
import { createLogger } from '../../src/logger.js';
import { start } from '../../src/server.js';
import { BEZORG_QUEUE } from '../../src/store/wachtrijen.js';
import { cliProces, stopProces } from '../helpers/cli.js';
import { vrijePoort } from '../helpers/redis.js';
import { build, voorbeeldMelding, wachtOp, type Gebouwd } from '../helpers/build.js';
import { kop, openSmime, platteTekst, verwachteMessageId } from '../helpers/mail.js';

const ELAN = 'elan-wonen';

async function meld(app: Gebouwd): Promise<string> {
  const res = await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldMelding());
  if (res.status !== 201) throw new Error(res.tekst);
  return res.body.id as string;
}

async function trekIn(t: Test, app: Gebouwd, id: string): Promise<void> {
  const res = await app.vraag(ELAN, 'POST', `/v1/meldingen/${id}/intrekking`, { reden: 'achterstand-betaald' });
  t.equal(res.status, 201, 'withdrawn');
}

/** The delivery queue as the worker sees it, to wait for a job's outcome. */
function bezorgQueue(t: Test, app: Gebouwd): Queue {
  const verbinding = new Redis(app.redis.url, { maxRetriesPerRequest: null });
  const q = new Queue(BEZORG_QUEUE, { connection: verbinding, prefix: app.draaiend.sb.namen.bull() });
  t.teardown(async () => {
    await q.close();
    verbinding.disconnect();
  });
  return q;
}

/** The job once completed (state first: a job read while active has no return value yet). */
const afgerond = async (q: Queue, id: string) => ((await q.getJobState(id)) === 'completed' ? Job.fromId(q, id) : undefined);

/** A sink of our own: `houdVast` holds back the 250 of the first message until the test releases it. */
async function eigenSink(t: Test, app: Gebouwd, o: { houdVast?: boolean; poort?: number } = {}) {
  let inVlucht!: () => void;
  let vrijgeven!: () => void;
  const bezig = new Promise<void>((r) => (inVlucht = r));
  const los = new Promise<void>((r) => (vrijgeven = r));
  const opgeslagenOp = new Map<string, number>();
  let eerste = true;
  const sink: Sink = await startSink({
    dir: t.testdir(), port: o.poort, key: readFileSync(path.join(app.pki, 'server.key')), cert: readFileSync(path.join(app.pki, 'server.crt')),
    opgeslagen: (bestand) => opgeslagenOp.set(bestand, Date.now()),
    voorAntwoord: async () => {
      if (!o.houdVast || !eerste) return;
      eerste = false;
      inVlucht();
      await los;
    },
  });
  t.teardown(async () => {
    vrijgeven();
    await sink.stop();
  });
  return { sink, bezig, opgeslagenOp, vrijgeven: () => { const op = Date.now(); vrijgeven(); return op; } };
}

const messageIdVan = (f: string) => kop(readFileSync(f, 'utf8'), 'Message-ID');

t.test('withdrawn before the melding left: the wijkteam gets neither the melding nor a withdrawal', async (t) => {
  const app = await build(t, { rollen: ['api'], sink: true });
  const id = await meld(app);
  await trekIn(t, app, id);
  // Only now a worker: it finds both the melding and the withdrawal in the outbox.
  const werker = await start({ config: app.config, rollen: ['worker'], log: createLogger(undefined, 'silent'), env: {} });
  t.teardown(() => werker.stop());
  const q = bezorgQueue(t, app);
  const melding = await wachtOp(() => afgerond(q, `${id}.melding-aan-wijkteam.wijkteam`));
  const intrekking = await wachtOp(() => afgerond(q, `${id}.intrekking.wijkteam`));
  t.same(melding.returnvalue, { overgeslagen: 'ingetrokken' });
  t.same(intrekking.returnvalue, { overgeslagen: 'melding nooit bezorgd' });
  t.same(app.sink!.bestanden(), [], 'no mail at all');
  const b = (await app.vraag(ELAN, 'GET', `/v1/meldingen/${id}`)).body;
  t.equal(b.status, 'ingetrokken');
  t.notOk(b.gebeurtenissen.some((g: any) => /verzonden/.test(g.soort)), 'nothing recorded as sent');
});

t.test('SMTP down, the melding not accepted, then withdrawn: nothing reaches the wijkteam when SMTP is back', async (t) => {
  const poort = await vrijePoort();
  const app = await build(t, {
    rollen: ['api', 'worker'], sink: false,
    configAanpassen: (doc) => Object.assign(doc, { smtp: { ...doc.smtp, port: poort }, bezorging: { ...doc.bezorging, pogingen: 30, eersteWachttijdSeconden: 0.2 } }),
  });
  const id = await meld(app);
  // The server refused the connection: certainly no copy there.
  await wachtOp(async () => (await app.vraag(ELAN, 'GET', `/v1/meldingen/${id}`)).body.gebeurtenissen.some((g: any) => g.soort === 'bezorgpoging-mislukt'));
  await trekIn(t, app, id);
  const q = bezorgQueue(t, app);
  const intrekking = await wachtOp(() => afgerond(q, `${id}.intrekking.wijkteam`));
  t.same(intrekking.returnvalue, { overgeslagen: 'melding nooit bezorgd' });
  const { sink } = await eigenSink(t, app, { poort });
  const melding = await wachtOp(() => afgerond(q, `${id}.melding-aan-wijkteam.wijkteam`));
  t.same(melding.returnvalue, { overgeslagen: 'ingetrokken' }, 'the retry finds it withdrawn');
  t.same(sink.bestanden(), [], 'no mail at all');
});

t.test('withdrawn while the melding is being sent: the melding arrives, then the withdrawal', async (t) => {
  const app = await build(t, { rollen: ['api'], sink: false });
  const { sink, bezig, opgeslagenOp, vrijgeven } = await eigenSink(t, app, { houdVast: true });
  const config = { ...app.config, smtp: { ...app.config.smtp, port: sink.port } };
  const werker = await start({ config, rollen: ['worker'], log: createLogger(undefined, 'silent'), env: {} });
  t.teardown(() => werker.stop());
  const q = bezorgQueue(t, app);
  const id = await meld(app);
  await bezig; // the server has the melding; its 250 is held back: the worker has passed every check
  await trekIn(t, app, id);
  // The withdrawal job has run once: it waits for the melding's outcome (or, wrongly, went out).
  await wachtOp(async () => sink.bestanden().length > 1 || (await (await Job.fromId(q, `${id}.intrekking.wijkteam`))?.getState()) === 'delayed');
  t.equal(sink.bestanden().length, 1, 'no withdrawal while the melding is not yet accepted');
  const vrijgegevenOp = vrijgeven();
  await wachtOp(async () => sink.bestanden().length === 2);
  const [eerste, tweede] = [...opgeslagenOp.entries()].sort((a, b) => a[1] - b[1]);
  t.equal(messageIdVan(path.join(sink.dir, eerste![0])), verwachteMessageId(app.config, id, 'melding-aan-wijkteam', 'wijkteam'), 'first the melding');
  t.equal(messageIdVan(path.join(sink.dir, tweede![0])), verwachteMessageId(app.config, id, 'intrekking', 'wijkteam'), 'then its withdrawal');
  t.ok(tweede![1] >= vrijgegevenOp, 'the withdrawal went out after the melding was accepted');
  t.match(platteTekst(openSmime(path.join(sink.dir, tweede![0]), app.pki, 'wijkteam-noord').inhoud), 'ingetrokken');
  const b = await wachtOp(async () => {
    const body = (await app.vraag(ELAN, 'GET', `/v1/meldingen/${id}`)).body;
    return body.gebeurtenissen.some((g: any) => g.bericht === 'intrekking' && g.soort === 'bericht-verzonden') ? body : undefined;
  });
  t.equal(b.status, 'ingetrokken', 'the late acceptance of the melding does not move the status back');
  t.ok(b.gebeurtenissen.some((g: any) => g.soort === 'verzonden' && g.bericht === 'melding-aan-wijkteam'), 'the melding is recorded as sent');
});

t.test('a worker dies while the melding is at the server, then it is withdrawn: the withdrawal still follows', async (t) => {
  const app = await build(t, { rollen: ['api'], sink: false });
  const { sink, bezig, vrijgeven } = await eigenSink(t, app, { houdVast: true });
  const doc = parse(readFileSync(app.configBestand, 'utf8'));
  doc.smtp.port = sink.port;
  writeFileSync(app.configBestand, stringify(doc));
  const werker = () => {
    const p = cliProces(['serve', '--roles', 'worker'], { env: { SIGNAALBRUG_CONFIG: app.configBestand, LOG_LEVEL: 'silent' } });
    t.teardown(() => stopProces(p, 'SIGKILL'));
    return p;
  };
  const w1 = werker();
  const id = await meld(app);
  await bezig; // stored by the server, its answer never reaches the worker
  await stopProces(w1, 'SIGKILL');
  vrijgeven();
  await trekIn(t, app, id);
  werker();
  // Whether the server kept that copy is unknown to the service: the wijkteam may have it, so it hears.
  await wachtOp(async () => sink.bestanden().length === 2);
  const ids = sink.bestanden().map(messageIdVan).sort();
  t.same(ids, [verwachteMessageId(app.config, id, 'melding-aan-wijkteam', 'wijkteam'), verwachteMessageId(app.config, id, 'intrekking', 'wijkteam')].sort(),
    'the melding (once) and its withdrawal');
  const q = bezorgQueue(t, app);
  const melding = await wachtOp(() => afgerond(q, `${id}.melding-aan-wijkteam.wijkteam`));
  t.same(melding.returnvalue, { overgeslagen: 'ingetrokken' }, 'the melding is not sent again after the withdrawal');
  t.equal(sink.duplicaten(), 0);
});

t.test('a wijkteam on the beveiligde link hears of the withdrawal too: the reason, no feedback needed, no link', async (t) => {
  const app = await build(t, { rollen: ['api', 'portal', 'worker'] });
  const res = await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldMelding({ adres: { ...voorbeeldMelding().adres, postcode: '2031AB' } }));
  t.equal(res.status, 201);
  const id: string = res.body.id;
  const mailsAanZuid = () => app.sink!.bestanden().filter((f) => kop(readFileSync(f, 'utf8'), 'To')?.includes('wijkteam-zuid'));
  await wachtOp(async () => mailsAanZuid().length === 1);
  await trekIn(t, app, id);
  await wachtOp(async () => mailsAanZuid().length === 2);
  const ruw = readFileSync(mailsAanZuid()[1]!, 'utf8');
  t.match(kop(ruw, 'Message-ID'), verwachteMessageId(app.config, id, 'intrekking', 'wijkteam'));
  const tekst = platteTekst(ruw);
  t.match(tekst, /ingetrokken: de achterstand is betaald/, 'with the reason');
  t.match(tekst, 'Er is geen terugkoppeling meer nodig');
  t.match(tekst, 'verwijder die dan', 'and to delete what was kept');
  t.notMatch(tekst, /https:\/\//, 'without a link');
  t.notMatch(tekst, /Dijk|Houtstraat|ELAN-2026/, 'and without personal data or the referentie');
});
