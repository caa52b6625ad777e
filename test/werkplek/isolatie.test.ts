// Role isolation in the werkplek, its main risk, tested pair by pair with logins through
// the real OpenID Provider: a corporation user never sees another corporation's meldingen, a wijkteam
// user only its own wijkteam's, a coordinator only its gemeente's, the troubleshooter only the
// escalations and eviction dates of its gemeente. Out of scope a melding does not exist: absent from
// the list and 404 in every URL of the role's pages, whatever the method, with nothing changed. A role
// on another role's pages gets 403; without a session a page sends the browser to the login.
import t from 'tap';
import { voorbeeldMelding } from '../helpers/build.js';
import { BASIS, testKlok } from '../helpers/klok.js';
import { amsterdamDatum } from '../../src/domain/werkdagen.js';
import { bouwWerkplek, type WerkplekSessie } from '../helpers/werkplek.js';

const ELAN = '00000099000000000001';
const PRE = '00000099000000000002';
/** A second gemeente beside Haarlem, with one wijkteam, its own werkplek issuer entry and its own coordinator and troubleshooter. */
const BLOEMENDAAL = '00000099000000000011';
const POSTCODE = { noord: '2011DE', zuid: '2031KM', bloemendaal: '2061AB' } as const;
const melding = (wijkteam: keyof typeof POSTCODE) => voorbeeldMelding({ adres: { ...voorbeeldMelding().adres, postcode: POSTCODE[wijkteam] } });

function tweedeGemeente(doc: Record<string, any>) {
  doc.organisaties.push({ oin: BLOEMENDAAL, naam: 'Gemeente Bloemendaal', rol: 'gemeente' });
  doc.wijkteams.push({ id: 'bloemendaal', naam: 'Sociaal Wijkteam Bloemendaal', organisatie: BLOEMENDAAL, postcodes: ['2060-2069'],
    mailbox: 'wijkteam@bloemendaal.example', bezorging: 'beveiligde-link' });
}
/** Bloemendaal's IdP entry (in the dev OP the same client as Haarlem's): the same people, now of Bloemendaal. */
function bloemendaalIssuer(werkplek: Record<string, any>) {
  const haarlem = werkplek.issuers.find((i: { naam: string }) => i.naam === 'haarlem');
  werkplek.issuers.push({ ...haarlem, naam: 'bloemendaal', organisatie: BLOEMENDAAL,
    rollen: { 'signaalbrug-coordinator': { rol: 'coordinator' }, 'signaalbrug-troubleshooter': { rol: 'troubleshooter' } } });
}

type Gebied = 'corporatie' | 'wijkteam' | 'troubleshooter';
type Url = { method: string; pad: string; form?: Record<string, string> };
const vandaag = () => amsterdamDatum(BASIS);
/** Every URL of an area that names a melding, with a form that would be valid (so only the scope can refuse it). */
const URLS: Record<Gebied, (id: string) => Url[]> = {
  corporatie: (id): Url[] => [
    { method: 'GET', pad: `/meldingen/${id}` },
    { method: 'POST', pad: `/meldingen/${id}/intrekking`, form: { reden: 'overig' } },
    { method: 'POST', pad: `/meldingen/${id}/aanvulling`, form: { soort: 'betalingsregeling-verbroken' } },
  ],
  wijkteam: (id): Url[] => [
    { method: 'GET', pad: `/werklijst/${id}` },
    { method: 'GET', pad: `/werklijst/${id}?wijzigen=1` },
    { method: 'POST', pad: `/werklijst/${id}/terugkoppeling`, form: { opgepakt: 'nee', redenNietOpgepakt: 'Niet opgepakt: onterecht signaal', incassoHervatten: 'ja', hervattingBetalingOp: vandaag() } },
    { method: 'POST', pad: `/werklijst/${id}/eindresultaat`, form: { resultaat: 'Niet opgepakt: onterecht signaal' } },
  ],
  troubleshooter: (id): Url[] => [
    { method: 'GET', pad: `/escalaties/${id}` },
    { method: 'POST', pad: `/escalaties/${id}/opgepakt`, form: {} },
    { method: 'POST', pad: `/escalaties/${id}/uitkomst`, form: { uitkomst: 'geen-contact' } },
  ],
};
const LIJST: Record<Gebied, string> = { corporatie: '/meldingen', wijkteam: '/werklijst?tab=alle', troubleshooter: '/escalaties?tab=alle' };
const PAGINAS: Record<Gebied, Url[]> = {
  corporatie: [{ method: 'GET', pad: '/meldingen' }, { method: 'GET', pad: '/meldingen/nieuw' }, { method: 'POST', pad: '/meldingen', form: { referentie: 'X-1' } }],
  wijkteam: [{ method: 'GET', pad: '/werklijst' }, { method: 'GET', pad: '/werklijst?tab=alle' }],
  troubleshooter: [{ method: 'GET', pad: '/escalaties' }],
};
const ids = (html: string, gebied: Gebied) => {
  const pad = { corporatie: 'meldingen', wijkteam: 'werklijst', troubleshooter: 'escalaties' }[gebied];
  return new Set([...html.matchAll(new RegExp(`href="/${pad}/([0-9a-f-]{36})"`, 'g'))].map((m) => m[1]!));
};

t.test('every role pair: out of scope a melding is absent from the list and 404 in every URL, and nothing changes', async (t) => {
  const klok = testKlok();
  const w = await bouwWerkplek(t, { klok: klok.klok, configAanpassen: tweedeGemeente, werkplekAanpassen: bloemendaalIssuer });
  const sb = w.app.draaiend.sb;
  const { intake, termijnen } = sb.diensten;
  const nu = klok.nu();
  const ontvang = async (oin: string, wijkteam: keyof typeof POSTCODE) => (await intake.ontvang(oin, melding(wijkteam))).record.id;
  // Received now: open. Received weeks ago: escalated on the sweep (the troubleshooter's).
  const m = {
    elanNoord: await ontvang(ELAN, 'noord'),
    preNoord: await ontvang(PRE, 'noord'),
    elanZuid: await ontvang(ELAN, 'zuid'),
    elanBloemendaal: await ontvang(ELAN, 'bloemendaal'),
  };
  klok.zet(new Date(nu.getTime() - 20 * 86_400_000));
  const esc = { elanNoord: await ontvang(ELAN, 'noord'), preBloemendaal: await ontvang(PRE, 'bloemendaal') };
  klok.zet(nu);
  while (await termijnen.sweep() > 0) { /* the old ones escalate */ }
  for (const id of Object.values(esc)) t.equal((await sb.diensten.casussen.meta(id))?.status, 'geescaleerd');
  const alle = [...Object.values(m), ...Object.values(esc)];

  const wie: { naam: string; gebruiker: string; issuer?: string; gebied: Gebied; ziet: string[] }[] = [
    { naam: 'corporatie (Elan Wonen)', gebruiker: 'corporatie', gebied: 'corporatie', ziet: [m.elanNoord, m.elanZuid, m.elanBloemendaal, esc.elanNoord] },
    { naam: 'corporatie (Pré Wonen)', gebruiker: 'corporatie-pre', gebied: 'corporatie', ziet: [m.preNoord, esc.preBloemendaal] },
    { naam: 'wijkteam Noord', gebruiker: 'wijkteam-noord', gebied: 'wijkteam', ziet: [m.elanNoord, m.preNoord, esc.elanNoord] },
    { naam: 'wijkteam Zuid', gebruiker: 'wijkteam-zuid', gebied: 'wijkteam', ziet: [m.elanZuid] },
    { naam: 'coördinator Haarlem', gebruiker: 'coordinator', gebied: 'wijkteam', ziet: [m.elanNoord, m.preNoord, m.elanZuid, esc.elanNoord] },
    { naam: 'coördinator Bloemendaal', gebruiker: 'coordinator', issuer: 'bloemendaal', gebied: 'wijkteam', ziet: [m.elanBloemendaal, esc.preBloemendaal] },
    { naam: 'troubleshooter Haarlem', gebruiker: 'troubleshooter', gebied: 'troubleshooter', ziet: [esc.elanNoord] },
    { naam: 'troubleshooter Bloemendaal', gebruiker: 'troubleshooter', issuer: 'bloemendaal', gebied: 'troubleshooter', ziet: [esc.preBloemendaal] },
  ];

  const stand = async () => Promise.all(alle.map(async (id) => ({
    id, status: (await sb.diensten.casussen.meta(id))?.status, gebeurtenissen: (await sb.diensten.lezen.gebeurtenissen(id)).length,
  })));
  const voor = await stand();
  const logboekVoor = await sb.redis.xlen(sb.namen.logboek());

  const sessies = new Map<string, WerkplekSessie>();
  for (const x of wie) {
    const s = await w.login(x.gebruiker, x.issuer ? { issuer: x.issuer } : {});
    t.ok(s.ingelogd, `${x.naam}: logged in`);
    sessies.set(x.naam, s);
    const lijst = await s.vraag('GET', LIJST[x.gebied]);
    t.equal(lijst.status, 200, `${x.naam}: its list`);
    t.same(ids(lijst.tekst, x.gebied), new Set(x.ziet), `${x.naam}: the list holds exactly its own meldingen`);
    for (const id of alle.filter((i) => !x.ziet.includes(i))) {
      t.notMatch(lijst.tekst, id, `${x.naam}: ${id} is nowhere on the list`);
      for (const u of URLS[x.gebied](id)) {
        const a = await s.vraag(u.method, u.pad, u.form);
        t.equal(a.status, 404, `${x.naam}: ${u.method} ${u.pad.replace(id, '<ander>')} is 404`);
        t.notMatch(a.tekst, 'Dijk', `${x.naam}: no personal data in the answer`);
      }
    }
    // An id that is no melding at all, or no id: the same 404.
    for (const id of ['00000000-0000-4000-8000-000000000000', 'niet-een-id', `${x.ziet[0]}x`])
      t.equal((await s.vraag('GET', URLS[x.gebied](id)[0]!.pad)).status, 404, `${x.naam}: ${id}`);
  }
  t.same(await stand(), voor, 'not one status or event changed');
  t.equal(await sb.redis.xlen(sb.namen.logboek()), logboekVoor, 'nothing was read: no logboek record');

  // In scope, the same URL shows the melding (the control: the 404s above are the scope's).
  for (const x of wie) {
    const a = await sessies.get(x.naam)!.vraag('GET', URLS[x.gebied](x.ziet[0]!)[0]!.pad);
    t.equal(a.status, 200, `${x.naam}: its own melding opens`);
  }
});

t.test('a role on another role\'s pages gets 403; without a session a page sends to the login', async (t) => {
  const w = await bouwWerkplek(t);
  const sb = w.app.draaiend.sb;
  const { record } = await sb.diensten.intake.ontvang(ELAN, melding('noord'));
  const id = record.id;
  const gebieden: Record<string, Gebied | 'privacy' | 'beheer'> = {
    corporatie: 'corporatie', 'wijkteam-noord': 'wijkteam', coordinator: 'wijkteam', troubleshooter: 'troubleshooter', privacy: 'privacy', beheer: 'beheer',
  };
  const urls = (g: Gebied | 'privacy' | 'beheer'): Url[] =>
    g === 'privacy' ? [{ method: 'GET', pad: '/privacy' }] : g === 'beheer' ? [{ method: 'GET', pad: '/beheer' }] : [...PAGINAS[g], ...URLS[g](id)];
  const eigen = await w.login('corporatie');
  for (const [gebruiker, gebied] of Object.entries(gebieden)) {
    const s = gebruiker === 'corporatie' ? eigen : await w.login(gebruiker);
    for (const ander of ['corporatie', 'wijkteam', 'troubleshooter', 'privacy', 'beheer'] as const) {
      if (ander === gebied) continue;
      for (const u of urls(ander)) {
        const a = await s.vraag(u.method, u.pad, u.form);
        t.equal(a.status, 403, `${gebruiker}: ${u.method} ${u.pad.replace(id, '<id>')}`);
        t.match(a.tekst, 'Geen toegang');
        t.notMatch(a.tekst, 'Dijk');
      }
    }
  }
  t.equal((await sb.diensten.casussen.meta(id))?.status, 'ontvangen', 'nothing happened to the melding');

  // No session: every page sends the browser to the login, and back afterwards.
  for (const gebied of ['corporatie', 'wijkteam', 'troubleshooter'] as const) {
    for (const u of [...PAGINAS[gebied], ...URLS[gebied](id)]) {
      if (u.method === 'GET') {
        const a = await w.vraag('GET', u.pad);
        t.equal(a.status, 303, `no session: GET ${u.pad.replace(id, '<id>')}`);
        t.equal(a.headers.location, `/inloggen?terug=${encodeURIComponent(u.pad)}`);
      } else {
        // A form without a session cannot carry a token of one: refused before any page sees it.
        const a = await w.vraag('POST', u.pad, { ruw: new URLSearchParams(u.form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
        t.equal(a.status, 403, `no session: POST ${u.pad.replace(id, '<id>')}`);
        t.match(a.tekst, 'Formulier verlopen of ongeldig');
      }
    }
  }
  t.equal((await sb.diensten.casussen.meta(id))?.status, 'ontvangen');
  t.equal((await sb.diensten.lezen.gebeurtenissen(id)).length, 1, 'only the intake');
});
