// SLA stages and the troubleshooter (convenant art. 3.7, 8.2) with an injected clock: an earlier
// warning and the last werkdag's reminder, each once; the escalation carries the troubleshooter's
// take-up link; not taken up within `opnemenWerkdagen` it goes once more, to the second mailbox; take-up
// and its outcome happen once, also when two people (or two workers) act at the same moment.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import t from 'tap';
import { isWerkdag } from '../../src/domain/werkdagen.js';
import { createLogger } from '../../src/logger.js';
import { start } from '../../src/server.js';
import { build, voorbeeldMelding, wachtOp, type Gebouwd } from '../helpers/build.js';
import { amsterdam, BASIS, plusDagen, termijnVan, testKlok } from '../helpers/klok.js';
import { kop, openSmime, platteTekst } from '../helpers/mail.js';

const ELAN = 'elan-wonen';
const GEMEENTE_OIN = '00000099000000000010';
const TERMIJN = termijnVan(BASIS);
const NA_TERMIJN = new Date(TERMIJN.verstreken.getTime() + 1000);

/** The werkdag `n` werkdagen before or after `datum`, walked day by day on the legal calendar. */
function werkdagVan(datum: string, n: number): string {
  let d = datum;
  for (let i = 0; i < Math.abs(n); i++) do d = plusDagen(d, Math.sign(n)); while (!isWerkdag(d));
  return d;
}

const STAGES = {
  convenant: { waarschuwingen: [{ naam: 'nog-twee-werkdagen', werkdagenVoor: 2, uur: 9 }], opnemenWerkdagen: 2 },
};
function metStages(doc: Record<string, any>) {
  doc.convenant = { ...doc.convenant, ...STAGES.convenant };
  doc.tweedeEscalatie = { naam: 'Coördinator', mailbox: 'coordinator@haarlem.example', bezorging: 'smime', certificaat: doc.troubleshooter.certificaat.replace('troubleshooter', 'coordinator') };
}

const haal = async (app: Gebouwd, id: string) => (await app.vraag(ELAN, 'GET', `/v1/meldingen/${id}`)).body;
const tel = (g: any[], soort: string) => g.filter((x) => x.soort === soort).length;
const mailsAan = (app: Gebouwd, adres: string) => app.sink!.bestanden().filter((f) => kop(readFileSync(f, 'utf8'), 'To')?.includes(adres));
const rust = (ms = 1200) => new Promise((r) => setTimeout(r, ms));

async function melding(app: Gebouwd) {
  const res = await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldMelding());
  if (res.status !== 201) throw new Error(res.tekst);
  return res.body.id as string;
}

t.test('SLA stages: the earlier warning and the last werkdag reminder, each exactly once, each an event', async (t) => {
  const c = testKlok(BASIS);
  const app = await build(t, { rollen: ['api', 'worker'], klok: c.klok, configAanpassen: metStages });
  const id = await melding(app);
  await wachtOp(async () => ((await haal(app, id)).status === 'verzonden' ? true : undefined));
  const waarschuwingsdag = werkdagVan(TERMIJN.uiterlijk, -2);

  c.zet(amsterdam(waarschuwingsdag, '08:59'));
  await rust();
  t.equal(tel((await haal(app, id)).gebeurtenissen, 'waarschuwing'), 0, 'not before 09:00 two werkdagen ahead');
  c.zet(amsterdam(waarschuwingsdag, '09:01'));
  await wachtOp(async () => mailsAan(app, 'wijkteam-noord').length === 2);
  const waarschuwing = platteTekst(openSmime(mailsAan(app, 'wijkteam-noord')[1]!, app.pki, 'wijkteam-noord').inhoud);
  t.match(waarschuwing, 'Dit is een herinnering (nog-twee-werkdagen)', 'the warning says which stage it is');
  t.match(waarschuwing, /Terugkoppeling geven: https:\/\//, 'with a fresh feedback link');
  t.match((await haal(app, id)).gebeurtenissen.find((g: any) => g.soort === 'waarschuwing'), { fase: 'nog-twee-werkdagen', termijn: TERMIJN.uiterlijk });

  c.zet(TERMIJN.op('08:30'));
  await wachtOp(async () => mailsAan(app, 'wijkteam-noord').length === 3);
  t.match(platteTekst(openSmime(mailsAan(app, 'wijkteam-noord')[2]!, app.pki, 'wijkteam-noord').inhoud), 'vandaag is de laatste werkdag van de termijn');
  c.zet(NA_TERMIJN);
  await wachtOp(async () => ((await haal(app, id)).status === 'geescaleerd' ? true : undefined));
  await rust();
  const g = (await haal(app, id)).gebeurtenissen;
  t.equal(tel(g, 'waarschuwing'), 1, 'the warning once');
  t.equal(tel(g, 'herinnering-verzonden'), 1, 'the reminder once');
  t.equal(tel(g, 'geescaleerd'), 1, 'the escalation once');
  t.equal(mailsAan(app, 'wijkteam-noord').length, 3, 'melding, warning, reminder: three mails to the wijkteam');
});

t.test('not taken up in time: the second escalation goes exactly once, with two workers racing', async (t) => {
  const c = testKlok(BASIS);
  const app = await build(t, { rollen: ['api'], sink: true, klok: c.klok, configAanpassen: metStages });
  const ids = await Promise.all(Array.from({ length: 3 }, () => melding(app)));
  for (let i = 0; i < 2; i++) {
    const w = await start({ config: app.config, rollen: ['worker'], log: createLogger(undefined, 'silent'), klok: c.klok, env: {} });
    t.teardown(() => w.stop());
  }
  c.zet(NA_TERMIJN);
  for (const id of ids) await wachtOp(async () => ((await haal(app, id)).status === 'geescaleerd' ? true : undefined));
  await wachtOp(async () => mailsAan(app, 'troubleshooter').length === 3);
  const escalatie = platteTekst(openSmime(mailsAan(app, 'troubleshooter')[0]!, app.pki, 'troubleshooter').inhoud);
  t.match(escalatie, /Opgepakt\? Bevestig het en leg later de uitkomst vast: https:\/\/localhost:\d+\/b\//, 'the escalation carries the take-up link');

  // The first case is taken up in time; two clicks at once count once.
  const { escalaties } = app.draaiend.sb.diensten;
  const door = { oin: GEMEENTE_OIN, kanaal: 'portaal' as const };
  const kliks = await Promise.allSettled([escalaties.pakOp(ids[0]!, door), escalaties.pakOp(ids[0]!, door)]);
  t.equal(kliks.filter((k) => k.status === 'fulfilled').length, 1, 'one take-up');
  t.match(kliks.find((k) => k.status === 'rejected'), { reason: { code: 'SB_CONFLICT' } }, 'the other is refused');

  const laatsteDag = werkdagVan(TERMIJN.uiterlijk, 2);
  c.zet(amsterdam(laatsteDag, '23:59'));
  await rust();
  t.equal(mailsAan(app, 'coordinator').length, 0, 'not while the troubleshooter still has time');
  c.zet(new Date(amsterdam(plusDagen(laatsteDag, 1), '00:00').getTime() + 1000));
  await wachtOp(async () => mailsAan(app, 'coordinator').length === 2);
  await rust();
  t.equal(mailsAan(app, 'coordinator').length, 2, 'two cases not taken up: two second escalations');
  const tweede = platteTekst(openSmime(mailsAan(app, 'coordinator')[0]!, app.pki, 'coordinator').inhoud);
  t.match(tweede, 'niet binnen 2 werkdag(en) opgepakt');
  t.notMatch(tweede, '/b/', 'the second mailbox gets no troubleshooter link');
  t.equal(tel((await haal(app, ids[0]!)).gebeurtenissen, 'tweede-escalatie'), 0, 'the case taken up is not raised again');
  for (const id of ids.slice(1)) t.equal(tel((await haal(app, id)).gebeurtenissen, 'tweede-escalatie'), 1, `${id}: raised once`);
  t.equal(tel((await haal(app, ids[0]!)).gebeurtenissen, 'escalatie-opgepakt'), 1);

  // Take-up after the second escalation still counts; the outcome once, after take-up only.
  await t.rejects(escalaties.legUitkomstVast(ids[1]!, 'ontruiming-voorkomen', door), { code: 'SB_CONFLICT' }, 'no outcome before take-up');
  await escalaties.pakOp(ids[1]!, door);
  const uitkomsten = await Promise.allSettled([
    escalaties.legUitkomstVast(ids[1]!, 'ontruiming-voorkomen', door), escalaties.legUitkomstVast(ids[1]!, 'betalingsregeling-getroffen', door)]);
  t.equal(uitkomsten.filter((k) => k.status === 'fulfilled').length, 1, 'one outcome');
  const stand = await escalaties.stand(ids[1]!);
  t.ok(stand.uitkomst === 'ontruiming-voorkomen' || stand.uitkomst === 'betalingsregeling-getroffen');
  t.ok(stand.opgepaktOp && stand.uitkomstOp);
  const ruw = await app.draaiend.sb.redis.hget(app.draaiend.sb.namen.melding(ids[1]!), 'troubleshooterUitkomst');
  t.notMatch(ruw ?? '', /ontruiming|betalingsregeling/, 'the outcome is stored encrypted');
  t.notMatch(JSON.stringify((await haal(app, ids[1]!)).gebeurtenissen), /ontruiming-voorkomen|betalingsregeling-getroffen/, 'and is not in the events the sender reads');
  await t.rejects(escalaties.legUitkomstVast(ids[1]!, 'onzin' as never, door), { code: 'SB_ONGELDIGE_INVOER' });
  await t.rejects(escalaties.pakOp(randomUUID(), door), { code: 'SB_NIET_GEVONDEN' });
});

t.test('a case that was never escalated cannot be taken up; an eviction-date melding can', async (t) => {
  const app = await build(t, { rollen: ['api'] });
  const { escalaties } = app.draaiend.sb.diensten;
  const door = { oin: GEMEENTE_OIN, kanaal: 'portaal' as const };
  const gewoon = await melding(app);
  await t.rejects(escalaties.pakOp(gewoon, door), { code: 'SB_CONFLICT' });
  const res = await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldMelding({ soort: 'ontruimingsdatum-bekend', referentie: 'ONTR-1',
    ontruimingsdatum: plusDagen(TERMIJN.ontvangstDatum, 30) }));
  t.equal(res.status, 201, res.tekst);
  t.match(await escalaties.pakOp(res.body.id, door), { opgepaktOp: String });
});
