// The figures page in the werkplek: the coordinator's SLA picture per wijkteam per month (inline SVG
// with a table next to it), the corporation's own figures, the beheerder's whole convenant; the CSV
// is the API's; small cells stay suppressed and no share is computed from one; the corporation's
// art. 9.5.3 form with the API's validation. Scoped as the API: a gemeente sees its own wijkteams,
// a corporation its own meldingen.
import t from 'tap';
import { voorbeeldMelding } from '../helpers/build.js';
import { amsterdam, testKlok, plusDagen, nlDatum } from '../helpers/klok.js';
import { amsterdamDatum, eindeVanDag } from '../../src/domain/werkdagen.js';
import { maanden } from '../../src/domain/grafiek.js';
import { bouwWerkplek } from '../helpers/werkplek.js';

const ELAN = '00000099000000000001';
const PRE = '00000099000000000002';
const HAARLEM = '00000099000000000010';
const BLOEMENDAAL = '00000099000000000011';

t.test('figures per role: SLA per wijkteam over time, suppression, CSV, the corporation\'s own figures', async (t) => {
  const klok = testKlok();
  const w = await bouwWerkplek(t, {
    klok: klok.klok,
    configAanpassen: (doc) => {
      doc.rapportage = { kleinAantal: 3 };
      doc.organisaties.push({ oin: BLOEMENDAAL, naam: 'Gemeente Bloemendaal', rol: 'gemeente' });
      doc.wijkteams.push({ id: 'bloemendaal', naam: 'Sociaal Wijkteam Bloemendaal', organisatie: BLOEMENDAAL, postcodes: ['2060-2069'],
        mailbox: 'wijkteam@bloemendaal.example', bezorging: 'beveiligde-link' });
    },
  });
  const sb = w.app.draaiend.sb;
  const t0 = klok.zet(amsterdam(amsterdamDatum(klok.nu()), '10:00'));
  let n = 0;
  const meld = async (oin: string, postcode: string) => {
    const m = voorbeeldMelding({ huurder: { ...voorbeeldMelding().huurder, relatienummer: `C-${++n}` },
      adres: { straatnaam: 'Kleine Houtstraat', huisnummer: 12, postcode, woonplaats: 'Haarlem' } });
    return (await sb.diensten.intake.ontvang(oin, m)).record;
  };
  const tk = { contactGelegd: true, inBehandeling: true, incassoHervatten: false, contactpogingen: [amsterdamDatum(t0)] };
  const geef = async (ids: string[], gemeente: string) => {
    for (const id of ids) await sb.diensten.terugkoppeling.geef(id, tk as any, { oin: gemeente, kanaal: 'api' });
  };
  const reeks = async (k: number, oin: string, postcode: string) => { const uit = []; for (let i = 0; i < k; i++) uit.push(await meld(oin, postcode)); return uit; };

  // Month 1: Noord 3 of Elan and 1 of Pré on time, 3 of Elan late; Zuid 1 of Pré on time; Bloemendaal 3 of Elan on time.
  const opTijd = [...await reeks(3, ELAN, '2011DE'), ...await reeks(1, PRE, '2011DE'), ...await reeks(1, PRE, '2031AB')];
  const teLaat = await reeks(3, ELAN, '2011DE');
  const bloemendaal = await reeks(3, ELAN, '2061AB');
  await geef(opTijd.map((r) => r.id), HAARLEM);
  await geef(bloemendaal.map((r) => r.id), BLOEMENDAAL);
  klok.zet(new Date(eindeVanDag(teLaat[0]!.terugkoppelingUiterlijk).getTime() + 3_600_000));
  await geef(teLaat.map((r) => r.id), HAARLEM);
  // Month 2 (35 days on): Noord 3 of Elan on time.
  klok.zet(amsterdam(plusDagen(amsterdamDatum(t0), 35), '10:00'));
  const later = await reeks(3, ELAN, '2012AB');
  await geef(later.map((r) => r.id), HAARLEM);

  const van = `${amsterdamDatum(t0).slice(0, 8)}01`;
  const tot = amsterdamDatum(klok.nu());
  const labels = maanden(van, tot).map((m) => m.label);
  const eerste = 0;
  const laatste = labels.length - 1;

  // The coordinator: its gemeente's wijkteams, month by month.
  const coordinator = await w.login('coordinator');
  const c = await coordinator.vraag('GET', `/cijfers?van=${van}&tot=${tot}`);
  t.equal(c.status, 200, c.tekst.slice(0, 1000));
  t.match(c.headers['cache-control'], 'no-store');
  t.match(c.tekst, '<h1 class="utrecht-heading-1">Cijfers: Gemeente Haarlem</h1>');
  t.match(c.tekst, /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="grafiek" role="img"[^>]*aria-labelledby="grafiek-sla-titel grafiek-sla-beschrijving"/);
  t.match(c.tekst, `<title id="grafiek-sla-titel">Terugkoppeling op tijd per maand, ${nlDatum(van)} tot en met ${nlDatum(tot)}</title>`);
  t.notMatch(c.tekst, /<script/i, 'no script on the page');
  t.notMatch(c.tekst, 'Bloemendaal', 'another gemeente\'s wijkteam is not in the coordinator\'s figures');
  const rijVan = (tekst: string, naam: string) => new RegExp(`<th scope="row" class="utrecht-table__header-cell">${naam}</th>((?:<td class="utrecht-table__cell">[^<]*</td>)+)</tr>`).exec(tekst)?.[1]
    ?.match(/>([^<]*)</g)?.map((x) => x.slice(1, -1)).filter(Boolean) ?? [];
  const noord = rijVan(c.tekst, 'Sociaal Wijkteam Noord');
  t.equal(noord.length, labels.length, 'one cell per month');
  t.equal(noord[eerste], '57,1%', 'month 1: 4 of 7 on time');
  t.equal(noord[laatste], '100%', 'month 2: 3 of 3');
  t.equal(rijVan(c.tekst, 'Sociaal Wijkteam Zuid')[eerste], 'onderdrukt', 'one case: below the threshold, no share');
  t.equal(rijVan(c.tekst, 'Sociaal Wijkteam Oost')[eerste], 'geen');
  t.match(c.tekst, '<td class="utrecht-table__cell">&lt; 3</td>', 'small cells as "< 3"');
  t.match(c.tekst, 'Sociaal Wijkteam Noord</text>', 'the legend names the wijkteam');

  // The CSV: the API's rendering of the same scope.
  const csvLink = /<a class="utrecht-link" href="([^"]+)" download>/.exec(c.tekst)![1]!.replaceAll('&amp;', '&').replaceAll('&#x3D;', '=');
  t.equal(csvLink, `/cijfers.csv?van=${van}&tot=${tot}`);
  const csv = await coordinator.vraag('GET', csvLink);
  t.equal(csv.status, 200);
  t.match(csv.headers['content-type'], 'text/csv');
  t.match(csv.headers['content-disposition'], `attachment; filename="evaluatie-${van}-${tot}.csv"`);
  const api = sb.diensten.rapportage;
  t.equal(csv.tekst, api.csv(await api.evaluatie(van, tot, { rol: 'gemeente', oin: HAARLEM })), 'CSV = the API\'s for the gemeente');
  t.notMatch(csv.tekst, 'bloemendaal');

  // A bad period: the errors next to the fields.
  const fout = await coordinator.vraag('GET', `/cijfers?van=${tot}&tot=${van}`);
  t.equal(fout.status, 400);
  t.match(fout.tekst, /id="periode-tot-fout">Fout: ligt vóór van<\/div>/);
  t.match(fout.tekst, /<a class="utrecht-link" href="#periode-tot">/);

  // A corporation: its own meldingen only.
  const pre = await w.login('corporatie-pre');
  const p = await pre.vraag('GET', `/cijfers?van=${van}&tot=${tot}`);
  t.equal(p.status, 200);
  t.match(p.tekst, 'Cijfers: Pré Wonen');
  t.equal(rijVan(p.tekst, 'Uw meldingen')[eerste], 'onderdrukt', 'two meldingen: too few for a share');
  t.notMatch(p.tekst, 'Elan Wonen');
  const preCsv = await pre.vraag('GET', `/cijfers.csv?van=${van}&tot=${tot}`);
  t.equal(preCsv.tekst, api.csv(await api.evaluatie(van, tot, { rol: 'corporatie', oin: PRE })));
  t.notMatch(preCsv.tekst, ELAN, 'no other corporation\'s figures');

  const elan = await w.login('corporatie');
  const e = await elan.vraag('GET', `/cijfers?van=${van}&tot=${tot}`);
  const eigen = rijVan(e.tekst, 'Uw meldingen');
  t.equal(eigen[eerste], '66,7%', 'Elan, month 1: 6 of 9 on time, in both gemeenten');
  t.equal(eigen[laatste], '100%');
  t.match(e.tekst, 'U heeft voor deze periode nog geen cijfers aangeleverd.');

  // Art. 9.5.3: the form, with the service's validation next to the fields.
  const eindMaand1 = maanden(van, tot)[0]!.tot;
  const cijfers = {
    van, tot: eindMaand1,
    'huisuitzettingen.perDoelgroep.metKinderen': '2', 'huisuitzettingen.perDoelgroep.vijfenzestigPlus': '0', 'huisuitzettingen.perDoelgroep.statushouders': '0',
    'huisuitzettingen.perDoelgroep.alleenstaanden': '4', 'huisuitzettingen.perDoelgroep.overig': '0',
    'huisuitzettingen.perReden.huurschuld': '5', 'huisuitzettingen.perReden.overlast': '1', 'huisuitzettingen.perReden.strafbaarFeit': '0', 'huisuitzettingen.perReden.overig': '0',
    sleutelsVrijwilligIngeleverd: '3', huisuitzettingenVoorkomen: '7',
  };
  const somFout = await elan.vraag('POST', '/cijfers/corporatiecijfers', { ...cijfers, 'huisuitzettingen.perReden.overlast': '2' });
  t.equal(somFout.status, 400);
  t.match(somFout.tekst, /id="cijfers-perReden-fout">Fout: telt niet op tot hetzelfde aantal huisuitzettingen als perDoelgroep<\/div>/);
  t.match(somFout.tekst, 'value="2"', 'what was typed stays');
  const typFout = await elan.vraag('POST', '/cijfers/corporatiecijfers', { ...cijfers, sleutelsVrijwilligIngeleverd: 'drie' });
  t.equal(typFout.status, 400);
  t.match(typFout.tekst, /id="cijfers-sleutelsVrijwilligIngeleverd-fout">Fout: vul een geheel aantal in/);
  t.match(typFout.tekst, /id="cijfers-sleutelsVrijwilligIngeleverd" [^>]*aria-invalid="true"/);
  t.equal((await elan.vraag('POST', '/cijfers/corporatiecijfers', cijfers, { zonderCsrf: true })).status, 403, 'no CSRF token');
  t.equal((await coordinator.vraag('POST', '/cijfers/corporatiecijfers', cijfers)).status, 403, 'a corporation\'s form only');
  const ok = await elan.vraag('POST', '/cijfers/corporatiecijfers', cijfers);
  t.equal(ok.status, 303, ok.tekst.slice(0, 500));
  t.equal(ok.headers.location, `/cijfers?van=${van}&tot=${eindMaand1}&bericht=geleverd#eigen-cijfers`);
  const na = await elan.vraag('GET', String(ok.headers.location).replace(/#.*$/, ''));
  t.match(na.tekst, 'Uw cijfers voor deze periode zijn ontvangen.');
  t.match(na.tekst, '<th scope="row" class="utrecht-table__header-cell">Huisuitzettingen</th><td class="utrecht-table__cell">6</td>');
  t.match(na.tekst, '<th scope="row" class="utrecht-table__header-cell">Doelgroep: Huishoudens met kinderen</th><td class="utrecht-table__cell">&lt; 3</td>', 'suppressed here too');
  t.match(na.tekst, 'aria-labelledby="grafiek-uitzettingen-titel grafiek-uitzettingen-beschrijving"');
  const opnieuw = await elan.vraag('POST', '/cijfers/corporatiecijfers', cijfers);
  t.match(opnieuw.headers.location, 'bericht=vervangen', 'the same period again replaces it');
  t.same((await api.evaluatie(van, eindMaand1, { rol: 'corporatie', oin: ELAN })).corporatieCijfers[0]?.sleutelsVrijwilligIngeleverd, 3, 'the same service as the API');

  // The beheerder: the whole convenant; a wijkteam medewerker: no figures page.
  const beheer = await w.login('beheer');
  const b = await beheer.vraag('GET', `/cijfers?van=${van}&tot=${tot}`);
  t.equal(b.status, 200);
  t.match(b.tekst, 'Cijfers: het hele convenant');
  t.equal(rijVan(b.tekst, 'Sociaal Wijkteam Bloemendaal')[eerste], '100%');
  const wijkteam = await w.login('wijkteam-noord');
  t.equal((await wijkteam.vraag('GET', '/cijfers')).status, 403);

  // Without a period: about half a year up to today.
  const standaard = await coordinator.vraag('GET', '/cijfers');
  t.equal(standaard.status, 200);
  t.match(standaard.tekst, `value="${tot}"`);
});
