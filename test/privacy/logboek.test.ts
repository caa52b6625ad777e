// Logboek dataverwerkingen over a melding's whole life, through the real service with an injected
// clock: received (in the caller's trace), delivered, escalated, feedback (malformed traceparent: a
// new trace, still 201), withdrawn, deleted after retention; read in the portal; the CLI export.
// The worker archives the logboek in blocks of two as the clock moves, so all of it is read from
// archive blocks and stream together.
import t from 'tap';
import { Sleutelring } from '../../src/store/sleutelring.js';
import { build, voorbeeldMelding, wachtOp, type Gebouwd } from '../helpers/build.js';
import { cli } from '../helpers/cli.js';
import { amsterdam, BASIS, plusDagen, termijnVan, testKlok } from '../helpers/klok.js';
import { leesInPortaal, logboekVan, redisDump } from '../helpers/privacy.js';

const ELAN_OIN = '00000099000000000001';
const GEMEENTE_OIN = '00000099000000000010';
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const traceparent = (trace: string, span: string) => ({ traceparent: `00-${trace}-${span}-01` });
const terugkoppeling = { contactGelegd: true, inBehandeling: true, incassoHervatten: false, wilHulp: true, nietOpgepakt: null };

const DAG = 86_400_000;
const TERMIJN = termijnVan(BASIS);
const NA_TERMIJN = new Date(TERMIJN.verstreken.getTime() + 1000);

const status = async (app: Gebouwd, id: string) => (await app.vraag('elan-wonen', 'GET', `/v1/meldingen/${id}`)).body.status;
const namen = async (app: Gebouwd, id: string) => (await logboekVan(app, id)).map((s) => s.name);

t.test('every action on a melding is one span in the logboek, with the pseudonym and the acting OIN', async (t) => {
  const c = testKlok(BASIS);
  const app = await build(t, { rollen: ['api', 'worker'], klok: c.klok, configAanpassen: (d) => {
    d.privacy = { opruimSeconden: 0.2 };
    d.logboek = { archiveerElkeSeconden: 0.2, blokRecords: 2 };
  } });
  const pseudoniem = Sleutelring.laad(app.config.versleuteling.sleutelbestand, {}).pseudoniem('betrokkene', ELAN_OIN, '778812');

  const post = await app.vraag('elan-wonen', 'POST', '/v1/meldingen', voorbeeldMelding(), { headers: traceparent(TRACE, '00f067aa0ba902b7') });
  t.equal(post.status, 201);
  const id = post.body.id as string;
  await wachtOp(async () => (await status(app, id)) === 'verzonden');
  c.zet(NA_TERMIJN); // the deadline day has ended
  await wachtOp(async () => (await namen(app, id)).filter((n) => n === 'melding-bezorgd').length >= 2 && (await namen(app, id)).includes('melding-geescaleerd'));
  const laat = await app.vraag('wijkteam-haarlem', 'POST', `/v1/meldingen/${id}/terugkoppeling`, terugkoppeling, { headers: { traceparent: 'niet-goed' } });
  t.equal(laat.status, 201, 'a malformed traceparent never fails a request');
  c.zet(amsterdam(plusDagen(TERMIJN.uiterlijk, 2), '10:00'));
  const intrekking = await app.vraag('elan-wonen', 'POST', `/v1/meldingen/${id}/intrekking`, { reden: 'achterstand-betaald' },
    { headers: traceparent('a'.repeat(32), 'b'.repeat(16)) });
  t.equal(intrekking.status, 201);
  await wachtOp(async () => (await logboekVan(app, id)).some((s) => s.attributes['dpl.signaalbrug.bericht'] === 'intrekking'));
  // The case ended with the feedback (just after the deadline day); the withdrawal's later term does not extend it.
  const verwijderen = NA_TERMIJN.getTime() + 365 * DAG;
  c.zet(verwijderen - 1000);
  await new Promise((r) => setTimeout(r, 800));
  t.notOk((await namen(app, id)).includes('gegevens-verwijderd'), 'not a second before the retention term');
  c.zet(verwijderen + 1000);
  await wachtOp(async () => (await namen(app, id)).includes('gegevens-verwijderd'));

  const spans = await logboekVan(app, id);
  const eerste = (naam: string) => spans.find((s) => s.name === naam)!;
  // The status polls above read the melding through the API: each is a reading of its own (kanaal api).
  const leven = spans.filter((s) => !(s.name === 'melding-gelezen' && s.attributes['dpl.signaalbrug.kanaal'] === 'api'));
  t.match(leven.map((s) => s.name), ['melding-ontvangen', 'melding-bezorgd'], 'received, then delivered');
  for (const naam of ['melding-geescaleerd', 'terugkoppeling-ontvangen', 'melding-ingetrokken', 'gegevens-verwijderd'])
    t.equal(spans.filter((s) => s.name === naam).length, 1, `one ${naam}`);
  for (const s of spans) {
    t.match(s, { traceId: /^[0-9a-f]{32}$/, spanId: /^[0-9a-f]{16}$/, status: { code: 'STATUS_CODE_OK' }, startTime: /Z$/, endTime: /Z$/ }, s.name);
    t.equal(s.attributes['dpl.core.data_subject_id'], pseudoniem, `${s.name}: the keyed pseudonym`);
    t.equal(s.attributes['dpl.core.processing_activity_id'], `urn:signaalbrug:verwerkingsregister#${s.name === 'gegevens-verwijderd' ? 'bewaartermijn' : 'vroegsignalering'}`);
  }
  const ontvangen = eerste('melding-ontvangen');
  t.match(ontvangen, { traceId: TRACE, parentSpanId: '00f067aa0ba902b7', kind: 'SPAN_KIND_SERVER', startTime: BASIS.toISOString() });
  t.equal(ontvangen.attributes['dpl.signaalbrug.organisatie_oin'], ELAN_OIN, 'the corporation acted');
  t.match(eerste('melding-bezorgd'), { traceId: TRACE, parentSpanId: ontvangen.spanId }, 'delivery continues the intake trace');
  t.match(eerste('melding-bezorgd').attributes, { 'dpl.signaalbrug.ontvanger': 'wijkteam', 'dpl.signaalbrug.bezorging': 'smime' });
  t.ok(spans.some((s) => s.name === 'melding-bezorgd' && s.attributes['dpl.signaalbrug.bericht'] === 'escalatie'), 'escalation mail delivered');
  const tk = eerste('terugkoppeling-ontvangen');
  t.not(tk.traceId, TRACE, 'malformed traceparent: a new trace');
  t.notOk(tk.parentSpanId);
  t.equal(tk.attributes['dpl.signaalbrug.organisatie_oin'], GEMEENTE_OIN, 'the gemeente acted');
  t.match(eerste('melding-ingetrokken'), { traceId: 'a'.repeat(32), parentSpanId: 'b'.repeat(16) });
  t.match(eerste('gegevens-verwijderd').attributes, { 'dpl.signaalbrug.reden': 'bewaartermijn', 'dpl.signaalbrug.organisatie_oin': ELAN_OIN });
  t.equal(eerste('gegevens-verwijderd').startTime, new Date(verwijderen + 1000).toISOString());
  const sb = app.draaiend.sb;
  await wachtOp(async () => (await sb.redis.zcard(sb.namen.logboekArchief())) > 0);
  const logboekregels = (await redisDump(app.redis.url)).split('\n').filter((r) => r.startsWith(`${sb.namen.logboek()} `) || r.startsWith(sb.namen.logboekBlok('')));
  t.ok(logboekregels.length > 1, 'the stream and archive blocks');
  t.notOk(logboekregels.some((r) => r.includes('778812')), 'never the plain relatienummer, in the stream or the archive');

  const env = { SIGNAALBRUG_CONFIG: app.configBestand };
  const alles = await cli(['logboek', '--melding', id], { env });
  t.equal(alles.code, 0, alles.stderr);
  t.same(alles.stdout.trim().split('\n').map((r) => JSON.parse(r)), spans, 'the CLI prints the same spans as JSON lines');
  // --sinds as a date: from 00:00 Amsterdam on the deadline day; --tot as an instant.
  const van = TERMIJN.laatsteDag.toISOString();
  const tot = amsterdam(plusDagen(TERMIJN.uiterlijk, 3), '00:00').toISOString();
  const bezorgd = await cli(['logboek', '--activiteit', 'melding-bezorgd', '--sinds', TERMIJN.uiterlijk, '--tot', tot], { env });
  const binnen = bezorgd.stdout.trim().split('\n').map((r) => JSON.parse(r));
  t.ok(binnen.length >= 2 && binnen.every((s: any) => s.name === 'melding-bezorgd' && s.startTime >= van && s.startTime <= tot));
  t.equal(binnen.length, spans.filter((s) => s.name === 'melding-bezorgd' && s.startTime >= van && s.startTime <= tot).length);
  const persoon = await cli(['logboek', '--corporatie', ELAN_OIN, '--relatienummer', '778812'], { env });
  t.equal(persoon.stdout.trim().split('\n').length, spans.length, 'by data subject');
  for (const fout of [['--sinds', 'gisteren'], ['--sinds', '2026-12-01', '--tot', '2026-11-01'], ['--corporatie', ELAN_OIN], ['--onbekend']]) {
    const r = await cli(['logboek', ...fout], { env });
    t.equal(r.code, 2, fout.join(' '));
    t.match(r.stderr, /^signaalbrug: /);
  }
});

t.test('reading in the portal: the first opening with its event, every later reading and download too', async (t) => {
  const app = await build(t, { rollen: ['api', 'portal', 'worker'] });
  const post = await app.vraag('elan-wonen', 'POST', '/v1/meldingen', voorbeeldMelding({ adres: { ...voorbeeldMelding().adres, postcode: '2035XK' } }));
  const id = post.body.id as string;
  const { token, cookie, bericht } = await leesInPortaal(app, 0);
  t.equal(bericht.status, 200);
  const { httpsVraag } = await import('../helpers/build.js');
  const { readFileSync } = await import('node:fs');
  const ca = readFileSync(`${app.pki}/ca.crt`);
  for (const pad of [`/b/${token}/bericht`, `/b/${token}/bericht.eml`])
    t.equal((await httpsVraag({ host: '127.0.0.1', port: app.portalPort, path: pad, ca, servername: 'localhost', headers: { cookie } })).status, 200, pad);
  const gelezen = (await logboekVan(app, id)).filter((s) => s.name === 'melding-gelezen');
  t.equal(gelezen.length, 3, 'opening, opening again, download');
  t.ok(gelezen.every((s) => s.attributes['dpl.signaalbrug.organisatie_oin'] === GEMEENTE_OIN && s.attributes['dpl.signaalbrug.kanaal'] === 'portaal'));
  t.equal(gelezen[2]!.attributes['dpl.signaalbrug.vorm'], 'eml');
  const g = (await app.vraag('elan-wonen', 'GET', `/v1/meldingen/${id}`)).body.gebeurtenissen.filter((x: any) => x.soort === 'gelezen');
  t.equal(g.length, 1, 'one gelezen event: the state change happens once');
});
