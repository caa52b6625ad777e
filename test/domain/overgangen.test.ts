// The transitions of a case, computed by the pure domain function: from a new case through every
// status of the contract, with what each transition asks the store to do, and what the rules refuse.
import t from 'tap';
import { isWeigering, nieuweCasus, overgang, type Casus, type Overgang, type Regels, type Voorval, type Weigering } from '../../src/domain/overgangen.js';
import { STATUSSEN, type Status } from '../../src/domain/status.js';
import { termijnLid } from '../../src/domain/termijnen.js';
import { BASIS, termijnVan } from '../helpers/klok.js';

const DAG = 86_400_000;
const regels: Regels = {
  herinneringUur: 8,
  extraTermijnen: [{ naam: 'voorstel', artikel: '004 art. 3.8', kalenderdagen: 14 }],
  extraVrijeDagen: [],
  privacy: { bewaartermijnDagen: 365, weigeringBewaartermijnDagen: 183, uiterlijkeBewaartermijnDagen: 730 },
  register: 'urn:test:register',
};
const ontvangen = new Date(BASIS.getTime() - 3_600_000);
const termijn = termijnVan(ontvangen);
const ID = '0b5f8a4e-7c1d-4e2a-9b3c-5d6e7f8a9b0c';
const GEMEENTE = '00000099000000000010';
const ELAN = '00000099000000000001';
const alleTimers = ['herinnering', 'escalatie', 'extra:voorstel'].map((a) => termijnLid(ID, a as never));

const nieuw = nieuweCasus({
  id: ID, oin: ELAN, wijkteam: 'noord', wijkteamOin: GEMEENTE, soort: 'huurachterstand', ontvangenOp: ontvangen.toISOString(),
  terugkoppelingUiterlijk: termijn.uiterlijk, betrokkene: 'pseudo-1',
}, { traceId: 'a'.repeat(32), parentSpanId: 'b'.repeat(16), extern: true }, regels);

const casus = (status: Status): Casus => ({ ...nieuw.casus, status });
const gaat = (status: Status, v: Voorval, nu = BASIS): Overgang => {
  const o = overgang(casus(status), v, nu, regels);
  if (isWeigering(o)) throw new Error(`${status} + ${v.soort} refused: ${o.geweigerd}`);
  return o;
};
const weigert = (status: Status, v: Voorval, nu = BASIS): Weigering => {
  const o = overgang(casus(status), v, nu, regels);
  if (!isWeigering(o)) throw new Error(`${status} + ${v.soort} was not refused`);
  return o;
};

const verzonden = (bericht: string): Voorval => ({
  soort: 'verzonden', bericht, ontvanger: 'wijkteam', mailbox: 'noord@example', bezorging: 'smime', poging: 1, smtpAntwoord: '250 ok', messageId: '<x@y>', markering: `${ID}.${bericht}.wijkteam`,
});
const terug: Voorval = { soort: 'teruggekoppeld', door: { oin: GEMEENTE }, kanaal: 'api', versleuteld: 'v1:geheim', wilHulp: true };
const intrekking: Voorval = { soort: 'ingetrokken', door: { oin: ELAN }, kanaal: 'api', reden: 'achterstand-betaald' };
const afsluiting: Voorval = { soort: 'afgesloten', door: { oin: GEMEENTE }, kanaal: 'api', reden: 'klaar' };

t.test('a new case: every timer, its outbox entry, its logboek record in the caller\'s trace, and the retention cap', async (t) => {
  t.equal(nieuw.casus.status, 'ontvangen');
  t.same(nieuw.plan.map(([lid]) => lid), alleTimers);
  t.equal(nieuw.plan[1]![1], termijn.verstreken.getTime(), 'escalation when the deadline day has ended');
  t.ok(nieuw.plan[0]![1] < nieuw.plan[1]![1], 'reminder before escalation');
  t.same(nieuw.outbox, { melding: ID, actie: 'bezorgen' });
  t.equal(nieuw.logboek.name, 'melding-ontvangen');
  t.equal(nieuw.logboek.traceId, 'a'.repeat(32));
  t.equal(nieuw.logboek.parentSpanId, 'b'.repeat(16));
  t.equal(nieuw.casus.spanId, nieuw.logboek.spanId, 'later records join the intake span');
  t.equal(nieuw.verwijderUiterlijk, ontvangen.getTime() + 730 * DAG);
});

t.test('every status of the contract is reachable by a transition', async (t) => {
  const bereikt = new Set<Status>(['ontvangen']);
  const paden: [Status, Voorval, Status][] = [
    ['ontvangen', verzonden('melding-aan-wijkteam'), 'verzonden'],
    ['ontvangen', { soort: 'bezorging-mislukt', bericht: 'melding-aan-wijkteam', ontvanger: 'wijkteam', reden: 'SB_SLEUTEL_VERLOPEN' }, 'bezorging-mislukt'],
    ['bezorging-mislukt', verzonden('melding-aan-wijkteam'), 'verzonden'],
    ['verzonden', { soort: 'gelezen', kanaal: 'portaal' }, 'gelezen'],
    ['gelezen', { soort: 'termijn', actie: 'escalatie' }, 'geescaleerd'],
    ['gelezen', terug, 'teruggekoppeld'],
    ['geescaleerd', terug, 'teruggekoppeld'],
    ['teruggekoppeld', intrekking, 'ingetrokken'],
    ['teruggekoppeld', afsluiting, 'afgesloten'],
    ['geescaleerd', afsluiting, 'afgesloten'],
  ];
  for (const [van, v, naar] of paden) {
    const o = gaat(van, v, termijn.verstreken);
    t.equal(o.naar, naar, `${van} + ${v.soort} → ${naar}`);
    t.equal(o.van, van, 'compare-and-set on the status read');
    bereikt.add(o.naar);
  }
  t.same([...bereikt].sort(), [...STATUSSEN].sort(), 'all of them');
});

t.test('what each transition asks the store to do', async (t) => {
  const v = gaat('ontvangen', verzonden('melding-aan-wijkteam'));
  t.equal(v.bezorgd, `${ID}.melding-aan-wijkteam.wijkteam`, 'the delivered-marker in the same step');
  t.equal(v.logboek?.name, 'melding-bezorgd');
  t.equal(v.logboek?.attributes['dpl.signaalbrug.organisatie_oin'], ELAN, 'on behalf of the sender');
  const ander = gaat('gelezen', verzonden('herinnering'));
  t.equal(ander.naar, 'gelezen', 'other messages are events only');
  t.equal(ander.gebeurtenis.soort, 'bericht-verzonden');

  const k = gaat('verzonden', terug);
  t.same(k.stop, alleTimers, 'feedback stops every timer');
  t.same(k.velden, { terugkoppeling: 'v1:geheim' }, 'only the ciphertext');
  t.same(k.outbox, { melding: ID, actie: 'terugkoppelen' });
  t.same(k.feed, { oin: ELAN, velden: { melding: ID, soort: 'terugkoppeling' } });
  t.equal(k.gebeurtenis.opTijd, true);
  t.equal(k.verwijderUiterlijk, BASIS.getTime() + 365 * DAG);
  t.equal(gaat('verzonden', terug, termijn.verstreken).gebeurtenis.opTijd, false, 'late, and accepted');
  t.equal(gaat('verzonden', { ...terug, wilHulp: false } as Voorval).verwijderUiterlijk, BASIS.getTime() + 183 * DAG, 'help refused: the shorter term');

  const h = gaat('verzonden', { soort: 'termijn', actie: 'herinnering' });
  t.equal(h.poort, termijnLid(ID, 'herinnering'), 'a timer acts only when it can claim itself');
  t.same(h.outbox, { melding: ID, actie: 'herinneren' });
  t.equal(h.naar, 'verzonden');
  const e = gaat('verzonden', { soort: 'termijn', actie: 'escalatie' }, new Date(termijn.verstreken.getTime() + 3 * DAG));
  t.same(e.stop, [termijnLid(ID, 'herinnering')]);
  t.equal(e.outbox?.actie, 'escaleren');
  t.ok(Number(e.outbox?.werkdagenTeLaat) >= 1, 'how late, in werkdagen');
  t.equal(e.logboek?.name, 'melding-geescaleerd');
  const x = gaat('verzonden', { soort: 'termijn', actie: 'extra:voorstel' });
  t.match(x.gebeurtenis, { soort: 'termijn-verstreken', termijn: 'voorstel', artikel: '004 art. 3.8' });

  const i = gaat('verzonden', intrekking);
  t.same(i.stop, alleTimers);
  t.same(i.outbox, { melding: ID, actie: 'intrekken' });
  t.equal(i.logboek?.name, 'melding-ingetrokken');

  const a = gaat('teruggekoppeld', afsluiting);
  t.same(a.stop, alleTimers);
  t.equal(a.logboek?.name, 'melding-afgesloten');
  t.equal(a.verwijderUiterlijk, BASIS.getTime() + 365 * DAG, 'retention counts from the end of the case');
  t.equal(a.outbox, undefined, 'nobody needs a mail about it');
});

t.test('what the rules refuse', async (t) => {
  t.match(weigert('teruggekoppeld', terug), { geweigerd: 'op deze melding is al teruggekoppeld' });
  t.match(weigert('ingetrokken', terug), { geweigerd: /ingetrokken; terugkoppeling is niet meer mogelijk/ });
  t.match(weigert('afgesloten', terug), { geweigerd: /afgesloten/ });
  t.match(weigert('afgesloten', intrekking), { geweigerd: 'de melding is afgesloten' });
  for (const s of ['ontvangen', 'verzonden', 'gelezen', 'bezorging-mislukt', 'ingetrokken', 'afgesloten'] as const)
    t.match(weigert(s, afsluiting), { status: s }, `${s} cannot be closed`);
  for (const s of ['teruggekoppeld', 'ingetrokken', 'afgesloten'] as const)
    t.ok(isWeigering(overgang(casus(s), { soort: 'termijn', actie: 'escalatie' }, BASIS, regels)), `no escalation once ${s}`);
});
