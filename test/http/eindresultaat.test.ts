// The eindresultaat on DDAS's terms: every outcome of EnumEindresultaat through the API ends the case
// (afgesloten), and the corporation sees of it only what DDAS and the convenant allow, in the GET and
// in its feed; the outcome is never in an event or unencrypted in Redis, and erasure removes it.
import t from 'tap';
import { EINDRESULTATEN, eindresultaatVoorCorporatie } from '../../src/domain/ddas.js';
import { build, voorbeeldMelding } from '../helpers/build.js';
import { redisDump } from '../helpers/privacy.js';

const ELAN = 'elan-wonen';
const GEMEENTE = 'wijkteam-haarlem';
const TERUGKOPPELING = { contactGelegd: true, inBehandeling: true, incassoHervatten: false };

t.test('what the corporation sees of each outcome', async (t) => {
  const gezien = Object.fromEntries(EINDRESULTATEN.map((r) => [r, eindresultaatVoorCorporatie(r)]));
  t.same(gezien, {
    'Niet opgepakt: herhaalde melding': 'Niet opgepakt: herhaalde melding',
    'Niet opgepakt: onterecht signaal': 'Niet opgepakt: onterecht signaal',
    'Inwoner is overleden': 'Inwoner is overleden',
    'Persoon is geen inwoner (meer) in de gemeente': 'Persoon is geen inwoner (meer) in de gemeente',
    'Niet opgepakt: andere reden': 'Niet opgepakt',
    'Inwoner al bekend bij schuldhulpverlening': 'Opgepakt en afgesloten',
    'Inwoner heeft al een ander lopend traject': 'Opgepakt en afgesloten',
    'Definitief geen contact kunnen krijgen': 'Opgepakt en afgesloten',
    'Geen reactie na eerder contact': 'Opgepakt en afgesloten',
    'Inwoner hoeft geen hulp vanuit vroegsignalering': 'Opgepakt en afgesloten',
    'Inwoner heeft zelf al betaald/betalingsregeling getroffen': 'Opgepakt en afgesloten',
    '(Budget)advies en/of quick fix': 'Opgepakt en afgesloten',
    'Vervolghulp en/of verwijzing financieel': 'Opgepakt en afgesloten',
    'Verwijzing zonder contact': 'Opgepakt en afgesloten',
    'Vervolghulp en/of verwijzing niet financieel': 'Opgepakt en afgesloten',
  }, 'the DDAS value only where DDAS feeds it back; never the reason of "andere reden", never the help given');
});

t.test('every DDAS outcome through the API: afgesloten, filtered for the corporation, encrypted at rest', async (t) => {
  const app = await build(t, { rollen: ['api'] });
  const ids = new Map<(typeof EINDRESULTATEN)[number], string>();
  for (const [i, resultaat] of EINDRESULTATEN.entries()) {
    const m = await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldMelding({ referentie: `EIND-${i}` }));
    t.equal(m.status, 201);
    const id: string = m.body.id;
    ids.set(resultaat, id);
    if (i === 0) {
      const tevroeg = await app.vraag(GEMEENTE, 'POST', `/v1/meldingen/${id}/eindresultaat`, { resultaat });
      t.equal(tevroeg.status, 409, 'not before the eerste terugkoppeling');
      t.match(tevroeg.body.detail, /alleen een beantwoorde of geëscaleerde melding/);
    }
    t.equal((await app.vraag(GEMEENTE, 'POST', `/v1/meldingen/${id}/terugkoppeling`, TERUGKOPPELING)).status, 201);
    const e = await app.vraag(GEMEENTE, 'POST', `/v1/meldingen/${id}/eindresultaat`, { resultaat });
    t.equal(e.status, 201, `${resultaat}: ${e.tekst}`);
    t.same(e.body, { id, status: 'afgesloten' });
    t.equal(e.headers.location, `/v1/meldingen/${id}`);

    const voorCorporatie = (await app.vraag(ELAN, 'GET', `/v1/meldingen/${id}`)).body;
    t.equal(voorCorporatie.status, 'afgesloten');
    t.equal(voorCorporatie.eindresultaat, eindresultaatVoorCorporatie(resultaat), `${resultaat}: the corporation sees what it may`);
    t.equal((await app.vraag(GEMEENTE, 'GET', `/v1/meldingen/${id}`)).body.eindresultaat, resultaat, 'the gemeente sees what it gave');
    t.notOk(JSON.stringify(voorCorporatie.gebeurtenissen).includes(resultaat), 'the outcome is in no event');
    t.match(voorCorporatie.gebeurtenissen.at(-1), { soort: 'afgesloten', reden: 'eindresultaat', kanaal: 'api' });
  }

  // The feed: the feedback, then the outcome, each once, filtered.
  const items: any[] = [];
  for (let sinds = '0'; ;) {
    const f = await app.vraag(ELAN, 'GET', `/v1/terugkoppelingen?sinds=${sinds}`);
    items.push(...f.body.terugkoppelingen);
    if (f.body.volgende === sinds) break;
    sinds = f.body.volgende;
  }
  for (const [resultaat, id] of ids) {
    const vanDeze = items.filter((x) => x.melding === id);
    t.same(vanDeze.map((x) => x.soort), ['terugkoppeling', 'eindresultaat'], `${resultaat}: two feed entries`);
    t.ok(vanDeze.every((x) => x.eindresultaat === eindresultaatVoorCorporatie(resultaat)), `${resultaat}: filtered in the feed`);
  }
  const dump = await redisDump(app.redis.url);
  for (const r of EINDRESULTATEN) t.notOk(dump.includes(r), `"${r}" nowhere in Redis unencrypted`);

  // Refused: a second outcome, an unknown one, the corporation giving one.
  const id = ids.get('Inwoner is overleden')!;
  t.equal((await app.vraag(GEMEENTE, 'POST', `/v1/meldingen/${id}/eindresultaat`, { resultaat: 'Inwoner is overleden' })).status, 409, 'a closed case stays closed');
  const onbekend = await app.vraag(GEMEENTE, 'POST', `/v1/meldingen/${id}/eindresultaat`, { resultaat: 'Opgelost' });
  t.equal(onbekend.status, 400);
  t.match(onbekend.body.invalidParams, [{ name: 'resultaat' }]);
  t.equal((await app.vraag(ELAN, 'POST', `/v1/meldingen/${id}/eindresultaat`, { resultaat: 'Inwoner is overleden' })).status, 403, 'only a gemeente');

  // Erasure takes the outcome with the rest of the personal data.
  const { sb } = app.draaiend;
  t.equal(await sb.diensten.opruimer.wis(id, 'verzoek-betrokkene', { kanaal: 'cli' }), 'gewist');
  t.equal(await sb.redis.hget(sb.namen.melding(id), 'eindresultaat'), null);
  t.equal(await sb.redis.hget(sb.namen.melding(id), 'feedId'), null, 'and its feed entries');
});
