// The privacy officer's pages (role privacy-officer, of a corporation or a gemeente): the logboek
// dataverwerkingen searched by melding or by data subject (pseudonym, or corporation and
// relatienummer), the tenant's requests for inzage and erasure (AVG art. 15 and 17), and the breach
// register (004 Bijlage 1 art. 9.3). The same services as the CLI's `logboek`, `inzage`, `verwijder`
// and `datalek`, each limited to the officer's organisation: the cases it sent or that were routed to
// its wijkteams, and the breaches it registered (plus the operator's). A melding or breach of another
// organisation does not exist here (404). A relatienummer or pseudonym never goes into a URL: those
// searches are POSTed. Every inzage is a logboek record with the organisation and the user's
// pseudonymous id.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isMelder } from '../../../config.js';
import { ARTIKEL_9_3, type Datalek, type DatalekVan } from '../../../diensten/datalekken.js';
import type { Verwerking } from '../../../domain/verwerking.js';
import { SignaalbrugError } from '../../../errors.js';
import type { Gebruiker, Paginas } from '../context.js';
import { alsInvoerMoment, datum, formulier, foutoverzicht, leesInvoerMoment, param, RELATIENUMMER, tijdstip } from './_privacy.js';

const ROLLEN = ['privacy-officer'] as const;
/** The most logboek records one page shows; the CLI gives them all. */
const MAX_RECORDS = 500;

const HANDELINGEN: Record<string, string> = {
  'melding-ontvangen': 'Melding ontvangen', 'melding-bezorgd': 'Bericht bezorgd', 'melding-gelezen': 'Melding gelezen',
  'terugkoppeling-ontvangen': 'Terugkoppeling ontvangen', 'melding-geescaleerd': 'Geëscaleerd', 'melding-ingetrokken': 'Ingetrokken',
  'melding-afgesloten': 'Afgesloten', 'gegevens-verwijderd': 'Gegevens verwijderd', 'inzage-verstrekt': 'Inzage verstrekt',
  'terugkoppeling-gewijzigd': 'Terugkoppeling gewijzigd', 'escalatie-opgepakt': 'Escalatie opgepakt', 'escalatie-uitkomst': 'Uitkomst escalatie',
  'aanvulling-ontvangen': 'Aanvulling ontvangen', 'ddas-geleverd': 'Geleverd aan DDAS (CBS)',
};

const UITKOMST_WISSEN: Record<string, string> = {
  gewist: 'De persoonsgegevens zijn verwijderd.', 'al-gewist': 'De persoonsgegevens waren al verwijderd.', onbekend: 'Deze melding bestaat niet meer.',
};

/** The fields of art. 9.3 in the form's order, with their label and kind. */
const DATALEKVELDEN: { naam: keyof Datalek; label: string; soort: 'tekst' | 'tekstvak' | 'moment' | 'janee'; verplicht?: boolean; hint?: string }[] = [
  { naam: 'aard', label: 'Aard van de inbreuk', soort: 'tekstvak', verplicht: true },
  { naam: 'oorzaak', label: 'Oorzaak', soort: 'tekstvak' },
  { naam: 'omvang', label: 'Omvang', soort: 'tekst', hint: 'Bijvoorbeeld het aantal betrokkenen of meldingen.' },
  { naam: 'plaatsgevondenVan', label: 'Plaatsgevonden vanaf', soort: 'moment', verplicht: true },
  { naam: 'plaatsgevondenTot', label: 'Plaatsgevonden tot en met', soort: 'moment', hint: 'Leeg laten als het nog niet bekend is.' },
  { naam: 'bekendOp', label: 'Bekend geworden op', soort: 'moment', verplicht: true },
  { naam: 'categorieenBetrokkenen', label: 'Categorieën betrokkenen', soort: 'tekst', hint: 'Bijvoorbeeld huurders.' },
  { naam: 'soortGegevens', label: 'Soort persoonsgegevens', soort: 'tekst', hint: 'Bijvoorbeeld naam en adres.' },
  { naam: 'versleuteld', label: 'Waren de gegevens versleuteld?', soort: 'janee' },
  { naam: 'versleuteldToelichting', label: 'Toelichting op de versleuteling', soort: 'tekstvak' },
  { naam: 'contact', label: 'Contactpersoon', soort: 'tekst', hint: 'Bijvoorbeeld de functionaris gegevensbescherming en een e-mailadres.' },
  { naam: 'gevolgen', label: 'Mogelijke gevolgen voor betrokkenen', soort: 'tekstvak' },
  { naam: 'maatregelen', label: 'Genomen en voorgestelde maatregelen', soort: 'tekstvak' },
  { naam: 'gemeldBijAp', label: 'Gemeld bij de Autoriteit Persoonsgegevens?', soort: 'janee' },
  { naam: 'redenAp', label: 'Reden (niet) melden bij de Autoriteit Persoonsgegevens', soort: 'tekstvak' },
];
const LETTERS: Record<string, string> = {
  a: 'Aard, oorzaak en omvang', b: 'Wanneer het plaatsvond', c: 'Wanneer het bekend werd', d: 'Betrokkenen', e: 'Persoonsgegevens',
  f: 'Versleuteling', g: 'Contact', h: 'Gevolgen', i: 'Maatregelen', j: 'Autoriteit Persoonsgegevens',
};
const veldId = (naam: string) => `datalek-${naam}`;
const JANEE = [{ waarde: 'ja', label: 'Ja' }, { waarde: 'nee', label: 'Nee' }, { waarde: 'onbekend', label: 'Onbekend' }];

const alsTekst = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** Every leaf of a document as a row: a dotted path and its value (for the inzage's data as sent). */
function regels(o: unknown, pad = ''): { veld: string; waarde: string }[] {
  if (o === null || typeof o !== 'object') return pad ? [{ veld: pad, waarde: alsTekst(o) }] : [];
  if (Array.isArray(o)) return o.flatMap((x, i) => regels(x, `${pad}[${i + 1}]`));
  return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => regels(v, pad ? `${pad}.${k}` : k));
}

export default (async (app, ctx) => {
  const { sb } = ctx;
  const { rechten, datalekken } = sb.diensten;
  const basis = app.prefix;
  const organisaties = new Map(sb.config.organisaties.map((o) => [o.oin, o]));
  // A signal partner's customer has the same rights as a corporation's tenant.
  const corporaties = sb.config.organisaties.filter(isMelder);
  const naamVan = (oin: string | undefined) => (oin ? organisaties.get(oin)?.naam ?? oin : '');
  const verzoeker = (g: Gebruiker) => ({ organisatie: g.oin, gebruiker: g.id });
  const isCorporatie = (g: Gebruiker) => organisaties.get(g.oin)?.rol === 'corporatie';
  const links = {
    start: `${basis}/privacy`, logboek: `${basis}/privacy/logboek`, inzage: `${basis}/privacy/inzage`,
    verwijderen: `${basis}/privacy/verwijderen`, datalekken: `${basis}/privacy/datalekken`, nieuwDatalek: `${basis}/privacy/datalekken/nieuw`,
  };

  function nietGevonden(reply: FastifyReply, request: FastifyRequest) {
    return ctx.pagina(reply, request, 'fout/niet-gevonden', { titel: 'Niet gevonden' }, 404);
  }

  /** Whose tenant: a corporation officer asks about its own tenants; a gemeente's chooses the corporation. */
  function betrokkeneVelden(g: Gebruiker, waarden: Record<string, string>, fouten: Record<string, string>, prefix: string) {
    const eigen = isCorporatie(g);
    return {
      eigenCorporatie: eigen ? naamVan(g.oin) : null,
      corporatieId: `${prefix}-corporatie`, relatienummerId: `${prefix}-relatienummer`,
      corporaties: eigen ? [] : corporaties.map((c) => ({ waarde: c.oin, label: c.naam, gekozen: waarden.corporatie === c.oin })),
      relatienummer: waarden.relatienummer ?? '',
      corporatieFout: fouten[`${prefix}-corporatie`] ?? null, relatienummerFout: fouten[`${prefix}-relatienummer`] ?? null,
    };
  }

  /** The data subject named in a form: the corporation (the officer's own, or chosen) and its relatienummer. */
  function leesBetrokkene(g: Gebruiker, f: Record<string, string>, prefix: string) {
    const fouten: Record<string, string> = {};
    const corporatie = isCorporatie(g) ? g.oin : (f.corporatie ?? '').trim();
    const relatienummer = (f.relatienummer ?? '').trim();
    if (!corporaties.some((c) => c.oin === corporatie)) fouten[`${prefix}-corporatie`] = 'kies de woningcorporatie van de huurder';
    if (!relatienummer) fouten[`${prefix}-relatienummer`] = 'vul het relatienummer in';
    else if (!RELATIENUMMER.test(relatienummer)) fouten[`${prefix}-relatienummer`] = 'een relatienummer bestaat uit letters, cijfers en -, hoogstens 32 tekens';
    return { corporatie, relatienummer, fouten };
  }

  const LABELS = (prefix: string): Record<string, string> => ({ [`${prefix}-corporatie`]: 'Woningcorporatie', [`${prefix}-relatienummer`]: 'Relatienummer' });

  function recordModel(r: Verwerking) {
    const a = r.attributes;
    const melding = a['dpl.signaalbrug.melding_id'];
    return {
      tijdstip: tijdstip(r.endTime), handeling: HANDELINGEN[r.name] ?? r.name,
      melding: melding ?? null, meldingLink: melding ? `${links.logboek}?melding=${encodeURIComponent(melding)}` : null,
      door: naamVan(a['dpl.signaalbrug.organisatie_oin']), kanaal: a['dpl.signaalbrug.kanaal'] ?? '',
      gebruiker: a['dpl.signaalbrug.gebruiker'] ?? '', pseudoniem: a['dpl.core.data_subject_id'] ?? '',
    };
  }

  async function records(bron: AsyncIterable<Verwerking>) {
    const uit: ReturnType<typeof recordModel>[] = [];
    let totaal = 0;
    for await (const r of bron) {
      totaal++;
      if (uit.length < MAX_RECORDS) uit.push(recordModel(r));
    }
    return { records: uit, totaal, afgekapt: totaal > MAX_RECORDS };
  }

  // ---------------------------------------------------------------------------------------------
  // The logboek
  // ---------------------------------------------------------------------------------------------

  function zoekPagina(reply: FastifyReply, request: FastifyRequest, g: Gebruiker, o: {
    waarden?: Record<string, string>; fouten?: Record<string, string>; resultaat?: Awaited<ReturnType<typeof records>> & { gezocht: string }; status?: number;
  } = {}) {
    const waarden = o.waarden ?? {};
    const fouten = o.fouten ?? {};
    const overzicht = foutoverzicht(fouten, { 'zoek-melding': 'Meldingnummer', 'zoek-pseudoniem': 'Pseudoniem', 'zoek-wat': 'Zoeken op', ...LABELS('zoek') });
    return ctx.pagina(reply, request, 'privacy/zoeken', {
      titel: `${overzicht ? 'Fout: ' : ''}Privacy: logboek dataverwerkingen`, organisatie: naamVan(g.oin), links, csrf: ctx.csrf(reply),
      fouten: overzicht, melding: waarden.melding ?? '', meldingFout: fouten['zoek-melding'] ?? null,
      pseudoniem: waarden.pseudoniem ?? '', pseudoniemFout: fouten['zoek-pseudoniem'] ?? null, watFout: fouten['zoek-wat'] ?? null,
      wat: ['melding', 'pseudoniem', 'relatienummer'].map((w) => ({ waarde: w, gekozen: (waarden.wat ?? 'melding') === w })),
      ...betrokkeneVelden(g, waarden, fouten, 'zoek'),
      resultaat: o.resultaat ?? null,
    }, o.status ?? 200);
  }

  app.get('/privacy', async (request, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    return zoekPagina(reply, request, g);
  });

  // By melding: an id may be in a URL (links from the results and the breach register).
  app.get('/privacy/logboek', async (request, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    const melding = param(request.query, 'melding');
    if (!melding) return reply.redirect(links.start, 303);
    if (!(await rechten.meldingVan(melding, verzoeker(g)))) return nietGevonden(reply, request);
    const resultaat = { ...(await records(rechten.logboek({ melding }, verzoeker(g)))), gezocht: `melding ${melding}` };
    return zoekPagina(reply, request, g, { waarden: { wat: 'melding', melding }, resultaat });
  });

  app.post('/privacy/logboek', async (request, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    const f = formulier(request.body);
    const wat = f.wat ?? 'melding';
    const waarden = { ...f, wat };
    if (wat === 'melding') {
      const melding = (f.melding ?? '').trim();
      if (!melding) return zoekPagina(reply, request, g, { waarden, fouten: { 'zoek-melding': 'vul het meldingnummer in' }, status: 400 });
      if (!(await rechten.meldingVan(melding, verzoeker(g)))) return nietGevonden(reply, request);
      const resultaat = { ...(await records(rechten.logboek({ melding }, verzoeker(g)))), gezocht: `melding ${melding}` };
      return zoekPagina(reply, request, g, { waarden, resultaat });
    }
    if (wat === 'pseudoniem') {
      const pseudoniem = (f.pseudoniem ?? '').trim();
      if (!/^[A-Za-z0-9_=+/-]{16,128}$/.test(pseudoniem))
        return zoekPagina(reply, request, g, { waarden, fouten: { 'zoek-pseudoniem': pseudoniem ? 'dit is geen pseudoniem uit het logboek' : 'vul het pseudoniem in' }, status: 400 });
      const resultaat = { ...(await records(rechten.logboek({ betrokkene: pseudoniem }, verzoeker(g)))), gezocht: 'het pseudoniem' };
      return zoekPagina(reply, request, g, { waarden, resultaat });
    }
    if (wat === 'relatienummer') {
      const b = leesBetrokkene(g, f, 'zoek');
      if (Object.keys(b.fouten).length) return zoekPagina(reply, request, g, { waarden, fouten: b.fouten, status: 400 });
      const resultaat = { ...(await records(rechten.logboek({ corporatie: b.corporatie, relatienummer: b.relatienummer }, verzoeker(g)))), gezocht: 'de huurder' };
      return zoekPagina(reply, request, g, { waarden, resultaat });
    }
    return zoekPagina(reply, request, g, { waarden: { ...f, wat: 'melding' }, fouten: { 'zoek-wat': 'kies waarop u zoekt' }, status: 400 });
  });

  // ---------------------------------------------------------------------------------------------
  // Inzage (AVG art. 15)
  // ---------------------------------------------------------------------------------------------

  function inzageFormulier(reply: FastifyReply, request: FastifyRequest, g: Gebruiker, waarden: Record<string, string> = {}, fouten: Record<string, string> = {}, status = 200) {
    const overzicht = foutoverzicht(fouten, LABELS('inzage'));
    return ctx.pagina(reply, request, 'privacy/inzage', {
      titel: `${overzicht ? 'Fout: ' : ''}Privacy: verzoek om inzage`, links, csrf: ctx.csrf(reply), actie: links.inzage,
      fouten: overzicht, ...betrokkeneVelden(g, waarden, fouten, 'inzage'),
    }, status);
  }

  app.get('/privacy/inzage', async (request, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    return inzageFormulier(reply, request, g);
  });

  app.post('/privacy/inzage', async (request, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    const f = formulier(request.body);
    const b = leesBetrokkene(g, f, 'inzage');
    if (Object.keys(b.fouten).length) return inzageFormulier(reply, request, g, f, b.fouten, 400);
    const inzage = await rechten.inzage(b.corporatie, b.relatienummer, verzoeker(g));
    // Personal data of a tenant: never kept by a cache on the way.
    reply.header('Cache-Control', 'no-store');
    if (f.formaat === 'json') {
      return reply.type('application/json; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="inzage-${inzage.opgesteldOp.slice(0, 10)}.json"`)
        .send(`${JSON.stringify(inzage, null, 2)}\n`);
    }
    return ctx.pagina(reply, request, 'privacy/inzage-resultaat', {
      titel: 'Privacy: inzage', links, csrf: ctx.csrf(reply), actie: links.inzage,
      corporatie: inzage.betrokkene.corporatie.naam, relatienummer: inzage.betrokkene.relatienummer, pseudoniem: inzage.betrokkene.pseudoniem,
      corporatieOin: inzage.betrokkene.corporatie.oin, opgesteld: tijdstip(inzage.opgesteldOp),
      leeg: inzage.meldingen.length === 0,
      meldingen: inzage.meldingen.map((m) => ({
        id: m.id, soort: m.soort, status: m.status, ontvangen: tijdstip(m.ontvangenOp), uiterlijk: datum(m.terugkoppelingUiterlijk),
        herkomst: `${m.herkomst.organisatie}, ${m.herkomst.kanaal}`, doel: m.doel,
        gegevens: regels(m.gegevens), terugkoppeling: m.terugkoppeling ? regels(m.terugkoppeling) : null,
        ontvangers: m.ontvangers.map((o) => ({ op: tijdstip(o.op), organisatie: alsTekst(o.organisatie), kanaal: alsTekst(o.kanaal), doel: alsTekst('doel' in o ? o.doel : o.wat) })),
        gebeurtenissen: m.gebeurtenissen.map((e) => ({ op: tijdstip(e.op), soort: e.soort })),
        bewaardTot: m.bewaardUiterlijkTot ? tijdstip(m.bewaardUiterlijkTot) : 'niet gepland',
      })),
      verwerkingen: inzage.verwerkingen.map(recordModel),
    });
  });

  // ---------------------------------------------------------------------------------------------
  // Erasure (AVG art. 17): first what would go, then a confirmation
  // ---------------------------------------------------------------------------------------------

  function verwijderFormulier(reply: FastifyReply, request: FastifyRequest, g: Gebruiker, waarden: Record<string, string> = {}, fouten: Record<string, string> = {}, status = 200) {
    const overzicht = foutoverzicht(fouten, LABELS('verwijder'));
    return ctx.pagina(reply, request, 'privacy/verwijderen', {
      titel: `${overzicht ? 'Fout: ' : ''}Privacy: verzoek om verwijdering`, links, csrf: ctx.csrf(reply), actie: links.verwijderen,
      fouten: overzicht, ...betrokkeneVelden(g, waarden, fouten, 'verwijder'),
    }, status);
  }

  app.get('/privacy/verwijderen', async (request, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    return verwijderFormulier(reply, request, g);
  });

  app.post('/privacy/verwijderen', async (request, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    const f = formulier(request.body);
    const b = leesBetrokkene(g, f, 'verwijder');
    if (Object.keys(b.fouten).length) return verwijderFormulier(reply, request, g, f, b.fouten, 400);
    reply.header('Cache-Control', 'no-store');
    const bevestigen = async (fout: string | null, status: number) => {
      const gevonden = await rechten.gevonden(b.corporatie, b.relatienummer, verzoeker(g));
      return ctx.pagina(reply, request, 'privacy/verwijderen-bevestigen', {
        titel: `${fout ? 'Fout: ' : ''}Privacy: verwijdering bevestigen`, links, csrf: ctx.csrf(reply), actie: links.verwijderen,
        fouten: fout ? [{ href: '#verwijder-bevestig', tekst: `Bevestiging: ${fout}` }] : null, bevestigFout: fout,
        corporatie: naamVan(b.corporatie), corporatieOin: b.corporatie, relatienummer: b.relatienummer,
        leeg: gevonden.length === 0,
        meldingen: gevonden.map((c) => ({ id: c.id, soort: c.soort, status: c.status, ontvangen: tijdstip(c.ontvangenOp), verwijderd: c.verwijderdOp ? tijdstip(c.verwijderdOp) : null })),
      }, status);
    };
    if (f.stap !== 'bevestig') return bevestigen(null, 200);
    if (f.bevestig !== 'ja') return bevestigen('vink aan dat u de persoonsgegevens wilt verwijderen', 400);
    const uitkomst = await rechten.verwijder(b.corporatie, b.relatienummer, verzoeker(g));
    return ctx.pagina(reply, request, 'privacy/verwijderd', {
      titel: 'Privacy: verwijderd', links, corporatie: naamVan(b.corporatie), verwijderd: tijdstip(uitkomst.verwijderdOp),
      leeg: uitkomst.meldingen.length === 0,
      meldingen: uitkomst.meldingen.map((m) => ({
        id: m.id, uitkomst: UITKOMST_WISSEN[m.uitkomst] ?? m.uitkomst,
        alBezorgdBij: m.alBezorgdBij.map((o) => ({ organisatie: alsTekst(o.organisatie), mailbox: o.mailbox ?? '', op: tijdstip(o.op) })),
      })),
      doorsturen: uitkomst.doorsturen !== null,
    });
  });

  // ---------------------------------------------------------------------------------------------
  // The breach register (004 Bijlage 1 art. 9.3)
  // ---------------------------------------------------------------------------------------------

  function datalekGroepen(waarden: Record<string, string>, fouten: Record<string, string>) {
    const groepen = new Map<string, unknown[]>();
    for (const v of DATALEKVELDEN) {
      const letter = ARTIKEL_9_3[v.naam];
      const id = veldId(v.naam);
      const waarde = waarden[v.naam] ?? '';
      const veld = {
        id, naam: v.naam, label: v.label, verplicht: Boolean(v.verplicht), hint: v.hint ?? null, fout: fouten[id] ?? null, waarde,
        beschreven: [v.hint ? `${id}-hint` : '', fouten[id] ? `${id}-fout` : ''].filter(Boolean).join(' ') || null,
        tekst: v.soort === 'tekst', tekstvak: v.soort === 'tekstvak', moment: v.soort === 'moment', janee: v.soort === 'janee',
        keuzes: v.soort === 'janee' ? JANEE.map((k) => ({ ...k, id: `${id}-${k.waarde}`, gekozen: waarde === k.waarde })) : [],
      };
      groepen.set(letter, [...(groepen.get(letter) ?? []), veld]);
    }
    return [...groepen].map(([letter, velden]) => ({ legend: `${letter}. ${LETTERS[letter]}`, velden }));
  }

  const DATALEK_LABELS = Object.fromEntries(DATALEKVELDEN.map((v) => [veldId(v.naam), v.label]));

  /** The form's values as a record: empty text is null (not known yet), moments in Amsterdam time. */
  function leesDatalek(f: Record<string, string>): { d: Partial<Datalek>; fouten: Record<string, string> } {
    const d: Record<string, unknown> = {};
    const fouten: Record<string, string> = {};
    for (const v of DATALEKVELDEN) {
      const w = (f[v.naam] ?? '').trim();
      const id = veldId(v.naam);
      if (!w) {
        if (v.verplicht) fouten[id] = v.soort === 'moment' ? 'vul datum en tijd in' : 'vul dit in';
        d[v.naam] = null;
      } else if (v.soort === 'moment') {
        const m = leesInvoerMoment(w);
        if (!m) fouten[id] = 'vul een bestaande datum en tijd in (dd-mm-jjjj uu:mm)';
        else d[v.naam] = m.toISOString();
      } else if (v.soort === 'janee') {
        if (!['ja', 'nee', 'onbekend'].includes(w)) fouten[id] = 'kies ja, nee of onbekend';
        d[v.naam] = w === 'ja' ? true : w === 'nee' ? false : null;
      } else if (w.length > 4000) {
        fouten[id] = 'hoogstens 4000 tekens';
      } else d[v.naam] = w;
    }
    if (typeof d.plaatsgevondenVan === 'string' && typeof d.plaatsgevondenTot === 'string' && d.plaatsgevondenTot < d.plaatsgevondenVan)
      fouten[veldId('plaatsgevondenTot')] = 'ligt vóór het begin';
    return { d: d as Partial<Datalek>, fouten };
  }

  /** A record as the form's values. */
  function alsWaarden(d: DatalekVan): Record<string, string> {
    const w: Record<string, string> = {};
    for (const v of DATALEKVELDEN) {
      const x = d[v.naam];
      w[v.naam] = v.soort === 'moment' ? alsInvoerMoment(x as string | null) : v.soort === 'janee' ? (x === true ? 'ja' : x === false ? 'nee' : 'onbekend') : x === null ? '' : String(x);
    }
    return w;
  }

  app.get('/privacy/datalekken', async (request, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    const lijst = await datalekken.lijstVoor(g.oin);
    return ctx.pagina(reply, request, 'privacy/datalekken', {
      titel: 'Privacy: datalekken', links, leeg: lijst.length === 0,
      datalekken: lijst.map((d) => ({
        link: `${links.datalekken}/${d.id}`, aard: d.aard.length > 80 ? `${d.aard.slice(0, 77)}…` : d.aard,
        bekend: tijdstip(d.bekendOp), geregistreerd: tijdstip(d.geregistreerdOp), door: d.organisatie ? naamVan(d.organisatie) : 'Beheer van Signaalbrug',
        ontbreekt: datalekken.ontbreekt(d).length, volledig: datalekken.ontbreekt(d).length === 0,
      })),
    });
  });

  function datalekFormulier(reply: FastifyReply, request: FastifyRequest, waarden: Record<string, string>, fouten: Record<string, string>, status: number) {
    const overzicht = foutoverzicht(fouten, DATALEK_LABELS);
    return ctx.pagina(reply, request, 'privacy/datalek-nieuw', {
      titel: `${overzicht ? 'Fout: ' : ''}Privacy: datalek registreren`, links, csrf: ctx.csrf(reply), actie: links.datalekken,
      fouten: overzicht, groepen: datalekGroepen(waarden, fouten),
    }, status);
  }

  app.get('/privacy/datalekken/nieuw', async (request, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    return datalekFormulier(reply, request, { versleuteld: 'onbekend', gemeldBijAp: 'onbekend' }, {}, 200);
  });

  app.post('/privacy/datalekken', async (request, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    const f = formulier(request.body);
    const { d, fouten } = leesDatalek(f);
    if (Object.keys(fouten).length) return datalekFormulier(reply, request, f, fouten, 400);
    const lek = await datalekken.registreerVoor(g.oin, d);
    return reply.redirect(`${links.datalekken}/${lek.id}?bericht=geregistreerd`, 303);
  });

  async function datalekPagina(reply: FastifyReply, request: FastifyRequest, g: Gebruiker, d: DatalekVan, o: { waarden?: Record<string, string>; fouten?: Record<string, string>; status?: number; bericht?: string | null } = {}) {
    const eigen = d.organisatie === g.oin;
    const ontbreekt = (Object.keys(ARTIKEL_9_3) as (keyof Datalek)[]).filter((k) => d[k] === null)
      .map((k) => `${ARTIKEL_9_3[k]}. ${DATALEKVELDEN.find((v) => v.naam === k)?.label ?? k}`);
    const getroffen = await datalekken.getroffen(new Date(d.plaatsgevondenVan), new Date(d.plaatsgevondenTot ?? d.bekendOp), d.bekendOp, g.oin);
    const fouten = o.fouten ?? {};
    const overzicht = foutoverzicht(fouten, DATALEK_LABELS);
    const uiterlijk = getroffen.partnersInformerenUiterlijk;
    return ctx.pagina(reply, request, 'privacy/datalek', {
      titel: `${overzicht ? 'Fout: ' : ''}Privacy: datalek`, links, csrf: ctx.csrf(reply), actie: `${links.datalekken}/${d.id}`,
      bericht: o.bericht ?? null, eigen, door: d.organisatie ? naamVan(d.organisatie) : 'Beheer van Signaalbrug',
      geregistreerd: tijdstip(d.geregistreerdOp), bijgewerkt: tijdstip(d.bijgewerktOp),
      velden: DATALEKVELDEN.map((v) => {
        const x = d[v.naam];
        return { letter: ARTIKEL_9_3[v.naam], label: v.label,
          waarde: x === null ? 'Nog niet ingevuld' : v.soort === 'moment' ? tijdstip(x) : v.soort === 'janee' ? (x ? 'Ja' : 'Nee') : String(x) };
      }),
      volledig: ontbreekt.length === 0, ontbreekt,
      informeren: uiterlijk ? tijdstip(uiterlijk) : '', informerenVerstreken: uiterlijk ? Date.parse(uiterlijk) < sb.klok().getTime() : false,
      getroffen: {
        aantal: getroffen.aantalMeldingen,
        meldingen: getroffen.meldingen.map((m) => ({
          id: m.id, link: `${links.logboek}?melding=${encodeURIComponent(m.id)}`, corporatie: naamVan(m.corporatie), soort: m.soort,
          ontvangen: tijdstip(m.ontvangenOp), verwijderd: m.verwijderdOp ? tijdstip(m.verwijderdOp) : 'nee',
        })),
      },
      fouten: overzicht, groepen: eigen ? datalekGroepen(o.waarden ?? alsWaarden(d), fouten) : [],
    }, o.status ?? 200);
  }

  app.get<{ Params: { id: string } }>('/privacy/datalekken/:id', async (request, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    const d = await datalekken.haalVoor(request.params.id, g.oin);
    if (!d) return nietGevonden(reply, request);
    const bericht = param(request.query, 'bericht');
    return datalekPagina(reply, request, g, d, {
      bericht: bericht === 'geregistreerd' ? 'Het datalek is geregistreerd.' : bericht === 'bijgewerkt' ? 'Het datalek is bijgewerkt.' : null,
    });
  });

  app.post<{ Params: { id: string } }>('/privacy/datalekken/:id', async (request, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    const d = await datalekken.haalVoor(request.params.id, g.oin);
    // Another organisation's breach does not exist here; the operator's is read-only here.
    if (!d || d.organisatie !== g.oin) return nietGevonden(reply, request);
    const f = formulier(request.body);
    const { d: wijziging, fouten } = leesDatalek(f);
    if (Object.keys(fouten).length) return datalekPagina(reply, request, g, d, { waarden: f, fouten, status: 400 });
    const bijgewerkt = await datalekken.werkBijVoor(d.id, g.oin, wijziging);
    if (!bijgewerkt) throw new SignaalbrugError('SB_NIET_GEVONDEN', 'datalek niet gevonden');
    return reply.redirect(`${links.datalekken}/${d.id}?bericht=bijgewerkt`, 303);
  });
}) satisfies Paginas;
