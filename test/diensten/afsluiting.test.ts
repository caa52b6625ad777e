// The end of a case: `afgesloten`, reached through the service once the case was answered (or
// escalated), with its timers gone, its retention term counted from the end, and a logboek record.
import t from 'tap';
import { build, voorbeeldMelding } from '../helpers/build.js';
import { logboekVan } from '../helpers/privacy.js';
import { timersVan } from '../helpers/termijnen.js';

const GEMEENTE_OIN = '00000099000000000010';

t.test('a case answered by the gemeente can be closed: afgesloten, timers gone, retention from the end', async (t) => {
  const app = await build(t, { rollen: ['api'] });
  const { sb } = app.draaiend;
  const { terugkoppeling } = sb.diensten;
  const res = await app.vraag('elan-wonen', 'POST', '/v1/meldingen', voorbeeldMelding({ referentie: 'AFSLUIT-1' }));
  t.equal(res.status, 201);
  const id: string = res.body.id;
  const timers = async () => Object.keys(await timersVan(sb.redis, sb.namen, id)).filter((lid) => !lid.endsWith('|bewaar'));
  t.equal((await timers()).length, 2, 'the new case has its reminder and escalation timers');

  await t.rejects(terugkoppeling.sluitAf(id, { oin: GEMEENTE_OIN, kanaal: 'api' }, 'klaar'), { code: 'SB_CONFLICT' }, 'not before it was answered');
  await t.rejects(terugkoppeling.sluitAf(id, { oin: '00000099000000000001', kanaal: 'api' }, 'klaar'), { code: 'SB_NIET_GEVONDEN' }, 'only by the gemeente it was routed to');

  const k = await app.vraag('wijkteam-haarlem', 'POST', `/v1/meldingen/${id}/terugkoppeling`, { contactGelegd: true, inBehandeling: true, incassoHervatten: false });
  t.equal(k.status, 201, k.tekst);
  t.same(await timers(), [], 'feedback stopped the timers');
  const naTerugkoppeling = (await sb.diensten.opruimer.gepland(id))!;

  t.same(await terugkoppeling.sluitAf(id, { oin: GEMEENTE_OIN, kanaal: 'api' }, 'klaar'), { status: 'afgesloten' });
  const body = (await app.vraag('elan-wonen', 'GET', `/v1/meldingen/${id}`)).body;
  t.equal(body.status, 'afgesloten');
  t.match(body.gebeurtenissen.at(-1), { soort: 'afgesloten', reden: 'klaar', kanaal: 'api' });
  const naAfsluiting = (await sb.diensten.opruimer.gepland(id))!;
  t.ok(naAfsluiting <= naTerugkoppeling && naAfsluiting > Date.now(), 'retention: the earliest end counts, still in the future');
  t.match((await logboekVan(app.redis.url, id)).map((s) => s.name), ['melding-ontvangen', 'terugkoppeling-ontvangen', 'melding-afgesloten']);

  await t.rejects(terugkoppeling.sluitAf(id, { oin: GEMEENTE_OIN, kanaal: 'api' }, 'nog eens'), { code: 'SB_CONFLICT' }, 'a closed case stays closed');
  const w = await app.vraag('elan-wonen', 'POST', `/v1/meldingen/${id}/intrekking`, {});
  t.equal(w.status, 409, 'and cannot be withdrawn');
  const late = await app.vraag('wijkteam-haarlem', 'POST', `/v1/meldingen/${id}/terugkoppeling`, { contactGelegd: true, inBehandeling: true, incassoHervatten: false });
  t.equal(late.status, 409, 'nor answered again');
});
