// The corporation's own updates on an open case (convenant art. 3.9 "vice versa", art. 8.1): a broken
// payment arrangement reaches the wijkteam, an eviction date the wijkteam and the troubleshooter, each
// encrypted; a retry is recognised; bad input is a problem; the updates go with the case's personal data.
// And the wijkteam may amend its feedback: the corporation is told again.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { build, voorbeeldMelding, wachtOp, type Gebouwd } from '../helpers/build.js';
import { lopendeKlok, nlDatum, plusDagen } from '../helpers/klok.js';
import { kop, openSmime, platteTekst } from '../helpers/mail.js';
import { amsterdamDatum } from '../../src/domain/werkdagen.js';

const ELAN = 'elan-wonen';
const GEMEENTE = 'wijkteam-haarlem';
const mailsAan = (app: Gebouwd, adres: string) => app.sink!.bestanden().filter((f) => kop(readFileSync(f, 'utf8'), 'To')?.includes(adres));

t.test('updates from the corporation reach the wijkteam and, for an eviction date, the troubleshooter', async (t) => {
  const app = await build(t, { rollen: ['api', 'worker'] });
  const res = await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldMelding({ referentie: 'AANV-1' }));
  const id: string = res.body.id;
  await wachtOp(async () => mailsAan(app, 'wijkteam-noord').length === 1);
  const vandaag = amsterdamDatum(lopendeKlok());
  const datum = plusDagen(vandaag, 20);

  const verbroken = await app.vraag(ELAN, 'POST', `/v1/meldingen/${id}/aanvullingen`, { soort: 'betalingsregeling-verbroken' });
  t.equal(verbroken.status, 201, verbroken.tekst);
  t.match(verbroken.body, { id, aanvulling: 'betalingsregeling-verbroken', versie: /^\d+$/ });
  const ontruiming = await app.vraag(ELAN, 'POST', `/v1/meldingen/${id}/aanvullingen`, { soort: 'ontruimingsdatum', ontruimingsdatum: datum });
  t.equal(ontruiming.status, 201, ontruiming.tekst);
  const nogEens = await app.vraag(ELAN, 'POST', `/v1/meldingen/${id}/aanvullingen`, { soort: 'ontruimingsdatum', ontruimingsdatum: datum });
  t.equal(nogEens.status, 200, 'a retry of the same update is recognised');
  t.equal(nogEens.body.versie, ontruiming.body.versie);

  await wachtOp(async () => mailsAan(app, 'wijkteam-noord').length === 3 && mailsAan(app, 'troubleshooter').length === 1);
  const teksten = mailsAan(app, 'wijkteam-noord').slice(1).map((f) => {
    const ruw = readFileSync(f, 'utf8');
    t.notMatch(kop(ruw, 'Subject'), /AANV|ontruiming|betalingsregeling/i, 'nothing about the case outside the encryption');
    return platteTekst(openSmime(f, app.pki, 'wijkteam-noord').inhoud);
  });
  t.ok(teksten.some((x) => x.includes('De betalingsregeling is niet nagekomen')), 'the wijkteam hears of the broken arrangement');
  t.ok(teksten.some((x) => x.includes(`Ontruimingsdatum: ${nlDatum(datum)}`)), 'and of the eviction date');
  const ts = platteTekst(openSmime(mailsAan(app, 'troubleshooter')[0]!, app.pki, 'troubleshooter').inhoud);
  t.match(ts, `Ontruimingsdatum: ${nlDatum(datum)}`, 'the troubleshooter hears of the eviction date (art. 8.1)');
  t.match(ts, /Opgepakt\? Bevestig het en leg later de uitkomst vast: https:\/\//, 'with its take-up link');
  await new Promise((r) => setTimeout(r, 1000));
  t.equal(mailsAan(app, 'wijkteam-noord').length, 3, 'the retry sent nothing');

  const body = (await app.vraag(ELAN, 'GET', `/v1/meldingen/${id}`)).body;
  t.same(body.gebeurtenissen.filter((g: any) => g.soort === 'aanvulling').map((g: any) => g.aanvulling), ['betalingsregeling-verbroken', 'ontruimingsdatum']);
  t.notMatch(JSON.stringify(body), datum, 'the date itself is not in the events');
  const { sb } = app.draaiend;
  const velden = await sb.redis.hkeys(sb.namen.melding(id));
  t.equal(velden.filter((v) => v.startsWith('aanvulling:')).length, 2, 'two updates, each its own encrypted field');
  t.notMatch(JSON.stringify(await sb.redis.hgetall(sb.namen.melding(id))), datum, 'stored encrypted');
  t.equal((await sb.diensten.escalaties.pakOp(id, { oin: '00000099000000000010', kanaal: 'portaal' })).opgepaktOp.length > 0, true, 'the troubleshooter can take it up');

  await sb.diensten.opruimer.wis(id, 'verzoek-betrokkene', { kanaal: 'cli' });
  t.same((await sb.redis.hkeys(sb.namen.melding(id))).filter((v) => v.startsWith('aanvulling:')), [], 'erasure removes the updates too');
});

t.test('bad updates are problems, never a 500', async (t) => {
  const app = await build(t, { rollen: ['api'] });
  const id: string = (await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldMelding({ referentie: 'AANV-2' }))).body.id;
  const vandaag = amsterdamDatum(lopendeKlok());
  const post = (body: unknown, wie = ELAN, mid = id) => app.vraag(wie, 'POST', `/v1/meldingen/${mid}/aanvullingen`, body);

  let r = await post({ soort: 'ontruimingsdatum', ontruimingsdatum: plusDagen(vandaag, -1) });
  t.equal(r.status, 400);
  t.match(r.headers['content-type'], 'application/problem+json');
  t.match(r.body.invalidParams, [{ name: 'ontruimingsdatum', reason: /vandaag .* of later/ }]);
  r = await post({ soort: 'ontruimingsdatum' });
  t.equal(r.status, 400, 'an eviction date needs its date');
  r = await post({ soort: 'ontruimingsdatum', ontruimingsdatum: plusDagen(vandaag, 3 * 366) });
  t.equal(r.status, 400, 'not years ahead');
  r = await post({ soort: 'verhuisd' });
  t.equal(r.status, 400);
  r = await post({ soort: 'betalingsregeling-verbroken', toelichting: 'vrije tekst' });
  t.equal(r.status, 400, 'no free text');
  r = await post({ soort: 'betalingsregeling-verbroken' }, 'pre-wonen');
  t.equal(r.status, 404, 'another corporation does not see the melding');
  r = await post({ soort: 'betalingsregeling-verbroken' }, GEMEENTE);
  t.equal(r.status, 403, 'a gemeente does not update a melding');
  t.equal((await app.vraag(ELAN, 'POST', `/v1/meldingen/${id}/intrekking`, { reden: 'achterstand-betaald' })).status, 201, 'arrears paid: withdraw');
  r = await post({ soort: 'betalingsregeling-verbroken' });
  t.equal(r.status, 409, 'no updates on a withdrawn melding');
});

t.test('the wijkteam amends its feedback: an event, the corporation reads the new answer, on time as before', async (t) => {
  const app = await build(t, { rollen: ['api'] });
  const { sb } = app.draaiend;
  const id: string = (await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldMelding({ referentie: 'WIJZIG-1' }))).body.id;
  const eerste = await app.vraag(GEMEENTE, 'POST', `/v1/meldingen/${id}/terugkoppeling`, { contactGelegd: false, inBehandeling: false, incassoHervatten: false });
  t.equal(eerste.status, 201);
  const door = { oin: '00000099000000000010', kanaal: 'portaal' as const };
  await t.rejects(sb.diensten.terugkoppeling.geef(id, { contactGelegd: true, inBehandeling: true, incassoHervatten: false }, door), { code: 'SB_CONFLICT' },
    'a second answer without saying it amends is refused');
  const r = await sb.diensten.terugkoppeling.geef(id, { contactGelegd: true, inBehandeling: true, incassoHervatten: false }, { ...door, wijzigen: true });
  t.same(r, { status: 'teruggekoppeld', opTijd: true });
  const body = (await app.vraag(ELAN, 'GET', `/v1/meldingen/${id}`)).body;
  t.match(body.terugkoppeling, { contactGelegd: true, inBehandeling: true });
  t.match(body.gebeurtenissen.at(-1), { soort: 'terugkoppeling-gewijzigd', kanaal: 'portaal', versie: /^\d+$/ });
  const feed = (await app.vraag(ELAN, 'GET', '/v1/terugkoppelingen')).body.terugkoppelingen.filter((x: any) => x.melding === id);
  t.equal(feed.length, 2, 'the feed shows the first answer and the amendment');
  t.equal((await app.vraag(GEMEENTE, 'POST', `/v1/meldingen/${id}/terugkoppeling`, { contactGelegd: true, inBehandeling: true, incassoHervatten: false })).status, 409,
    'the API still refuses a second POST (a retry must not count as an amendment)');
});
