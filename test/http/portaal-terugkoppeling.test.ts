// The terugkoppeling form in the portal: exactly the schema's fields, errors tied to their fields,
// a CSRF token bound to the session, and on success the same effect as the API call.
import t from 'tap';
import { bouwPortaal, GEMEENTE_OIN, sessieCookie, type Portaal } from '../helpers/portaal.js';

async function open(p: Portaal) {
  const id = await p.melding();
  const token = await p.link(id);
  await p.vraag('POST', `/b/${token}/code`, { form: {} });
  const cookie = sessieCookie(await p.vraag('POST', `/b/${token}/toegang`, { form: { code: p.codeUitMail()! } }))!;
  const pagina = await p.vraag('GET', `/b/${token}/bericht`, { cookie });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(pagina.tekst)![1]!;
  return { id, token, cookie, csrf, pagina: pagina.tekst };
}

const GELDIG = {
  contactGelegd: 'ja', inBehandeling: 'ja', incassoHervatten: 'nee', hervattingBetalingOp: '2026-12-01',
  contactpogingen: ['2026-11-24', '', '2026-11-21'], betalingsafspraak: 'ja', wilHulp: 'onbekend', nietOpgepakt: '',
};

t.test('the form has the fields of the schema, accessible, and nothing else', async (t) => {
  const p = await bouwPortaal(t);
  const { pagina } = await open(p);
  const namen = new Set([...pagina.matchAll(/<(?:input|select|textarea|button)[^>]* name="([^"]+)"/g)].map((m) => m[1]));
  t.same([...namen].sort(), ['_csrf', 'betalingsafspraak', 'contactGelegd', 'contactpogingen', 'hervattingBetalingOp', 'inBehandeling',
    'incassoHervatten', 'nietOpgepakt', 'wilHulp'].sort(), 'exactly the schema fields (and the CSRF token)');
  t.notMatch(pagina, /<textarea|type="text"/, 'no free text');
  for (const veld of ['contactGelegd', 'inBehandeling', 'incassoHervatten', 'betalingsafspraak', 'wilHulp'])
    t.match(pagina, new RegExp(`<fieldset[^>]*>\\s*<legend>[^<]+</legend>[\\s\\S]*?<input type="radio" id="${veld}-ja" name="${veld}" value="ja"><label for="${veld}-ja">Ja</label>`), `${veld}: radio group in a fieldset with a legend`);
  t.match(pagina, '<input type="radio" id="wilHulp-onbekend" name="wilHulp" value="onbekend"><label for="wilHulp-onbekend">Weet ik niet</label>');
  t.match(pagina, /<label for="hervattingBetalingOp">[^<]+<\/label>[\s\S]*?<input class="invoer-datum" type="date" id="hervattingBetalingOp"/);
  t.equal(pagina.match(/type="date" id="contactpogingen-\d"/g)?.length, 3);
  t.match(pagina, /<select id="nietOpgepakt" name="nietOpgepakt">\s*<option value="" selected>niet van toepassing<\/option>\s*<option value="verhuisd">/);
});

t.test('a valid form: terugkoppeling given as the API would, gebeurtenis with kanaal portaal, a confirmation', async (t) => {
  const p = await bouwPortaal(t);
  const { id, token, cookie, csrf } = await open(p);
  const r = await p.vraag('POST', `/b/${token}/terugkoppeling`, { cookie, form: { ...GELDIG, _csrf: csrf } });
  t.equal(r.status, 200);
  t.match(r.tekst, 'Terugkoppeling ontvangen');
  t.match(r.tekst, 'Elan Wonen ontvangt uw terugkoppeling');
  t.match(r.tekst, 'op tijd');
  t.same(p.terugkoppeling.gegeven, [{
    meldingId: id,
    invoer: { contactGelegd: true, inBehandeling: true, incassoHervatten: false, hervattingBetalingOp: '2026-12-01',
      contactpogingen: ['2026-11-24', '2026-11-21'], betalingsafspraak: true, wilHulp: null, nietOpgepakt: null },
    door: { oin: GEMEENTE_OIN, kanaal: 'portaal' },
  }], 'the schema output, for the gemeente the melding was routed to');
  t.match((await p.gebeurtenissen(id)).map((g) => g.soort), ['ontvangen', 'gelezen', 'teruggekoppeld']);
  const daarna = await p.vraag('GET', `/b/${token}/bericht`, { cookie });
  t.match(daarna.tekst, 'Op dit bericht is al teruggekoppeld');
  t.notMatch(daarna.tekst, /name="contactGelegd"/, 'no second form');
  const nogmaals = await p.vraag('POST', `/b/${token}/terugkoppeling`, { cookie, form: { ...GELDIG, _csrf: csrf } });
  t.equal(nogmaals.status, 409, 'the service refuses a second answer');
  t.equal(p.terugkoppeling.gegeven.length, 1);
});

t.test('late feedback is accepted and said to be late', async (t) => {
  const p = await bouwPortaal(t);
  p.klok.nu = new Date(p.termijn.verstreken.getTime() + 10 * 3_600_000); // the day after terugkoppelingUiterlijk
  const o = await open(p);
  const laat = await p.vraag('POST', `/b/${o.token}/terugkoppeling`, { cookie: o.cookie, form: { ...GELDIG, _csrf: o.csrf } });
  t.equal(laat.status, 200);
  t.match(laat.tekst, `na de termijn (uiterlijk ${p.termijn.uiterlijkNl})`);
});

t.test('errors are shown at their fields, with a summary, and the values stay', async (t) => {
  const p = await bouwPortaal(t);
  const { id, token, cookie, csrf } = await open(p);
  const leeg = await p.vraag('POST', `/b/${token}/terugkoppeling`, { cookie, form: { _csrf: csrf } });
  t.equal(leeg.status, 400);
  t.match(leeg.tekst, '<title>Fout: Bericht van Elan Wonen');
  t.match(leeg.tekst, /<div class="foutoverzicht" role="alert"[^>]*>/);
  for (const veld of ['contactGelegd', 'inBehandeling', 'incassoHervatten']) {
    t.match(leeg.tekst, `<li><a href="#${veld}-ja">`, `${veld}: in the summary, linked to the field`);
    t.match(leeg.tekst, new RegExp(`<fieldset aria-describedby="(${veld}-hint )?${veld}-fout">`), `${veld}: error tied to the group`);
    t.match(leeg.tekst, new RegExp(`<p class="fouttekst" id="${veld}-fout"><span class="visueel-verborgen">Fout: </span>Kies ja of nee.</p>`));
  }
  t.match(leeg.tekst, 'Huurder', 'the melding is still shown');

  const fout = await p.vraag('POST', `/b/${token}/terugkoppeling`, {
    cookie, form: { ...GELDIG, contactpogingen: ['2026-11-24', '', '2026-02-30'], nietOpgepakt: 'verhuisd', _csrf: csrf },
  });
  t.equal(fout.status, 400);
  t.match(fout.tekst, /id="contactpogingen-2-fout"><span class="visueel-verborgen">Fout: <\/span>Vul een bestaande datum in\./, 'the third date input, not the second');
  t.match(fout.tekst, /type="date" id="contactpogingen-2" name="contactpogingen" value="2026-02-30" aria-describedby="contactpogingen-2-fout" aria-invalid="true"/);
  t.match(fout.tekst, 'kan niet in behandeling zijn', 'the schema rule: not picked up and in treatment exclude each other');
  t.match(fout.tekst, '<input type="radio" id="contactGelegd-ja" name="contactGelegd" value="ja" checked>', 'values kept');
  t.match(fout.tekst, '<option value="verhuisd" selected>');
  t.equal(p.terugkoppeling.gegeven.length, 0, 'nothing given');
  t.notMatch((await p.gebeurtenissen(id)).map((g) => g.soort), ['teruggekoppeld']);
});

t.test('CSRF: without the session token, or with another, nothing is recorded', async (t) => {
  const p = await bouwPortaal(t);
  const a = await open(p);
  const b = await open(p);
  for (const [naam, form] of [['without', { ...GELDIG }], ['wrong', { ...GELDIG, _csrf: 'x'.repeat(43) }], ['another session', { ...GELDIG, _csrf: b.csrf }]] as const) {
    const r = await p.vraag('POST', `/b/${a.token}/terugkoppeling`, { cookie: a.cookie, form });
    t.equal(r.status, 403, naam);
    t.match(r.tekst, 'Formulier verlopen');
  }
  t.equal(p.terugkoppeling.gegeven.length, 0);
  const zonderSessie = await p.vraag('POST', `/b/${a.token}/terugkoppeling`, { form: { ...GELDIG, _csrf: a.csrf } });
  t.equal(zonderSessie.status, 303, 'no session: back to the start');
  t.equal(p.terugkoppeling.gegeven.length, 0);
});
