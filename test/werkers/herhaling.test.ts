// DDAS "herhaalde melding": a new melding for a tenant (same corporation, same relatienummer) within the
// configured window is linked to the latest earlier one, and the wijkteam reads in the encrypted
// melding whether the arrears grew. Another corporation's tenant with the same number, a melding after
// the window, and a melding whose predecessor was erased are not linked.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { build, voorbeeldMelding, wachtOp, type Gebouwd } from '../helpers/build.js';
import { BASIS, testKlok } from '../helpers/klok.js';
import { kop, openSmime, platteTekst, verwachteMessageId } from '../helpers/mail.js';
import { ontpakt } from '../helpers/privacy.js';
import { Sleutelring } from '../../src/store/sleutelring.js';

const DAG = 86_400_000;
const huurder = (relatienummer: string) => ({ ...voorbeeldMelding().huurder, relatienummer });
const achterstand = (bedragInCenten: number) => ({ ...voorbeeldMelding().achterstand, bedragInCenten });

async function melding(app: Gebouwd, wie: string, over: Record<string, unknown>): Promise<string> {
  const res = await app.vraag(wie, 'POST', '/v1/meldingen', voorbeeldMelding(over));
  if (res.status !== 201) throw new Error(res.tekst);
  return res.body.id;
}
const ontvangen = async (app: Gebouwd, wie: string, id: string) =>
  (await app.vraag(wie, 'GET', `/v1/meldingen/${id}`)).body.gebeurtenissen.find((g: any) => g.soort === 'ontvangen');

t.test('a repeat signal is linked to the earlier melding and says whether the arrears grew', async (t) => {
  const c = testKlok(BASIS);
  const app = await build(t, { rollen: ['api', 'worker'], klok: c.klok, configAanpassen: (d) => { d.convenant.herhalingVensterDagen = 30; } });
  const eerste = await melding(app, 'elan-wonen', { huurder: huurder('H-1'), achterstand: achterstand(50_000) });
  t.notOk((await ontvangen(app, 'elan-wonen', eerste)).herhalingVan, 'the first melding repeats nothing');
  c.zet(new Date(BASIS.getTime() + 10 * DAG));
  const tweede = await melding(app, 'elan-wonen', { huurder: huurder('H-1'), achterstand: achterstand(90_000) });
  t.equal((await ontvangen(app, 'elan-wonen', tweede)).herhalingVan, eerste, 'linked to the earlier melding');

  const mail = await wachtOp(async () => app.sink!.bestanden().find((f) => kop(readFileSync(f, 'utf8'), 'Message-ID') === verwachteMessageId(app.config, tweede, 'melding-aan-wijkteam', 'wijkteam')));
  t.notMatch(readFileSync(mail, 'utf8'), /Herhaalde/i, 'nothing of it outside the encryption');
  const tekst = platteTekst(openSmime(mail, app.pki, 'wijkteam-noord').inhoud);
  t.match(tekst, `Herhaalde melding: deze huurder werd op`);
  t.match(tekst, `(melding ${eerste})`);
  t.match(tekst, /De achterstand is sindsdien gestegen \(toen \S+ 500,00\)/);

  const ander = await melding(app, 'pre-wonen', { huurder: huurder('H-1') });
  t.notOk((await ontvangen(app, 'pre-wonen', ander)).herhalingVan, "another corporation's tenant with the same number is another person");
  const derde = await melding(app, 'elan-wonen', { huurder: huurder('H-1'), achterstand: achterstand(90_000) });
  t.equal((await ontvangen(app, 'elan-wonen', derde)).herhalingVan, tweede, 'linked to the latest');

  c.zet(new Date(BASIS.getTime() + 45 * DAG));
  const laat = await melding(app, 'elan-wonen', { huurder: huurder('H-1') });
  t.notOk((await ontvangen(app, 'elan-wonen', laat)).herhalingVan, 'after the window (30 days) no link');

  const { sb } = app.draaiend;
  await sb.diensten.opruimer.wis(laat, 'verzoek-betrokkene', { kanaal: 'cli' });
  const na = await melding(app, 'elan-wonen', { huurder: huurder('H-1') });
  t.notOk((await ontvangen(app, 'elan-wonen', na)).herhalingVan, 'an erased melding is no predecessor');
  const link = (await sb.redis.hgetBuffer(sb.namen.melding(derde), 'herhaling'))!;
  t.equal(Sleutelring.formaatVan(link), 'v2', 'the link is stored in the compact format');
  t.same(JSON.parse(sb.sleutels.ontsleutel(link, `${derde}:herhaling`)), { vorigeMelding: tweede, vorigeOntvangenOp: (await ontvangen(app, 'elan-wonen', tweede)).op,
    vorigeBedragInCenten: 90_000, bedragInCenten: 90_000 }, 'encrypted, bound to the case and field');
  t.notOk([link.toString('latin1'), ...ontpakt(link)].some((w) => w.includes(tweede) || w.includes('vorigeMelding')), 'nothing of it readable without the key');
});

/** `n` meldingen for one tenant at once (melding() fails on anything but 201), and what each links to. */
async function tegelijk(app: Gebouwd, relatienummer: string, n: number) {
  const ids = await Promise.all(Array.from({ length: n }, () => melding(app, 'elan-wonen', { huurder: huurder(relatienummer) })));
  const links = await Promise.all(ids.map(async (id) => (await ontvangen(app, 'elan-wonen', id)).herhalingVan as string | undefined));
  return { ids, links };
}

t.test('meldingen for one tenant at the same time form one chain; a flood of them is never refused', async (t) => {
  const app = await build(t, { configAanpassen: (d) => { d.convenant.herhalingVensterDagen = 30; } });
  const N = 6;
  const { ids, links } = await tegelijk(app, 'GELIJK-1', N);
  t.equal(links.filter((l) => l === undefined).length, 1, 'exactly one is the first');
  const naar = links.filter((l): l is string => l !== undefined);
  t.equal(new Set(naar).size, N - 1, 'no two link to the same melding');
  t.ok(naar.every((l) => ids.includes(l)), 'each links to one of them');
  // Follow the chain from the first: it reaches every melding once.
  const volgende = new Map(ids.map((id, i) => [links[i], id]));
  const keten: string[] = [];
  for (let id = volgende.get(undefined); id; id = volgende.get(id)) keten.push(id);
  t.same([...keten].sort(), [...ids].sort(), 'one chain through all of them');

  // Past eight rounds a melding keeps its link to an earlier one, maybe not the latest: all 201.
  const vloed = await tegelijk(app, 'VLOED-1', 16);
  t.equal(vloed.links.filter((l) => l === undefined).length, 1, 'a flood of 16: exactly one is the first');
  t.ok(vloed.links.every((l, i) => l === undefined || (vloed.ids.includes(l) && l !== vloed.ids[i])), 'every other one links to another of them');
});
