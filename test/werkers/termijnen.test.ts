// Deadlines with an injected clock: reminder then escalation, feedback in time, exactly-once
// escalation with two workers and across restarts, the scheduler's batches and lease, withdrawal.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import t from 'tap';
import { createLogger } from '../../src/logger.js';
import { start } from '../../src/server.js';
import { MeldingenStore } from '../../src/store/meldingen.js';
import { build, voorbeeldMelding, wachtOp, type Gebouwd } from '../helpers/build.js';
import { amsterdam, BASIS, nlDatum, plusDagen, termijnVan, testKlok } from '../helpers/klok.js';
import { kop, openSmime, platteTekst, verwachteMessageId } from '../helpers/mail.js';
import { termijnPlek, timersVan } from '../helpers/termijnen.js';

const ELAN = 'elan-wonen';
const GEMEENTE = 'wijkteam-haarlem';
// Received at the test clock's base (the real now, or SB_TEST_DATUM): every moment below follows from
// it on the service's own calendar, so the scenario is the same on any day of any year.
const ONTVANGST = BASIS;
const TERMIJN = termijnVan(ONTVANGST);
const VOOR_HERINNERING = TERMIJN.op('07:30');
const NA_HERINNERING = TERMIJN.op('08:30'); // on the last werkdag, after the 08:00 reminder
const LAATSTE_MINUUT = TERMIJN.op('23:59'); // still on time
const NA_TERMIJN = new Date(TERMIJN.verstreken.getTime() + 1000); // 00:00:01 Amsterdam after the deadline day
const klok = () => testKlok(ONTVANGST);

const morgen = plusDagen(TERMIJN.ontvangstDatum, 1);
const hervatting = plusDagen(TERMIJN.uiterlijk, 1);
const terugkoppeling = { contactGelegd: true, inBehandeling: true, incassoHervatten: false, hervattingBetalingOp: hervatting,
  contactpogingen: [morgen], betalingsafspraak: true, wilHulp: true, nietOpgepakt: null };

async function melding(app: Gebouwd, over: Record<string, unknown> = {}) {
  const res = await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldMelding(over));
  if (res.status !== 201) throw new Error(res.tekst);
  return res.body.id as string;
}

const haal = async (app: Gebouwd, id: string) => (await app.vraag(ELAN, 'GET', `/v1/meldingen/${id}`)).body;
const wachtStatus = (app: Gebouwd, id: string, status: string) => wachtOp(async () => ((await haal(app, id)).status === status ? true : undefined));
const tel = (g: any[], soort: string) => g.filter((x) => x.soort === soort).length;
const mailsAan = (app: Gebouwd, adres: string) => app.sink!.bestanden().filter((f) => kop(readFileSync(f, 'utf8'), 'To')?.includes(adres));
const rust = (ms = 1200) => new Promise((r) => setTimeout(r, ms));

t.test('a silent case: reminder on the last werkdag, then exactly one escalation to the troubleshooter', async (t) => {
  const c = klok();
  const app = await build(t, { rollen: ['api', 'worker'], klok: c.klok });
  const id = await melding(app);
  await wachtStatus(app, id, 'verzonden');
  t.equal((await haal(app, id)).terugkoppelingUiterlijk, TERMIJN.uiterlijk);

  c.zet(VOOR_HERINNERING);
  await rust();
  t.equal(tel((await haal(app, id)).gebeurtenissen, 'herinnering-verzonden'), 0, 'no reminder before 08:00 on the last day');
  c.zet(NA_HERINNERING);
  await wachtOp(async () => mailsAan(app, 'wijkteam-noord').length === 2);
  const herinnering = mailsAan(app, 'wijkteam-noord').find((f) => kop(readFileSync(f, 'utf8'), 'Message-ID') === verwachteMessageId(app.config, id, 'herinnering', 'wijkteam'))!;
  t.match(platteTekst(openSmime(herinnering, app.pki, 'wijkteam-noord').inhoud), `loopt af op ${TERMIJN.uiterlijkNl}`);

  c.zet(LAATSTE_MINUUT);
  await rust();
  t.equal((await haal(app, id)).status, 'verzonden', 'not escalated while the deadline day lasts');
  c.zet(NA_TERMIJN);
  await wachtStatus(app, id, 'geescaleerd');
  await wachtOp(async () => mailsAan(app, 'troubleshooter').length === 1);
  const escalatie = platteTekst(openSmime(mailsAan(app, 'troubleshooter')[0]!, app.pki, 'troubleshooter').inhoud);
  t.match(escalatie, 'geen terugkoppeling gegeven binnen de termijn');
  t.match(escalatie, 'Sociaal Wijkteam Noord');
  t.match(escalatie, `einde van ${TERMIJN.uiterlijkNl}`);
  c.zet(amsterdam(plusDagen(TERMIJN.uiterlijk, 3), '12:00'));
  await rust();
  const body = await haal(app, id);
  t.equal(tel(body.gebeurtenissen, 'geescaleerd'), 1);
  t.equal(tel(body.gebeurtenissen, 'herinnering-verzonden'), 1);
  t.equal(mailsAan(app, 'troubleshooter').length, 1, 'one escalation mail');
});

t.test('feedback in time: timers stop, the corporation reads it back; late feedback is accepted and marked late', async (t) => {
  const c = klok();
  const app = await build(t, {
    rollen: ['api', 'worker'], klok: c.klok,
    configAanpassen: (doc) => (doc.organisaties[0].terugkoppeling = { mailbox: 'meldingen@elan-wonen.example', bezorging: 'smime', certificaat: path.join(path.dirname(doc.tls.ca[0]), 'recipients/troubleshooter.crt') }),
  });
  const opTijd = await melding(app);
  const laat = await melding(app);
  await wachtStatus(app, opTijd, 'verzonden');
  c.zet(amsterdam(plusDagen(TERMIJN.uiterlijk, -1), '12:00')); // the day before the deadline, before any reminder
  const res = await app.vraag(GEMEENTE, 'POST', `/v1/meldingen/${opTijd}/terugkoppeling`, terugkoppeling);
  t.equal(res.status, 201, res.tekst);
  t.match(res.body, { status: 'teruggekoppeld', opTijd: true });
  t.equal((await app.vraag(GEMEENTE, 'POST', `/v1/meldingen/${opTijd}/terugkoppeling`, terugkoppeling)).status, 409, 'once');

  c.zet(NA_TERMIJN);
  await wachtStatus(app, laat, 'geescaleerd');
  await rust();
  const b = await haal(app, opTijd);
  t.equal(b.status, 'teruggekoppeld');
  t.equal(tel(b.gebeurtenissen, 'geescaleerd'), 0, 'no escalation after feedback in time');
  t.match(b.terugkoppeling, { ...terugkoppeling, opTijd: true });
  const laatRes = await app.vraag(GEMEENTE, 'POST', `/v1/meldingen/${laat}/terugkoppeling`, { ...terugkoppeling, inBehandeling: false });
  t.match(laatRes.body, { status: 'teruggekoppeld', opTijd: false }, 'late feedback accepted, marked late');

  const feed = await app.vraag(ELAN, 'GET', '/v1/terugkoppelingen?sinds=0');
  t.equal(feed.status, 200);
  t.same(feed.body.terugkoppelingen.map((k: any) => k.melding), [opTijd, laat], 'oldest first');
  t.match(feed.body.terugkoppelingen[1], { status: 'teruggekoppeld', terugkoppeling: { opTijd: false, inBehandeling: false } });
  const verder = await app.vraag(ELAN, 'GET', `/v1/terugkoppelingen?sinds=${feed.body.volgende}`);
  t.same(verder.body, { terugkoppelingen: [], volgende: feed.body.volgende }, 'the cursor moves on');
  t.same((await app.vraag('pre-wonen', 'GET', '/v1/terugkoppelingen')).body.terugkoppelingen, [], 'only its own');
  t.equal((await app.vraag(ELAN, 'GET', '/v1/terugkoppelingen?sinds=drop')).status, 400);

  await wachtOp(async () => mailsAan(app, 'meldingen@elan-wonen.example').length === 2);
  const mail = platteTekst(openSmime(mailsAan(app, 'meldingen@elan-wonen.example')[0]!, app.pki, 'troubleshooter').inhoud);
  t.match(mail, 'Contact gelegd:           ja');
  t.match(mail, `Huur wordt weer betaald vanaf: ${nlDatum(hervatting)}`);
});

t.test('exactly one escalation per case with two workers racing', async (t) => {
  const c = klok();
  const app = await build(t, { rollen: ['api'], sink: true, klok: c.klok });
  const ids = await Promise.all(Array.from({ length: 6 }, () => melding(app)));
  // Both workers start past the deadline: every timer is due at once for both schedulers.
  c.zet(NA_TERMIJN);
  for (let i = 0; i < 2; i++) {
    const w = await start({ config: app.config, rollen: ['worker'], log: createLogger(undefined, 'silent'), klok: c.klok, env: {} });
    t.teardown(() => w.stop());
  }
  for (const id of ids) await wachtStatus(app, id, 'geescaleerd');
  await wachtOp(async () => mailsAan(app, 'troubleshooter').length >= 6);
  await rust();
  t.equal(mailsAan(app, 'troubleshooter').length, 6, 'six escalation mails for six cases');
  for (const id of ids) t.equal(tel((await haal(app, id)).gebeurtenissen, 'geescaleerd'), 1, id);
});

t.test('a worker restart between scheduling and firing, and a Redis restart: still exactly once', async (t) => {
  const c = klok();
  const app = await build(t, { rollen: ['api', 'worker'], klok: c.klok });
  const werker = () => start({ config: app.config, rollen: ['worker'], log: createLogger(undefined, 'silent'), klok: c.klok, env: {} });
  let w = await werker();
  const id = await melding(app);
  await wachtStatus(app, id, 'verzonden');
  await w.stop();
  await app.redis.kill();
  await app.redis.start();
  c.zet(NA_TERMIJN);
  w = await werker();
  t.teardown(() => w.stop());
  await wachtStatus(app, id, 'geescaleerd');
  await wachtOp(async () => mailsAan(app, 'troubleshooter').length >= 1);
  await rust();
  t.equal(tel((await haal(app, id)).gebeurtenissen, 'geescaleerd'), 1);
  t.equal(mailsAan(app, 'troubleshooter').length, 1);
});

t.test('the scheduler fires on time by the service clock, never early', async (t) => {
  // A running service clock (not frozen): it moves with real time from wherever the test puts it.
  let verschil = ONTVANGST.getTime() - Date.now();
  const loopt = () => new Date(Date.now() + verschil);
  const app = await build(t, { rollen: ['api', 'worker'], klok: loopt });
  const id = await melding(app);
  await wachtStatus(app, id, 'verzonden');
  const moment = TERMIJN.verstreken.getTime();
  verschil = moment - 2500 - Date.now(); // 2.5 s before the deadline day ends, on the service clock
  await wachtStatus(app, id, 'geescaleerd');
  const g = (await haal(app, id)).gebeurtenissen.filter((x: any) => x.soort === 'geescaleerd');
  t.equal(g.length, 1, 'escalated once');
  t.ok(Date.parse(g[0].op) >= moment, `not early: escalated at ${g[0].op}, due ${new Date(moment).toISOString()}`);
  const r = new Redis(app.redis.url);
  t.teardown(() => r.disconnect());
  t.equal(await r.exists(`${app.draaiend.sb.namen.bull()}:termijnen:delayed`), 0, 'no BullMQ alarm clocks');
});

t.test('a sweep fires every due timer in batches, a few at a time, and skips what it cannot read', async (t) => {
  const c = klok();
  const app = await build(t, { rollen: ['api'], klok: c.klok });
  const ids = await Promise.all(Array.from({ length: 7 }, () => melding(app)));
  const { termijnen } = app.draaiend.sb.diensten;
  t.equal(await termijnen.sweep({ batch: 3, gelijktijdig: 2 }), 0, 'nothing due yet');
  const r = new Redis(app.redis.url);
  t.teardown(() => r.disconnect());
  await r.zadd(app.draaiend.sb.namen.termijnen(), 1, 'geen-lid-van-ons'); // not a timer: left alone, read past
  c.zet(NA_TERMIJN);
  let verder = 0;
  // Seven reminders and seven escalations are due (14 timers of 7 cases, and the foreign member):
  // batches of 3 cases, two timers at once.
  t.equal(await termijnen.sweep({ batch: 3, gelijktijdig: 2, verder: async () => (verder++, true) }), 14);
  t.ok(verder >= 2, `asked between batches (${verder})`);
  t.equal(await termijnen.sweep({ batch: 3, gelijktijdig: 2, verder: async () => false }), 0, 'all fired');
  for (const id of ids) t.equal((await haal(app, id)).status, 'geescaleerd');
  t.same(await r.zrangebyscore(app.draaiend.sb.namen.termijnen(), '-inf', NA_TERMIJN.getTime()), ['geen-lid-van-ons']);
  t.equal(await termijnen.voerUit(ids[0]!, 'escalatie'), 'niet-meer-open', 'a fired timer is gone');
});

t.test('the scheduler rides out a Redis outage: one alarm, then it fires again', async (t) => {
  const c = klok();
  const app = await build(t, { rollen: ['api', 'worker'], klok: c.klok });
  const id = await melding(app);
  await wachtStatus(app, id, 'verzonden');
  await app.redis.kill();
  await rust(1500); // several rounds fail meanwhile
  await app.redis.start();
  c.zet(NA_TERMIJN);
  await wachtStatus(app, id, 'geescaleerd');
  await wachtOp(async () => /termijnplanner: loopt weer/.test(app.logs()));
  t.equal(app.logs().match(/termijnplanner: ronde mislukt/g)?.length, 1, 'said once per standstill');
});

t.test('the round lease: one holder at a time, renewed and released only by its holder', async (t) => {
  const app = await build(t, { rollen: ['api'] });
  const r = new Redis(app.redis.url);
  t.teardown(() => r.disconnect());
  const store = new MeldingenStore(r, app.draaiend.sb.namen);
  t.ok(await store.termijnslot('a', 10_000, 'neem'));
  t.notOk(await store.termijnslot('b', 10_000, 'neem'), 'taken');
  t.notOk(await store.termijnslot('b', 10_000, 'verleng'), 'not renewed by another');
  t.notOk(await store.termijnslot('b', 10_000, 'geef-vrij'), 'not released by another');
  t.ok(await store.termijnslot('a', 10_000, 'verleng'));
  t.ok(await store.termijnslot('a', 10_000, 'geef-vrij'));
  t.ok(await store.termijnslot('b', 50, 'neem'), 'free again');
  await rust(200);
  t.ok(await store.termijnslot('a', 10_000, 'neem'), 'a lease that ran out is free');
  t.notOk(await store.termijnslot('b', 10_000, 'verleng'), 'and its old holder knows');
});

t.test('who may give feedback, and no free text', async (t) => {
  const app = await build(t, { rollen: ['api'] });
  const id = await melding(app);
  const corp = await app.vraag(ELAN, 'POST', `/v1/meldingen/${id}/terugkoppeling`, terugkoppeling);
  t.equal(corp.status, 403, 'a corporation certificate cannot give feedback');
  const vrij = await app.vraag(GEMEENTE, 'POST', `/v1/meldingen/${id}/terugkoppeling`, { ...terugkoppeling, toelichting: 'gesprek over schulden en gezondheid' });
  t.equal(vrij.status, 400);
  t.match(vrij.body.invalidParams, [{ name: 'toelichting', reason: /vrije tekst/ }]);
  const fout = await app.vraag(GEMEENTE, 'POST', `/v1/meldingen/${id}/terugkoppeling`, { contactGelegd: 'ja', nietOpgepakt: 'geemigreerd' });
  t.equal(fout.status, 400);
  t.same(fout.body.invalidParams.map((p: any) => p.name).sort(), ['contactGelegd', 'inBehandeling', 'incassoHervatten', 'nietOpgepakt']);
  t.equal((await app.vraag(GEMEENTE, 'POST', '/v1/meldingen/5f0c2b1e-0000-4000-8000-000000000000/terugkoppeling', terugkoppeling)).status, 404);
});

t.test('feedback from another gemeente: the melding does not exist for it', async (t) => {
  const { issueCertificate, rsaKeyFromPem, generateRsaKey } = await import('../../src/pki/forge-cert.js');
  const forge = (await import('node-forge')).default;
  const app = await build(t, { rollen: ['api'], configAanpassen: (d) => d.organisaties.push({ oin: '00000099000000000011', naam: 'Gemeente Bloemendaal', rol: 'gemeente' }) });
  const ca = forge.pki.certificateFromPem(readFileSync(path.join(app.pki, 'ca.crt'), 'utf8'));
  const caKey = rsaKeyFromPem(readFileSync(path.join(app.pki, 'ca.key'), 'utf8')).forgePrivateKey;
  const key = generateRsaKey();
  const { pem } = issueCertificate({
    subject: { CN: 'bloemendaal', O: 'Gemeente Bloemendaal', serialNumber: '00000099000000000011' }, publicKey: key.forgePublicKey,
    issuer: { cert: ca, key: caKey }, notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000), kind: 'client',
  });
  const id = await melding(app);
  const { httpsVraag } = await import('../helpers/build.js');
  const res = await httpsVraag({ host: '127.0.0.1', port: app.apiPort, method: 'POST', path: `/v1/meldingen/${id}/terugkoppeling`, servername: 'localhost',
    ca: readFileSync(path.join(app.pki, 'ca.crt')), cert: pem, key: key.privateKeyPem, headers: { 'content-type': 'application/json' } }, JSON.stringify(terugkoppeling));
  t.equal(res.status, 404);
  t.equal((await haal(app, id)).status, 'ontvangen');
});

t.test('withdrawal stops the timers and tells the wijkteam', async (t) => {
  const c = klok();
  const app = await build(t, { rollen: ['api', 'worker'], klok: c.klok });
  const id = await melding(app);
  await wachtStatus(app, id, 'verzonden');
  t.equal((await app.vraag(GEMEENTE, 'POST', `/v1/meldingen/${id}/intrekking`, {})).status, 403);
  t.equal((await app.vraag('pre-wonen', 'POST', `/v1/meldingen/${id}/intrekking`, {})).status, 404);
  t.equal((await app.vraag(ELAN, 'POST', `/v1/meldingen/${id}/intrekking`, { reden: 'vrije tekst mag niet' })).status, 400);
  const res = await app.vraag(ELAN, 'POST', `/v1/meldingen/${id}/intrekking`, { reden: 'achterstand-betaald' });
  t.equal(res.status, 201);
  t.match(res.body, { id, status: 'ingetrokken' });
  t.equal((await app.vraag(ELAN, 'POST', `/v1/meldingen/${id}/intrekking`)).status, 200, 'idempotent');
  const r = new Redis(app.redis.url);
  t.teardown(() => r.disconnect());
  t.same(Object.keys(await timersVan(r, app.draaiend.sb.namen, id)), [`${id}|bewaar`], 'timers removed, only the retention moment stays');
  await wachtOp(async () => mailsAan(app, 'wijkteam-noord').length === 2);
  const intrekking = mailsAan(app, 'wijkteam-noord').find((f) => kop(readFileSync(f, 'utf8'), 'Message-ID') === verwachteMessageId(app.config, id, 'intrekking', 'wijkteam'))!;
  t.match(platteTekst(openSmime(intrekking, app.pki, 'wijkteam-noord').inhoud), 'ingetrokken');
  c.zet(NA_TERMIJN);
  await rust();
  const b = await haal(app, id);
  t.equal(b.status, 'ingetrokken');
  t.equal(tel(b.gebeurtenissen, 'geescaleerd'), 0);
  t.equal((await app.vraag(GEMEENTE, 'POST', `/v1/meldingen/${id}/terugkoppeling`, terugkoppeling)).status, 409);
});

t.test('a further term of the convenant (art. 6.2, two weeks) is recorded when it passes without feedback', async (t) => {
  const c = klok();
  const app = await build(t, {
    rollen: ['api', 'worker'], klok: c.klok,
    configAanpassen: (d) => (d.convenant.extraTermijnen = [{ naam: 'betalingsvoorstel', artikel: 'art. 6.2', kalenderdagen: 14 }]),
  });
  const stil = await melding(app);
  const beantwoord = await melding(app);
  await wachtStatus(app, stil, 'verzonden');
  await wachtStatus(app, beantwoord, 'verzonden');
  t.equal((await app.vraag(GEMEENTE, 'POST', `/v1/meldingen/${beantwoord}/terugkoppeling`, terugkoppeling)).status, 201);
  const dag14 = plusDagen(TERMIJN.ontvangstDatum, 14);
  c.zet(amsterdam(dag14, '12:00')); // day 14 after receipt still runs
  await wachtStatus(app, stil, 'geescaleerd');
  await rust();
  t.equal(tel((await haal(app, stil)).gebeurtenissen, 'termijn-verstreken'), 0, 'not before the end of day 14');
  c.zet(amsterdam(plusDagen(dag14, 1), '00:00').getTime() + 1000);
  await wachtOp(async () => tel((await haal(app, stil)).gebeurtenissen, 'termijn-verstreken') === 1);
  t.match((await haal(app, stil)).gebeurtenissen.find((g: any) => g.soort === 'termijn-verstreken'), { termijn: 'betalingsvoorstel', artikel: 'art. 6.2' });
  await rust();
  t.equal(tel((await haal(app, beantwoord)).gebeurtenissen, 'termijn-verstreken'), 0, 'feedback stopped the further term too');
});

t.test('a case is once in its bucket of the timers, at its earliest timer; the forms of before (timers as members, the case in the shared set) still fire once and stop', async (t) => {
  const c = klok();
  const app = await build(t, { rollen: ['api'], klok: c.klok });
  const { termijnen } = app.draaiend.sb.diensten;
  const { namen } = app.draaiend.sb;
  const r = new Redis(app.redis.url);
  t.teardown(() => r.disconnect());
  const [nieuw, oud, ingetrokken, gedeeld] = await Promise.all([melding(app), melding(app), melding(app), melding(app)]);
  const timers = await timersVan(r, namen, nieuw);
  t.same(Object.keys(timers).sort(), [`${nieuw}|bewaar`, `${nieuw}|escalatie`, `${nieuw}|herinnering`], 'a reminder, an escalation and the retention moment, as fields of the case');
  t.equal(await termijnPlek(r, namen, nieuw), Math.min(...Object.values(timers)), 'scored by the earliest');
  t.equal(await r.object('ENCODING', namen.termijnEmmer(nieuw)), 'listpack', 'in a compact bucket');
  t.equal(Number(await r.zscore(namen.termijnEmmers(), namen.termijnEmmer(nieuw))), Math.min(...Object.values(timers)), 'the bucket at its earliest in the index');
  // The earlier form: each timer a member `<id>|<actie>` of the sorted set, nothing on the case.
  for (const id of [oud, ingetrokken]) {
    const eigen = Object.fromEntries(Object.entries(await timersVan(r, namen, id)).filter(([lid]) => !lid.endsWith('|bewaar')));
    await r.hdel(namen.melding(id), ...Object.keys(eigen).map((lid) => `t:${lid.split('|')[1]}`));
    await r.zrem(namen.termijnEmmer(id), id);
    await r.zadd(namen.termijnen(), ...Object.entries(eigen).flatMap(([lid, ms]) => [ms, lid]));
  }
  // The form after that: the timers fields of the case, the case itself in the shared sorted set.
  await r.zrem(namen.termijnEmmer(gedeeld), gedeeld);
  await r.zadd(namen.termijnen(), Math.min(...Object.values(await timersVan(r, namen, gedeeld))), gedeeld);
  t.equal((await app.vraag(ELAN, 'POST', `/v1/meldingen/${ingetrokken}/intrekking`, { reden: 'achterstand-betaald' })).status, 201);
  t.same((await r.zrange(namen.termijnen(), '0', '-1')).filter((l) => l.startsWith(`${ingetrokken}|`)), [], 'withdrawal stops timers of the earlier form too');
  c.zet(NA_HERINNERING);
  t.equal(await termijnen.sweep(), 3, 'the three reminders fire');
  t.equal(await termijnPlek(r, namen, nieuw), timers[`${nieuw}|escalatie`], 'the case moves to its escalation');
  t.equal(await r.zscore(namen.termijnen(), gedeeld), null, 'the case of the shared set moves into its bucket');
  t.equal(await termijnPlek(r, namen, gedeeld), (await timersVan(r, namen, gedeeld))[`${gedeeld}|escalatie`]);
  t.same(Object.keys(await timersVan(r, namen, nieuw)).sort(), [`${nieuw}|bewaar`, `${nieuw}|escalatie`]);
  t.equal(await termijnen.sweep(), 0, 'nothing twice');
  c.zet(NA_TERMIJN);
  t.equal(await termijnen.sweep(), 3, 'the three escalations fire');
  for (const id of [nieuw, oud, gedeeld]) {
    t.equal((await haal(app, id)).status, 'geescaleerd');
    t.equal(tel((await haal(app, id)).gebeurtenissen, 'geescaleerd'), 1, 'escalated once');
  }
  t.equal(await termijnen.sweep(), 0, 'nothing twice');
  t.same((await r.zrange(namen.termijnen(), '0', '-1')).filter((l) => l.includes('|')), [], 'no timer of the earlier form left');
});

t.test('the scheduler reads only a case\'s timer fields, also from a case hash too large for the compact encoding', async (t) => {
  const c = klok();
  const app = await build(t, { rollen: ['api'], klok: c.klok });
  const { namen } = app.draaiend.sb;
  const r = new Redis(app.redis.url);
  t.teardown(() => r.disconnect());
  const [klein, groot] = [await melding(app), await melding(app)];
  // Thousands of other fields: a hash table, which HSCAN reads in pages.
  await r.hset(namen.melding(groot), Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`x:${i}`, 'opvulling'])));
  t.equal(await r.object('ENCODING', namen.melding(groot)), 'hashtable');
  await r.config('RESETSTAT');
  const store = new MeldingenStore(r, namen);
  const verstreken = await store.verstrekenTermijnen(NA_TERMIJN.getTime());
  const stats = await r.info('commandstats');
  t.ok(Number(/cmdstat_hscan:calls=(\d+)/.exec(stats)?.[1]) > 2, 'the large hash took more than one page');
  t.notMatch(stats, /cmdstat_hgetall/, 'no case read whole');
  for (const id of [klein, groot]) {
    t.same(verstreken.find((g) => g.lid === id)?.timers.map(([lid]) => lid), [`${id}|herinnering`, `${id}|escalatie`], 'its due timers, oldest first, each once');
  }
});
