// The figures page (roles coordinator, corporatie-medewerker, beheerder): the convenant's evaluation
// figures of a period (004 art. 9.2 and 9.5) from the report service, scoped as the API scopes them:
// a gemeente's coordinator sees its own wijkteams, a corporation its own meldingen, the beheerder the
// whole convenant. Server-rendered SVG charts (no script), each with a table of the same figures as
// its text alternative; the CSV is the API's. Small cells stay suppressed ("< 5"), and a share is only
// computed from cells that are not. A corporation delivers its own figures (art. 9.5.3) here too,
// through the same service and validation as POST /v1/rapportages/corporatiecijfers.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Reikwijdte } from '../../../diensten/rapportage.js';
import { lijngrafiek, maanden, nlGetal, slaPunt, staafgrafiek, type SlaPunt } from '../../../domain/grafiek.js';
import { DOELGROEPEN, periodeFouten, UITZETTINGSREDENEN, type Cijfers, type Getal, type Rapport } from '../../../domain/rapportage.js';
import { SignaalbrugError } from '../../../errors.js';
import type { Gebruiker, Paginas } from '../context.js';
import { amsterdamDatum, datum, formulier, foutoverzicht, param, tijdstip } from './_privacy.js';

const ROLLEN = ['coordinator', 'corporatie-medewerker', 'beheerder'] as const;

const DOELGROEP_LABELS: Record<(typeof DOELGROEPEN)[number], string> = {
  metKinderen: 'Huishoudens met kinderen', vijfenzestigPlus: '65-plussers', statushouders: 'Statushouders', alleenstaanden: 'Alleenstaanden', overig: 'Overige huishoudens',
};
const REDEN_LABELS: Record<(typeof UITZETTINGSREDENEN)[number], string> = {
  huurschuld: 'Huurschuld', overlast: 'Overlast', strafbaarFeit: 'Strafbaar feit', overig: 'Overige reden',
};
const BERICHTEN: Record<string, string> = {
  geleverd: 'Uw cijfers voor deze periode zijn ontvangen.',
  vervangen: 'Uw cijfers voor deze periode zijn vervangen door de nieuwe.',
};

const toon = (g: Getal | null): string => (g === null ? '-' : typeof g === 'number' ? nlGetal(g) : g);
const procent = (p: SlaPunt) => (p.procent !== null ? `${nlGetal(p.procent)}%` : p.reden === 'onderdrukt' ? 'onderdrukt' : 'geen');

/** A period of about half a year up to today when none is asked for: the months so far and the five before. */
function standaardPeriode(vandaag: string): { van: string; tot: string } {
  const [j, m] = vandaag.split('-').map(Number) as [number, number];
  const terug = m - 5;
  const van = terug >= 1 ? `${j}-${String(terug).padStart(2, '0')}-01` : `${j - 1}-${String(terug + 12).padStart(2, '0')}-01`;
  return { van, tot: vandaag };
}

/** A group's figures as one row of the summary table. */
function rij(naam: string, c: Cijfers<Getal>) {
  return {
    naam, meldingen: toon(c.meldingen), opTijd: toon(c.terugkoppeling.opTijd), teLaat: toon(c.terugkoppeling.teLaat),
    ontbreekt: toon(c.terugkoppeling.ontbreekt), binnenTermijn: toon(c.terugkoppeling.binnenTermijn), vervallen: toon(c.terugkoppeling.vervallen),
    percentage: procent(slaPunt(c.terugkoppeling)), mediaan: toon(c.werkdagenTotTerugkoppeling.mediaan), p90: toon(c.werkdagenTotTerugkoppeling.p90),
    escalaties: toon(c.escalaties.totaal), opgepakt: toon(c.escalaties.opgepakt), intrekkingen: toon(c.intrekkingen.totaal),
    herhaald: toon(c.herhaaldeMeldingen), ontruiming: toon(c.ontruimingsdatumBekend),
  };
}

const FORMULIER_VELDEN = [
  ...DOELGROEPEN.map((d) => ({ pad: ['huisuitzettingen', 'perDoelgroep', d] as const, id: `cijfers-perDoelgroep-${d}`, label: DOELGROEP_LABELS[d] })),
  ...UITZETTINGSREDENEN.map((r) => ({ pad: ['huisuitzettingen', 'perReden', r] as const, id: `cijfers-perReden-${r}`, label: REDEN_LABELS[r] })),
  { pad: ['sleutelsVrijwilligIngeleverd'] as const, id: 'cijfers-sleutelsVrijwilligIngeleverd', label: 'Sleutels vrijwillig ingeleverd' },
  { pad: ['huisuitzettingenVoorkomen'] as const, id: 'cijfers-huisuitzettingenVoorkomen', label: 'Huisuitzettingen voorkomen na een melding' },
];
const FORMULIER_LABELS: Record<string, string> = {
  'cijfers-van': 'Eerste dag', 'cijfers-tot': 'Laatste dag', 'cijfers-perReden': 'Huisuitzettingen per reden', 'cijfers-algemeen': 'Cijfers',
  ...Object.fromEntries(FORMULIER_VELDEN.map((v) => [v.id, v.label])),
};

/** Where the service's complaint about a field belongs on the form. */
function veldVan(naam: string): string {
  if (naam === 'van' || naam === 'tot') return `cijfers-${naam}`;
  const kort = naam.replace(/^huisuitzettingen\./, '');
  const id = `cijfers-${kort.replaceAll('.', '-')}`;
  return id in FORMULIER_LABELS ? id : 'cijfers-algemeen';
}

export default (async (app, ctx) => {
  const { sb } = ctx;
  const { rapportage } = sb.diensten;
  const basis = app.prefix;
  const organisaties = new Map(sb.config.organisaties.map((o) => [o.oin, o]));

  /** The scope of the figures, as the API's: the user's organisation must have the matching role in the config. */
  function reikwijdte(g: Gebruiker): Reikwijdte | undefined {
    if (g.rol === 'beheerder') return { rol: 'beheer' };
    const rol = organisaties.get(g.oin)?.rol;
    if (g.rol === 'coordinator' && rol === 'gemeente') return { rol: 'gemeente', oin: g.oin };
    if (g.rol === 'corporatie-medewerker' && rol === 'corporatie') return { rol: 'corporatie', oin: g.oin };
    return undefined;
  }

  function geenToegang(reply: FastifyReply, request: FastifyRequest, g: Gebruiker) {
    return ctx.pagina(reply, request, 'fout/geen-toegang', { titel: 'Geen toegang', rolNaam: g.rol }, 403);
  }

  async function cijfersPagina(reply: FastifyReply, request: FastifyRequest, g: Gebruiker, r: Reikwijdte, o: {
    periode: { van: string; tot: string }; formulierWaarden?: Record<string, string>; formulierFouten?: Record<string, string>; status?: number; bericht?: string | null;
  }) {
    const { van, tot } = o.periode;
    const rapport = await rapportage.evaluatie(van, tot, r);
    const perMaand: { label: string; rapport: Rapport }[] = [];
    for (const m of maanden(van, tot)) perMaand.push({ label: m.label, rapport: await rapportage.evaluatie(m.van, m.tot, r) });
    const k = rapport.kleinAantal;
    const periodeTekst = `${datum(van)} tot en met ${datum(tot)}`;

    // The SLA picture: per wijkteam for a gemeente and the beheerder, the corporation's own meldingen for a corporation.
    const reeksen = r.rol === 'corporatie'
      ? [{ naam: 'Uw meldingen', punten: perMaand.map((m) => slaPunt(m.rapport.perCorporatie.find((c) => c.sleutel === r.oin)!.cijfers.terugkoppeling)) }]
      : rapport.perWijkteam.map((w) => ({ naam: w.naam, punten: perMaand.map((m) => slaPunt(m.rapport.perWijkteam.find((x) => x.sleutel === w.sleutel)!.cijfers.terugkoppeling)) }));
    const slaGrafiek = lijngrafiek({
      id: 'grafiek-sla', titel: `Terugkoppeling op tijd per maand, ${periodeTekst}`,
      beschrijving: `Lijngrafiek: per maand het percentage meldingen met een eerste terugkoppeling binnen de termijn, ${r.rol === 'corporatie' ? 'voor uw meldingen' : `per wijkteam (${reeksen.length})`}. `
        + `Een maand zonder beslist geval of met te kleine aantallen heeft geen punt. De cijfers staan in de tabel onder de grafiek.`,
      categorieen: perMaand.map((m) => m.label),
      reeksen: reeksen.map((s) => ({ naam: s.naam, waarden: s.punten.map((p) => p.procent) })),
    });
    const eigenGroep = r.rol === 'corporatie' ? rapport.perCorporatie.filter((c) => c.sleutel === r.oin) : [];
    const meldingenGrafiek = staafgrafiek({
      id: 'grafiek-meldingen', titel: `Meldingen per maand, ${periodeTekst}`,
      beschrijving: `Staafgrafiek van het aantal ontvangen meldingen per maand. Aantallen van 1 tot ${k} staan er als "< ${k}", zonder staaf. De cijfers staan ook in de tabel.`,
      staven: perMaand.map((m) => ({ label: m.label, waarde: m.rapport.totaal.meldingen })),
    });
    const eigenCijfers = r.rol === 'corporatie' ? rapport.corporatieCijfers.find((c) => c.sleutel === r.oin) ?? null : null;
    const uitzettingenGrafiek = eigenCijfers ? staafgrafiek({
      id: 'grafiek-uitzettingen', titel: `Huisuitzettingen per doelgroep, ${periodeTekst}`,
      beschrijving: 'Staafgrafiek van de huisuitzettingen die uw corporatie aanleverde, per doelgroep (convenant art. 9.5.3). De cijfers staan ook in de tabel.',
      staven: DOELGROEPEN.map((d) => ({ label: DOELGROEP_LABELS[d], waarde: eigenCijfers.huisuitzettingen.perDoelgroep[d] })),
    }) : null;

    const fouten = o.formulierFouten ?? {};
    const w = o.formulierWaarden ?? {};
    const overzicht = foutoverzicht(fouten, FORMULIER_LABELS);
    const veld = (v: (typeof FORMULIER_VELDEN)[number]) => ({ id: v.id, naam: v.pad.join('.'), label: v.label, waarde: w[v.pad.join('.')] ?? '', fout: fouten[v.id] ?? null });
    const csv = `${basis}/cijfers.csv?van=${encodeURIComponent(van)}&tot=${encodeURIComponent(tot)}`;
    return ctx.pagina(reply, request, 'cijfers/cijfers', {
      titel: `${overzicht || o.status === 400 ? 'Fout: ' : ''}Cijfers`,
      wie: r.rol === 'beheer' ? 'het hele convenant' : organisaties.get(r.oin)?.naam ?? r.oin,
      actie: `${basis}/cijfers`, van, tot, vanFout: null, totFout: null, periodeTekst, opgesteld: tijdstip(rapport.opgesteldOp), kleinAantal: k, csv,
      bericht: o.bericht ?? null, formulierFouten: overzicht,
      slaGrafiek, meldingenGrafiek, uitzettingenGrafiek,
      maanden: perMaand.map((m) => m.label),
      slaRijen: reeksen.map((s) => ({ naam: s.naam, cellen: s.punten.map(procent) })),
      meldingenRijen: perMaand.map((m) => ({ label: m.label, waarde: toon(m.rapport.totaal.meldingen) })),
      groepTitel: r.rol === 'corporatie' ? 'Uw meldingen' : 'Per wijkteam',
      groepen: [...(r.rol === 'corporatie' ? eigenGroep : rapport.perWijkteam).map((x) => rij(x.naam, x.cijfers)),
        ...(r.rol === 'corporatie' ? [] : [rij('Totaal', rapport.totaal)])],
      eigen: eigenCijfers ? {
        perioden: eigenCijfers.perioden.map((p) => `${datum(p.van)} tot en met ${datum(p.tot)}`),
        totaal: toon(eigenCijfers.huisuitzettingen.totaal),
        perDoelgroep: DOELGROEPEN.map((d) => ({ label: DOELGROEP_LABELS[d], waarde: toon(eigenCijfers.huisuitzettingen.perDoelgroep[d]) })),
        perReden: UITZETTINGSREDENEN.map((x) => ({ label: REDEN_LABELS[x], waarde: toon(eigenCijfers.huisuitzettingen.perReden[x]) })),
        sleutels: toon(eigenCijfers.sleutelsVrijwilligIngeleverd), voorkomen: toon(eigenCijfers.huisuitzettingenVoorkomen),
      } : null,
      formulier: r.rol === 'corporatie' ? {
        actie: `${basis}/cijfers/corporatiecijfers`, csrf: ctx.csrf(reply),
        van: w.van ?? van, tot: w.tot ?? tot, vanFout: fouten['cijfers-van'] ?? null, totFout: fouten['cijfers-tot'] ?? null,
        algemeenFout: fouten['cijfers-algemeen'] ?? null, perRedenFout: fouten['cijfers-perReden'] ?? null,
        doelgroepen: FORMULIER_VELDEN.filter((v) => v.pad[1] === 'perDoelgroep').map(veld),
        redenen: FORMULIER_VELDEN.filter((v) => v.pad[1] === 'perReden').map(veld),
        overig: FORMULIER_VELDEN.filter((v) => v.pad.length === 1).map(veld),
      } : null,
    }, o.status ?? 200);
  }

  /** The period asked for; its errors as the page shows them next to the fields. */
  function leesPeriode(query: unknown) {
    const vandaag = amsterdamDatum(sb.klok());
    const van = param(query, 'van');
    const tot = param(query, 'tot');
    if (van === undefined && tot === undefined) return { periode: standaardPeriode(vandaag), fouten: [] };
    return { periode: { van: van ?? '', tot: tot ?? '' }, fouten: periodeFouten(van, tot) };
  }

  app.get('/cijfers', async (request, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    const r = reikwijdte(g);
    if (!r) return geenToegang(reply, request, g);
    reply.header('Cache-Control', 'no-store');
    const { periode, fouten } = leesPeriode(request.query);
    if (fouten.length) {
      const per = Object.fromEntries(fouten.map((f) => [f.name, f.reason]));
      return ctx.pagina(reply, request, 'cijfers/periode-fout', {
        titel: 'Fout: Cijfers', actie: `${basis}/cijfers`, van: periode.van, tot: periode.tot,
        vanFout: per.van ?? null, totFout: per.tot ?? null,
        fouten: fouten.map((f) => ({ href: `#periode-${f.name}`, tekst: `${f.name === 'van' ? 'Van' : 'Tot en met'}: ${f.reason}` })),
      }, 400);
    }
    const bericht = param(request.query, 'bericht');
    return cijfersPagina(reply, request, g, r, { periode, bericht: bericht ? BERICHTEN[bericht] ?? null : null });
  });

  // The same figures as CSV: the API's rendering, one figure per row.
  app.get('/cijfers.csv', async (request, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    const r = reikwijdte(g);
    if (!r) return geenToegang(reply, request, g);
    const { periode, fouten } = leesPeriode(request.query);
    if (fouten.length) return reply.redirect(`${basis}/cijfers?van=${encodeURIComponent(periode.van)}&tot=${encodeURIComponent(periode.tot)}`, 303);
    const rapport = await rapportage.evaluatie(periode.van, periode.tot, r);
    return reply.header('Cache-Control', 'no-store').type('text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="evaluatie-${rapport.periode.van}-${rapport.periode.tot}.csv"`)
      .send(rapportage.csv(rapport));
  });

  // 004 art. 9.5.3: the corporation's own counts for one period, as the API takes them.
  app.post('/cijfers/corporatiecijfers', async (request, reply) => {
    const g = await ctx.gebruiker(request, reply, ['corporatie-medewerker']);
    if (!g) return reply;
    const r = reikwijdte(g);
    if (!r || r.rol !== 'corporatie') return geenToegang(reply, request, g);
    const f = formulier(request.body);
    const fouten: Record<string, string> = {};
    const invoer: Record<string, unknown> = { van: (f.van ?? '').trim(), tot: (f.tot ?? '').trim(), huisuitzettingen: { perDoelgroep: {}, perReden: {} } };
    for (const v of FORMULIER_VELDEN) {
      const tekst = (f[v.pad.join('.')] ?? '').trim();
      if (!tekst) fouten[v.id] = 'vul een aantal in (0 als er geen waren)';
      else if (!/^\d{1,7}$/.test(tekst)) fouten[v.id] = 'vul een geheel aantal in, 0 of meer';
      let doel = invoer;
      for (const stap of v.pad.slice(0, -1)) doel = doel[stap] as Record<string, unknown>;
      doel[v.pad.at(-1)!] = /^\d{1,7}$/.test(tekst) ? Number(tekst) : tekst;
    }
    let geleverd: { nieuw: boolean } | undefined;
    try {
      // The service checks everything again (the period, the sums), with the API's messages.
      if (!Object.keys(fouten).length) geleverd = await rapportage.leverCorporatieCijfers(g.oin, invoer);
    } catch (err) {
      if (!(err instanceof SignaalbrugError) || err.code !== 'SB_ONGELDIGE_INVOER') throw err;
      for (const p of err.invalidParams ?? []) fouten[veldVan(p.name)] ??= p.reason;
      if (!Object.keys(fouten).length) fouten['cijfers-algemeen'] = err.detail;
    }
    if (!geleverd) {
      const periode = periodeFouten(invoer.van as string, invoer.tot as string).length ? leesPeriode({}).periode : { van: invoer.van as string, tot: invoer.tot as string };
      return cijfersPagina(reply, request, g, r, { periode, formulierWaarden: f, formulierFouten: fouten, status: 400 });
    }
    const q = `van=${encodeURIComponent(invoer.van as string)}&tot=${encodeURIComponent(invoer.tot as string)}`;
    return reply.redirect(`${basis}/cijfers?${q}&bericht=${geleverd.nieuw ? 'geleverd' : 'vervangen'}#eigen-cijfers`, 303);
  });
}) satisfies Paginas;
