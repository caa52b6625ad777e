// The privacy officer's pages in the werkplek, logged in through the real OpenID Provider: the logboek
// by melding, by pseudonym and by tenant; an inzage (page and JSON) that is a logboek record with the
// officer's organisation and pseudonymous user id; an erasure after confirmation; the breach register.
// Role isolation: a gemeente's officer sees only cases routed to its wijkteams, a corporation's only
// the cases it sent; a melding or breach of another organisation is a 404, whatever the id.
import t from 'tap';
import { voorbeeldMelding } from '../helpers/build.js';
import { testKlok, wandtijd } from '../helpers/klok.js';
import { logboekVan } from '../helpers/privacy.js';
import { bouwWerkplek, type Werkplek } from '../helpers/werkplek.js';

const ELAN = '00000099000000000001';
const PRE = '00000099000000000002';
const HAARLEM = '00000099000000000010';
const BLOEMENDAAL = '00000099000000000011';

/** The werkplek with a second gemeente (its own wijkteam) and Elan's werkplek users as its privacy officers. */
async function opzet(t: Parameters<typeof bouwWerkplek>[0]) {
  const klok = testKlok();
  const w = await bouwWerkplek(t, {
    klok: klok.klok,
    configAanpassen: (doc) => {
      doc.organisaties.push({ oin: BLOEMENDAAL, naam: 'Gemeente Bloemendaal', rol: 'gemeente' });
      doc.wijkteams.push({ id: 'bloemendaal', naam: 'Sociaal Wijkteam Bloemendaal', organisatie: BLOEMENDAAL, postcodes: ['2060-2069'],
        mailbox: 'wijkteam@bloemendaal.example', bezorging: 'beveiligde-link' });
    },
    // Elan's IdP maps its users to Elan's privacy officer here (the dev OP has one for the gemeente only).
    werkplekAanpassen: (wp) => {
      const elan = wp.issuers.find((i: any) => i.naam === 'elan-wonen');
      elan.rollen = { 'signaalbrug-corporatie': { rol: 'privacy-officer' } };
    },
  });
  const sb = w.app.draaiend.sb;
  const meld = async (oin: string, relatienummer: string, postcode: string) => {
    const m = voorbeeldMelding({ huurder: { ...voorbeeldMelding().huurder, relatienummer },
      adres: { straatnaam: 'Kleine Houtstraat', huisnummer: 12, postcode, woonplaats: 'Haarlem' } });
    return (await sb.diensten.intake.ontvang(oin, m)).record.id;
  };
  return {
    klok, w, sb,
    // The same tenant of Elan in Haarlem and in Bloemendaal; Pré Wonen's tenant with the same number is another person.
    haarlem: await meld(ELAN, 'R-100', '2011DE'),
    bloemendaal: await meld(ELAN, 'R-100', '2061AB'),
    pre: await meld(PRE, 'R-100', '2012AB'),
  };
}

const records = (w: Werkplek) => logboekVan(w.app);

t.test('a gemeente\'s privacy officer: logboek, inzage and erasure of its own cases only', async (t) => {
  const { w, sb, haarlem, bloemendaal, pre } = await opzet(t);
  const s = await w.login('privacy');
  t.ok(s.ingelogd);

  const start = await s.vraag('GET', '/privacy');
  t.equal(start.status, 200);
  t.match(start.tekst, '<h1 class="utrecht-heading-1">Logboek dataverwerkingen</h1>');
  t.match(start.tekst, /<legend[^>]*>Zoeken op<\/legend>/, 'the choice is a fieldset with a legend');
  t.match(start.tekst, '<label class="utrecht-form-label" for="zoek-relatienummer">Relatienummer van de huurder');
  t.match(start.tekst, '<option value="00000099000000000001">Elan Wonen</option>', 'a gemeente chooses the corporation');

  // By melding: its own (routed to its wijkteam), the other gemeente's is not there.
  const eigen = await s.vraag('GET', `/privacy/logboek?melding=${haarlem}`);
  t.equal(eigen.status, 200);
  t.match(eigen.tekst, 'Melding ontvangen');
  t.match(eigen.tekst, haarlem);
  t.equal((await s.vraag('GET', `/privacy/logboek?melding=${bloemendaal}`)).status, 404, 'another gemeente\'s case: 404');
  t.equal((await s.vraag('GET', '/privacy/logboek?melding=00000000-0000-4000-8000-000000000000')).status, 404);
  t.equal((await s.vraag('POST', '/privacy/logboek', { wat: 'melding', melding: bloemendaal })).status, 404);

  // By tenant (POSTed: a relatienummer never goes into a URL) and by pseudonym.
  const tenant = await s.vraag('POST', '/privacy/logboek', { wat: 'relatienummer', corporatie: ELAN, relatienummer: 'R-100' });
  t.equal(tenant.status, 200);
  t.match(tenant.tekst, haarlem);
  t.notMatch(tenant.tekst, bloemendaal, 'the tenant\'s case at the other gemeente stays out');
  const pseudoniem = sb.diensten.intake.betrokkene(ELAN, 'R-100');
  const viaPseudoniem = await s.vraag('POST', '/privacy/logboek', { wat: 'pseudoniem', pseudoniem });
  t.match(viaPseudoniem.tekst, haarlem);
  t.notMatch(viaPseudoniem.tekst, bloemendaal);
  const fout = await s.vraag('POST', '/privacy/logboek', { wat: 'relatienummer', corporatie: '', relatienummer: '' });
  t.equal(fout.status, 400);
  t.match(fout.tekst, /<a class="utrecht-link" href="#zoek-relatienummer">Relatienummer: vul het relatienummer in<\/a>/, 'in the summary, linked to the field');
  t.match(fout.tekst, /id="zoek-relatienummer-fout">Fout: vul het relatienummer in<\/div>/, 'and next to the field');
  t.match(fout.tekst, /id="zoek-relatienummer" [^>]*aria-invalid="true"/);
  t.equal((await s.vraag('POST', '/privacy/logboek', { wat: 'melding', melding: haarlem }, { zonderCsrf: true })).status, 403, 'no CSRF token, no search');

  // Inzage: the tenant's data as sent, only from its own case; recorded with the organisation and the user's pseudonym.
  const voor = (await records(w)).length;
  const inzage = await s.vraag('POST', '/privacy/inzage', { corporatie: ELAN, relatienummer: 'R-100' });
  t.equal(inzage.status, 200, inzage.tekst.slice(0, 500));
  t.match(inzage.headers['cache-control'], 'no-store');
  t.match(inzage.tekst, `Melding ${haarlem}`);
  t.notMatch(inzage.tekst, bloemendaal);
  t.match(inzage.tekst, '<th scope="row" class="utrecht-table__header-cell">huurder.achternaam</th><td class="utrecht-table__cell">Dijk</td>');
  const nieuw = (await records(w)).slice(voor);
  t.equal(nieuw.length, 1, 'one inzage record: for the one case it may see');
  t.match(nieuw[0], { name: 'inzage-verstrekt', attributes: { 'dpl.signaalbrug.melding_id': haarlem, 'dpl.signaalbrug.organisatie_oin': HAARLEM, 'dpl.signaalbrug.kanaal': 'werkplek' } });
  const gebruiker = nieuw[0]!.attributes['dpl.signaalbrug.gebruiker'];
  t.match(gebruiker, /^[A-Za-z0-9_-]{16,}$/, 'the user\'s pseudonymous id');
  t.notMatch(JSON.stringify(nieuw), 'Priya', 'never the name');
  const json = await s.vraag('POST', '/privacy/inzage', { corporatie: ELAN, relatienummer: 'R-100', formaat: 'json' });
  t.match(json.headers['content-type'], 'application/json');
  t.match(json.headers['content-disposition'], /^attachment; filename="inzage-\d{4}-\d{2}-\d{2}\.json"$/);
  t.same(json.body.meldingen.map((m: any) => m.id), [haarlem]);
  t.equal(json.body.meldingen[0].gegevens.huurder.achternaam, 'Dijk');
  t.ok(json.body.verwerkingen.every((v: any) => v.attributes['dpl.signaalbrug.melding_id'] !== bloemendaal), 'the logboek part: its own cases only');
  t.equal((await records(w)).slice(voor).filter((r) => r.name === 'inzage-verstrekt').length, 2, 'the download is a disclosure too');
  const leeg = await s.vraag('POST', '/privacy/inzage', { corporatie: ELAN, relatienummer: '' });
  t.equal(leeg.status, 400);
  t.match(leeg.tekst, 'Fout: vul het relatienummer in');

  // Erasure: first what would go, then only with the box ticked.
  const controle = await s.vraag('POST', '/privacy/verwijderen', { stap: 'controle', corporatie: ELAN, relatienummer: 'R-100' });
  t.equal(controle.status, 200);
  t.match(controle.tekst, haarlem);
  t.notMatch(controle.tekst, bloemendaal);
  t.notMatch(controle.tekst, 'Dijk', 'the confirmation shows metadata, no personal data');
  const zonderVinkje = await s.vraag('POST', '/privacy/verwijderen', { stap: 'bevestig', corporatie: ELAN, relatienummer: 'R-100' });
  t.equal(zonderVinkje.status, 400);
  t.match(zonderVinkje.tekst, /id="verwijder-bevestig-fout">Fout: vink aan/);
  t.ok(await sb.diensten.lezen.melding(haarlem), 'nothing erased without the confirmation');
  const weg = await s.vraag('POST', '/privacy/verwijderen', { stap: 'bevestig', bevestig: 'ja', corporatie: ELAN, relatienummer: 'R-100' });
  t.equal(weg.status, 200, weg.tekst.slice(0, 500));
  t.match(weg.tekst, 'De persoonsgegevens zijn verwijderd.');
  t.equal(await sb.diensten.lezen.melding(haarlem), undefined, 'its own case: erased');
  t.ok(await sb.diensten.lezen.melding(bloemendaal), 'the other gemeente\'s case of the same tenant: untouched');
  t.ok(await sb.diensten.lezen.melding(pre), 'another corporation\'s tenant: untouched');
  const gewist = (await records(w)).find((r) => r.name === 'gegevens-verwijderd');
  t.match(gewist?.attributes, { 'dpl.signaalbrug.melding_id': haarlem, 'dpl.signaalbrug.organisatie_oin': HAARLEM, 'dpl.signaalbrug.kanaal': 'werkplek', 'dpl.signaalbrug.reden': 'verzoek-betrokkene' });

  // Another role has no business here.
  const coordinator = await w.login('coordinator');
  t.equal((await coordinator.vraag('GET', '/privacy')).status, 403);
  t.equal((await w.vraag('GET', '/privacy')).status, 303, 'without a session: to the login');
});

t.test('a corporation\'s privacy officer sees its own cases; the breach register per organisation', async (t) => {
  const { klok, w, sb, haarlem, bloemendaal, pre } = await opzet(t);
  const elan = await w.login('corporatie');
  t.ok(elan.ingelogd);
  const gemeente = await w.login('privacy');

  t.equal((await elan.vraag('GET', `/privacy/logboek?melding=${haarlem}`)).status, 200);
  t.equal((await elan.vraag('GET', `/privacy/logboek?melding=${bloemendaal}`)).status, 200, 'sent by Elan, whichever gemeente');
  t.equal((await elan.vraag('GET', `/privacy/logboek?melding=${pre}`)).status, 404, 'Pré Wonen\'s case: 404');
  const form = await elan.vraag('GET', '/privacy/inzage');
  t.match(form.tekst, 'Woningcorporatie: <strong>Elan Wonen</strong>', 'its own tenants: no choice of corporation');
  t.notMatch(form.tekst, 'Pré Wonen');
  // A corporation field in the body is ignored: the officer's own organisation counts.
  const inzage = await elan.vraag('POST', '/privacy/inzage', { corporatie: PRE, relatienummer: 'R-100', formaat: 'json' });
  t.same(inzage.body.meldingen.map((m: any) => m.id).sort(), [haarlem, bloemendaal].sort());
  t.equal(inzage.body.betrokkene.corporatie.oin, ELAN);

  // The breach register: a new breach with errors next to the fields, then registered.
  const nieuwForm = await elan.vraag('GET', '/privacy/datalekken/nieuw');
  t.equal(nieuwForm.status, 200);
  t.match(nieuwForm.tekst, /<legend[^>]*>a\. Aard, oorzaak en omvang<\/legend>/);
  t.match(nieuwForm.tekst, /<input[^>]*type="datetime-local" id="datalek-bekendOp" name="bekendOp"/);
  const leeg = await elan.vraag('POST', '/privacy/datalekken', { aard: '', plaatsgevondenVan: '', bekendOp: '2026-13-40T25:00' });
  t.equal(leeg.status, 400);
  t.match(leeg.tekst, /href="#datalek-aard">Aard van de inbreuk: vul dit in/);
  t.match(leeg.tekst, /id="datalek-bekendOp-fout">Fout: vul een bestaande datum en tijd in/);
  const nu = klok.nu();
  const lokaal = (d: Date) => wandtijd(d).replace(' ', 'T');
  const geregistreerd = await elan.vraag('POST', '/privacy/datalekken', {
    aard: 'laptop met export gestolen', plaatsgevondenVan: lokaal(new Date(nu.getTime() - 86_400_000)), bekendOp: lokaal(nu),
    plaatsgevondenTot: lokaal(new Date(nu.getTime() + 3_600_000)),
    versleuteld: 'nee', gemeldBijAp: 'onbekend', contact: 'FG, fg@elan.example',
  });
  t.equal(geregistreerd.status, 303, geregistreerd.tekst.slice(0, 500));
  const pad = String(geregistreerd.headers.location).replace(/\?.*$/, '');
  t.match(pad, /^\/privacy\/datalekken\/[0-9a-f-]{36}$/);
  const id = pad.split('/').at(-1)!;
  const lek = await sb.diensten.datalekken.haal(id);
  t.equal(lek?.bekendOp, new Date(Math.floor(nu.getTime() / 60_000) * 60_000).toISOString(), 'the moment as typed, in Dutch time');
  t.equal(lek?.versleuteld, false);
  const detail = await elan.vraag('GET', `${pad}?bericht=geregistreerd`);
  t.equal(detail.status, 200);
  t.match(detail.tekst, 'Het datalek is geregistreerd.');
  t.match(detail.tekst, 'laptop met export gestolen');
  t.match(detail.tekst, /Nog in te vullen: a\. Oorzaak; a\. Omvang; d\. /);
  t.match(detail.tekst, 'Partners informeren uiterlijk</dt><dd>');
  t.match(detail.tekst, haarlem, 'its own cases held in the window');
  t.notMatch(detail.tekst, pre, 'not Pré Wonen\'s');
  const bij = await elan.vraag('POST', pad, { aard: 'laptop met export gestolen', plaatsgevondenVan: lokaal(new Date(nu.getTime() - 86_400_000)),
    bekendOp: lokaal(nu), oorzaak: 'onversleutelde schijf', versleuteld: 'nee', gemeldBijAp: 'ja', redenAp: 'risico voor betrokkenen' });
  t.equal(bij.status, 303);
  t.equal((await sb.diensten.datalekken.haal(id))?.oorzaak, 'onversleutelde schijf');
  t.equal((await sb.diensten.datalekken.haal(id))?.gemeldBijAp, true);

  // The other organisation: neither in its list nor by id; the operator's breach is for everyone to read, not to change.
  const operator = await sb.diensten.datalekken.registreer({ aard: 'back-up onbeveiligd', plaatsgevondenVan: nu.toISOString(), bekendOp: nu.toISOString() });
  const lijst = await gemeente.vraag('GET', '/privacy/datalekken');
  t.equal(lijst.status, 200);
  t.notMatch(lijst.tekst, 'laptop met export gestolen');
  t.match(lijst.tekst, 'back-up onbeveiligd');
  t.equal((await gemeente.vraag('GET', pad)).status, 404, 'Elan\'s breach: 404 for the gemeente');
  t.equal((await gemeente.vraag('POST', pad, { aard: 'overschreven' })).status, 404);
  t.equal((await sb.diensten.datalekken.haal(id))?.aard, 'laptop met export gestolen');
  const operatorPagina = await elan.vraag('GET', `/privacy/datalekken/${operator.id}`);
  t.equal(operatorPagina.status, 200);
  t.match(operatorPagina.tekst, 'alleen de beheerder kan het bijwerken');
  t.equal((await elan.vraag('POST', `/privacy/datalekken/${operator.id}`, { aard: 'x', plaatsgevondenVan: lokaal(nu), bekendOp: lokaal(nu) })).status, 404);
  t.equal((await elan.vraag('GET', '/privacy/datalekken/niet-een-id')).status, 404);
});
