// The werkplek of a regional hub: each gemeente's people (wijkteam, coordinator,
// troubleshooter, logged in through their own gemeente's IdP entry) see only their own gemeente's
// meldingen; another gemeente's melding is absent from the list and 404 at its URL.
import t from 'tap';
import { voorbeeldMelding } from '../helpers/build.js';
import { alsRegionaleHub } from '../helpers/hub.js';
import { testKlok } from '../helpers/klok.js';
import { bouwWerkplek } from '../helpers/werkplek.js';

const YMERE = '00000099000000000003';
const ELAN = '00000099000000000001';
const melding = (postcode: string) => {
  const m = voorbeeldMelding();
  return { ...m, adres: { ...m.adres, postcode } };
};
type Gebied = 'wijkteam' | 'troubleshooter';
const LIJST: Record<Gebied, string> = { wijkteam: '/werklijst?tab=alle', troubleshooter: '/escalaties?tab=alle' };
const DETAIL: Record<Gebied, (id: string) => string> = { wijkteam: (id) => `/werklijst/${id}`, troubleshooter: (id) => `/escalaties/${id}` };
const ids = (html: string, gebied: Gebied) =>
  new Set([...html.matchAll(new RegExp(`href="/${gebied === 'wijkteam' ? 'werklijst' : 'escalaties'}/([0-9a-f-]{36})"`, 'g'))].map((m) => m[1]!));

t.test('each gemeente\'s people see only their own gemeente\'s meldingen', async (t) => {
  const klok = testKlok();
  const w = await bouwWerkplek(t, { klok: klok.klok, configAanpassen: (d) => alsRegionaleHub(d, String(d.tls.ca[0]).replace(/\/ca\.crt$/, '')) });
  const sb = w.app.draaiend.sb;
  const { intake, termijnen } = sb.diensten;
  const ontvang = async (oin: string, postcode: string) => (await intake.ontvang(oin, melding(postcode))).record.id;
  const nu = klok.nu();
  const m = { ymereHaarlem: await ontvang(YMERE, '2011DE'), elanHaarlem: await ontvang(ELAN, '2012AB'), ymereHilversum: await ontvang(YMERE, '1215AB') };
  // Received two months ago: past both deadlines (5 and 28 werkdagen), escalated on the sweep.
  klok.zet(new Date(nu.getTime() - 60 * 86_400_000));
  const esc = { haarlem: await ontvang(YMERE, '2013CD'), hilversum: await ontvang(YMERE, '1220XY') };
  klok.zet(nu);
  while (await termijnen.sweep() > 0) { /* the old ones escalate */ }
  for (const id of Object.values(esc)) t.equal((await sb.diensten.casussen.meta(id))?.status, 'geescaleerd');
  const alle = [...Object.values(m), ...Object.values(esc)];

  const wie: { naam: string; gebruiker: string; gebied: Gebied; ziet: string[] }[] = [
    { naam: 'wijkteam Noord (Haarlem)', gebruiker: 'wijkteam-noord', gebied: 'wijkteam', ziet: [m.ymereHaarlem, m.elanHaarlem, esc.haarlem] },
    { naam: 'coördinator Haarlem', gebruiker: 'coordinator', gebied: 'wijkteam', ziet: [m.ymereHaarlem, m.elanHaarlem, esc.haarlem] },
    { naam: 'troubleshooter Haarlem', gebruiker: 'troubleshooter', gebied: 'troubleshooter', ziet: [esc.haarlem] },
    { naam: 'wijkteam Hilversum', gebruiker: 'wijkteam-hilversum', gebied: 'wijkteam', ziet: [m.ymereHilversum, esc.hilversum] },
    { naam: 'troubleshooter Hilversum', gebruiker: 'troubleshooter-hilversum', gebied: 'troubleshooter', ziet: [esc.hilversum] },
  ];
  for (const x of wie) {
    const s = await w.login(x.gebruiker);
    t.ok(s.ingelogd, `${x.naam}: logged in`);
    const lijst = await s.vraag('GET', LIJST[x.gebied]);
    t.equal(lijst.status, 200, `${x.naam}: its list`);
    t.same(ids(lijst.tekst, x.gebied), new Set(x.ziet), `${x.naam}: exactly its own gemeente's meldingen`);
    for (const id of alle.filter((i) => !x.ziet.includes(i))) {
      const a = await s.vraag('GET', DETAIL[x.gebied](id));
      t.equal(a.status, 404, `${x.naam}: another's melding is 404`);
      t.notMatch(a.tekst, 'Dijk', `${x.naam}: no personal data in the answer`);
    }
    t.equal((await s.vraag('GET', DETAIL[x.gebied](x.ziet[0]!))).status, 200, `${x.naam}: its own melding opens`);
  }
});
