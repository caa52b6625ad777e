// The wijkteam's pages (roles wijkteam-medewerker: its own wijkteam; coordinator: every wijkteam of
// its gemeente): the work list with tabs (new, due today, overdue, escalated, answered) and filters
// (corporation, soort, deadline, wijkteam), and a melding's detail with the eerste terugkoppeling
// (DDAS) and eindresultaat forms of the portal (src/http/portaal/formulier.ts), calling the same
// service as the portal and the API. Outside the user's scope a melding does not exist (404).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { meldingAanWijkteamModel, sjabloonVan } from '../../../domain/berichten.js';
import { partnerVanSoort } from '../../../domain/signaal.js';
import { BETROKKENE_NOEMER } from '../../../domain/signaalpartner.js';
import { eindresultaatVoorCorporatie } from '../../../domain/ddas.js';
import type { Status } from '../../../domain/status.js';
import { naarTerugkoppeling } from '../../../domain/terugkoppeling.js';
import { WIJKTEAM_TABS, type Werkfilter, type WijkteamTab } from '../../../diensten/werklijsten.js';
import { SignaalbrugError } from '../../../errors.js';
import { eindresultaatModel, formulierModel, leesDatum, leesEindresultaat, leesTerugkoppeling, waardenVan, type Waarden } from '../../portaal/formulier.js';
import { standVan, terugkoppelingOverzicht } from '../../portaal/overzicht.js';
import { meldingSectie } from '../../portaal/paginas.js';
import type { Gebruiker, Paginas } from '../context.js';
import { amsterdamDatum, bereikVan, datum, formulierObject, kenmerk, leesVastleggen, moment, param, regelModel, soortLabel, STATUS_LABELS } from './_werk.js';

const ROLLEN = ['wijkteam-medewerker', 'coordinator'] as const;
type Verzoek = FastifyRequest<{ Params: { id: string } }>;

const TAB_LABELS: Record<WijkteamTab, string> = {
  nieuw: 'Nieuw', vandaag: 'Vandaag uiterlijk', 'over-tijd': 'Over tijd', geescaleerd: 'Geëscaleerd', beantwoord: 'Beantwoord', alle: 'Alle',
};
const BERICHTEN: Record<string, string> = {
  teruggekoppeld: 'De terugkoppeling is verstuurd. De corporatie krijgt bericht.',
  gewijzigd: 'De gewijzigde terugkoppeling is verstuurd. De corporatie krijgt opnieuw bericht.',
  afgesloten: 'Het eindresultaat is vastgelegd en de melding is afgesloten.',
};
const OPEN_VOOR_EINDRESULTAAT = ['teruggekoppeld', 'geescaleerd'];

interface Weergave { status?: number; formulier?: 'terugkoppeling' | 'eindresultaat'; waarden?: Waarden; fouten?: Record<string, string>; melding?: string | null; wijzigen?: boolean }

export default (async (app, ctx) => {
  const { sb } = ctx;
  const { werklijsten, lezen, terugkoppeling } = sb.diensten;
  const basis = app.prefix;

  app.get('/werklijst', async (request, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    const q = request.query;
    const tab = (WIJKTEAM_TABS.find((t) => t === param(q, 'tab')) ?? 'nieuw') as WijkteamTab;
    const corporaties = werklijsten.corporaties();
    const wijkteams = g.rol === 'coordinator' ? werklijsten.wijkteamsVan(g.oin) : [];
    const van = leesDatum(param(q, 'van') ?? '');
    const tot = leesDatum(param(q, 'tot') ?? '');
    const filter: Werkfilter = {
      tab,
      ...(corporaties.some((c) => c.oin === param(q, 'corporatie')) ? { corporatie: param(q, 'corporatie')! } : {}),
      ...(werklijsten.soorten.some((s) => s === param(q, 'soort')) ? { soort: param(q, 'soort') as Werkfilter['soort'] } : {}),
      ...(wijkteams.some((w) => w.id === param(q, 'wijkteam')) ? { wijkteam: param(q, 'wijkteam')! } : {}),
      ...(van ? { uiterlijkVan: van } : {}), ...(tot ? { uiterlijkTot: tot } : {}),
    };
    const lijst = await werklijsten.lijst(bereikVan(g), filter);
    const vandaag = amsterdamDatum(sb.klok());
    // The tab links keep the filters.
    const zoek = (t: string) => {
      const p = new URLSearchParams({ tab: t });
      for (const [k, v] of [['corporatie', filter.corporatie], ['soort', filter.soort], ['wijkteam', filter.wijkteam], ['van', van], ['tot', tot]] as const) if (v) p.set(k, v);
      return `${basis}/werklijst?${p}`;
    };
    const titel = g.rol === 'coordinator' ? `Werklijst van ${werklijsten.naam(g.oin)}` : `Werklijst van ${werklijsten.wijkteamNaam(g.wijkteam ?? '')}`;
    return ctx.pagina(reply, request, 'wijkteam/werklijst', {
      titel: `${titel}: ${TAB_LABELS[tab].toLowerCase()}`, kop: titel, actie: `${basis}/werklijst`, tab, tabNaam: TAB_LABELS[tab],
      tabs: WIJKTEAM_TABS.map((t) => ({ href: zoek(t), tekst: TAB_LABELS[t], aantal: lijst.tellingen[t] ?? 0, huidig: t === tab })),
      corporaties: corporaties.map((c) => ({ waarde: c.oin, label: c.naam, gekozen: c.oin === filter.corporatie })),
      soorten: werklijsten.soorten.map((s) => ({ waarde: s, label: soortLabel(s), gekozen: s === filter.soort })),
      wijkteams: wijkteams.length ? wijkteams.map((w) => ({ waarde: w.id, label: w.naam, gekozen: w.id === filter.wijkteam })) : null,
      van: van ?? '', tot: tot ?? '',
      regels: lijst.regels.map((r) => regelModel(r, { vandaag, link: `${basis}/werklijst/${r.id}`, corporatie: werklijsten.naam(r.oin), wijkteam: werklijsten.wijkteamNaam(r.wijkteam) })),
      leeg: lijst.regels.length === 0, totaal: lijst.totaal, afgekapt: lijst.afgekapt,
    });
  });

  /**
   * A reading of the melding: the first one while it is still new (ontvangen, verzonden) is the
   * `gelezen` event, whose logboek record names the person; every other one a logboek record of its
   * own. If the status moved on meanwhile (the event is refused), the reading is still recorded.
   */
  async function gelezen(request: FastifyRequest, id: string, status: Status, g: Gebruiker) {
    if (request.method !== 'HEAD' && (status === 'ontvangen' || status === 'verzonden')) {
      try {
        if (await sb.diensten.casussen.pasToe(id, { soort: 'gelezen', kanaal: 'werkplek', door: { oin: g.oin, gebruiker: g.id } })) return;
      } catch (err) {
        if (!(err instanceof SignaalbrugError && err.code === 'SB_CONFLICT')) throw err;
      }
    }
    await leesVastleggen(sb, request, id, g);
  }

  /** The melding as the wijkteam's mail shows it (personal data: a logboek record), with the forms that fit its status. */
  async function detail(reply: FastifyReply, request: Verzoek, g: Gebruiker, w: Weergave = {}) {
    const regel = await werklijsten.casus(request.params.id, bereikVan(g));
    const r = await lezen.melding(regel.id);
    if (!r) throw new SignaalbrugError('SB_NIET_GEVONDEN', 'melding niet gevonden');
    await gelezen(request, r.id, r.status, g);
    const t = lezen.berichtcasus(r);
    const mail = sb.sjablonen.render(sjabloonVan('melding-aan-wijkteam', t.gegevens), meldingAanWijkteamModel(t, null, (await lezen.herhaling(r.id)) ?? null));
    const stand = standVan(await lezen.gebeurtenissen(r.id));
    const k = await lezen.terugkoppeling(r.id);
    const e = r.status === 'afgesloten' ? await lezen.eindresultaat(r.id) : undefined;
    const fouten = w.fouten ?? {};
    const beantwoord = Boolean(k);
    const wijzigen = w.wijzigen || param(request.query, 'wijzigen') === '1';
    const toonFormulier = r.status !== 'afgesloten' && r.status !== 'ingetrokken' && (!beantwoord || wijzigen || w.formulier === 'terugkoppeling');
    const waarden = w.formulier === 'terugkoppeling' ? w.waarden : wijzigen && k ? waardenVan(k) : undefined;
    const eindresultaat = (!toonFormulier || !beantwoord) && OPEN_VOOR_EINDRESULTAAT.includes(r.status);
    const betrokkene = BETROKKENE_NOEMER[partnerVanSoort(r.soort)].enkelvoud;
    const formulierM = toonFormulier ? formulierModel(waarden, w.formulier === 'terugkoppeling' ? fouten : {}, { betrokkene }) : null;
    const eind = eindresultaat ? eindresultaatModel(w.formulier === 'eindresultaat' ? w.waarden : undefined, w.formulier === 'eindresultaat' ? fouten : {}) : null;
    const foutoverzicht = formulierM?.fouten ?? eind?.fouten ?? null;
    const vandaag = amsterdamDatum(sb.klok());
    return ctx.pagina(reply, request, 'wijkteam/melding', {
      titel: `${foutoverzicht ? 'Fout: ' : ''}Melding ${kenmerk(r.id)} van ${t.corporatie}`, kenmerk: kenmerk(r.id), corporatie: t.corporatie,
      betrokkene,
      terug: `${basis}/werklijst`, csrf: ctx.csrf(reply), fouten: foutoverzicht,
      bericht: w.melding ?? BERICHTEN[param(request.query, 'bericht') ?? ''] ?? null,
      soort: soortLabel(r.soort), status: STATUS_LABELS[r.status], wijkteam: t.wijkteam, ontvangen: moment(r.ontvangenOp),
      uiterlijk: beantwoord || r.status === 'afgesloten' || r.status === 'ingetrokken' ? null : datum(r.terugkoppelingUiterlijk),
      overTijd: !beantwoord && regel.open && r.terugkoppelingUiterlijk < vandaag,
      melding: meldingSectie(mail.html),
      gegeven: k ? {
        ...terugkoppelingOverzicht(k, betrokkene), verstuurdOp: moment(stand.teruggekoppeldOp ?? k.ontvangenOp), gewijzigdOp: stand.gewijzigdOp ? moment(stand.gewijzigdOp) : null,
        opTijd: k.opTijd, wijzig: r.status === 'teruggekoppeld' && !toonFormulier ? `${basis}/werklijst/${r.id}?wijzigen=1` : null,
      } : null,
      formulier: formulierM ? {
        ...formulierM, actie: `${basis}/werklijst/${r.id}/terugkoppeling`, wijzigen: beantwoord,
        knop: beantwoord ? 'Gewijzigde terugkoppeling versturen' : 'Terugkoppeling versturen', annuleren: beantwoord ? `${basis}/werklijst/${r.id}` : null,
      } : null,
      eindresultaat: eind ? { ...eind, actie: `${basis}/werklijst/${r.id}/eindresultaat` } : null,
      afgesloten: r.status === 'afgesloten' ? {
        op: stand.afgeslotenOp ? moment(stand.afgeslotenOp) : null, resultaat: e?.resultaat ?? null, corporatieZiet: e ? eindresultaatVoorCorporatie(e.resultaat) : null,
      } : null,
      ingetrokken: r.status === 'ingetrokken',
    }, w.status ?? 200);
  }

  app.get('/werklijst/:id', async (request: Verzoek, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    return detail(reply, request, g);
  });

  app.post('/werklijst/:id/terugkoppeling', async (request: Verzoek, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    const regel = await werklijsten.casus(request.params.id, bereikVan(g));
    const f = leesTerugkoppeling(formulierObject(request.body), sb.klok(), regel.ontvangenOp, BETROKKENE_NOEMER[partnerVanSoort(regel.soort)].enkelvoud);
    if (!f.ok) return detail(reply, request, g, { status: 400, formulier: 'terugkoppeling', waarden: f.waarden, fouten: f.fouten });
    const eerder = Boolean(regel.teruggekoppeldOp);
    try {
      await terugkoppeling.geef(regel.id, naarTerugkoppeling(f.terugkoppeling), { oin: g.oin, gebruiker: g.id, kanaal: 'werkplek', ...(eerder ? { wijzigen: true } : {}) });
    } catch (err) {
      if (err instanceof SignaalbrugError && err.code === 'SB_CONFLICT')
        return detail(reply, request, g, { status: 409, melding: 'Deze melding is afgesloten of ingetrokken; de terugkoppeling kan niet meer worden gegeven of gewijzigd.' });
      throw err;
    }
    return reply.code(303).header('Location', `${basis}/werklijst/${regel.id}?bericht=${eerder ? 'gewijzigd' : 'teruggekoppeld'}`).send();
  });

  app.post('/werklijst/:id/eindresultaat', async (request: Verzoek, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    const regel = await werklijsten.casus(request.params.id, bereikVan(g));
    const f = leesEindresultaat(formulierObject(request.body));
    if (!f.ok) return detail(reply, request, g, { status: 400, formulier: 'eindresultaat', waarden: f.waarden, fouten: f.fouten });
    try {
      await terugkoppeling.geefEindresultaat(regel.id, f.resultaat, { oin: g.oin, gebruiker: g.id, kanaal: 'werkplek' });
    } catch (err) {
      if (err instanceof SignaalbrugError && err.code === 'SB_CONFLICT')
        return detail(reply, request, g, { status: 409, melding: 'Afsluiten is niet mogelijk: de melding is al afgesloten of ingetrokken, of er is nog geen terugkoppeling gegeven.' });
      throw err;
    }
    return reply.code(303).header('Location', `${basis}/werklijst/${regel.id}?bericht=afgesloten`).send();
  });
}) satisfies Paginas;
