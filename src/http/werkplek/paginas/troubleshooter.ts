// The troubleshooter's pages (convenant art. 8.2): the escalated cases and eviction dates of its
// gemeente with where each stands (taken up, outcome recorded), and a case's page with the message
// it would have had by mail (escalation, eviction date, or the corporation's update with one), the
// take-up confirmation and the outcome from the closed list. The actions are the escalation
// service's, once each; a case outside the gemeente, or neither escalated nor with an eviction date,
// does not exist here (404).
import { gemeenteVan } from '../../../config.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { aanvullingModel, escalatieModel, ontruimingsdatumModel } from '../../../domain/berichten.js';
import { TROUBLESHOOTER_UITKOMSTEN, UITKOMST_LABELS } from '../../../domain/escalatie.js';
import { TROUBLESHOOTER_TABS, type TroubleshooterTab } from '../../../diensten/werklijsten.js';
import { SignaalbrugError } from '../../../errors.js';
import { meldingSectie } from '../../portaal/paginas.js';
import type { Gebruiker, Paginas } from '../context.js';
import { amsterdamDatum, bereikVan, formulier, kenmerk, leesVastleggen, moment, param, regelModel, soortLabel, STATUS_LABELS } from './_werk.js';

const ROLLEN = ['troubleshooter'] as const;
type Verzoek = FastifyRequest<{ Params: { id: string } }>;

const TAB_LABELS: Record<TroubleshooterTab, string> = { open: 'Openstaand', afgerond: 'Afgerond', alle: 'Alle' };
const BERICHTEN: Record<string, string> = {
  opgepakt: 'U hebt deze melding opgepakt.',
  uitkomst: 'De uitkomst is vastgelegd. Dank u.',
};

const opgepaktBericht = (bericht: string | undefined, tweede: boolean) =>
  bericht === 'opgepakt' && tweede ? `${BERICHTEN.opgepakt} De tweede escalatie gaat niet meer uit.` : BERICHTEN[bericht ?? ''];

export default (async (app, ctx) => {
  const { sb } = ctx;
  const { werklijsten, lezen, escalaties } = sb.diensten;
  const basis = app.prefix;

  app.get('/escalaties', async (request, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    const tab = (TROUBLESHOOTER_TABS.find((t) => t === param(request.query, 'tab')) ?? 'open') as TroubleshooterTab;
    const lijst = await werklijsten.lijst(bereikVan(g), { tab });
    const vandaag = amsterdamDatum(sb.klok());
    return ctx.pagina(reply, request, 'troubleshooter/lijst', {
      titel: `Escalaties en ontruimingsdata: ${TAB_LABELS[tab].toLowerCase()}`, gemeente: werklijsten.naam(g.oin), tabNaam: TAB_LABELS[tab],
      tabs: TROUBLESHOOTER_TABS.map((t) => ({ href: `${basis}/escalaties?tab=${t}`, tekst: TAB_LABELS[t], aantal: lijst.tellingen[t] ?? 0, huidig: t === tab })),
      regels: lijst.regels.map((r) => ({
        ...regelModel(r, { vandaag, link: `${basis}/escalaties/${r.id}`, corporatie: werklijsten.naam(r.oin), wijkteam: werklijsten.wijkteamNaam(r.wijkteam) }),
        aanleiding: r.geescaleerdOp ? `Geëscaleerd op ${moment(r.geescaleerdOp)}${r.werkdagenTeLaat ? ` (${r.werkdagenTeLaat} werkdag${r.werkdagenTeLaat === 1 ? '' : 'en'} te laat)` : ''}` : 'Ontruimingsdatum bekend',
        stand: r.uitkomstOp ? `Uitkomst vastgelegd op ${moment(r.uitkomstOp)}` : r.opgepaktOp ? `Opgepakt op ${moment(r.opgepaktOp)}` : 'Nog niet opgepakt',
      })),
      leeg: lijst.regels.length === 0, totaal: lijst.totaal, afgekapt: lijst.afgekapt,
    });
  });

  /** The message as the troubleshooter's mail showed it: the escalation, the eviction date, or the corporation's update with one. */
  async function detail(reply: FastifyReply, request: Verzoek, g: Gebruiker, w: { status?: number; fout?: string | null; melding?: string | null } = {}) {
    const regel = await werklijsten.casus(request.params.id, bereikVan(g));
    const r = await lezen.melding(regel.id);
    if (!r) throw new SignaalbrugError('SB_NIET_GEVONDEN', 'melding niet gevonden');
    await leesVastleggen(sb, request, r.id, g);
    const t = lezen.berichtcasus(r);
    const a = !regel.geescaleerdOp && r.soort !== 'ontruimingsdatum-bekend' && regel.ontruimingsdatumVersie
      ? await lezen.aanvulling(r.id, regel.ontruimingsdatumVersie) : undefined;
    const inhoud = regel.geescaleerdOp ? sb.sjablonen.render('escalatie', escalatieModel(t, regel.werkdagenTeLaat))
      : a ? sb.sjablonen.render('aanvulling', aanvullingModel(t, a)) : sb.sjablonen.render('ontruimingsdatum', ontruimingsdatumModel(t));
    const stand = await escalaties.stand(r.id);
    const open = r.status !== 'ingetrokken';
    // Only an escalation goes on to a second one, and only when the convenant has one (config).
    const tweede = Boolean(regel.geescaleerdOp && gemeenteVan(sb.config, r).tweedeEscalatie);
    return ctx.pagina(reply, request, 'troubleshooter/melding', {
      titel: `${w.fout ? 'Fout: ' : ''}${regel.geescaleerdOp ? 'Escalatie' : 'Ontruimingsdatum'}: melding ${kenmerk(r.id)} van ${t.corporatie}`,
      kop: `${regel.geescaleerdOp ? 'Escalatie' : 'Ontruimingsdatum'}: melding van ${t.corporatie}`,
      kenmerk: kenmerk(r.id), wijkteam: t.wijkteam, soort: soortLabel(r.soort), status: STATUS_LABELS[r.status],
      terug: `${basis}/escalaties`, csrf: ctx.csrf(reply), melding: meldingSectie(inhoud.html),
      bericht: w.melding ?? opgepaktBericht(param(request.query, 'bericht'), tweede) ?? null,
      fouten: w.fout ? [{ href: '#uitkomst-0', tekst: `Uitkomst: ${w.fout}` }] : null,
      ingetrokken: !open,
      opgepaktOp: stand.opgepaktOp ? moment(stand.opgepaktOp) : null,
      oppakken: open && !stand.opgepaktOp ? `${basis}/escalaties/${r.id}/opgepakt` : null, tweede,
      uitkomst: stand.uitkomst ? { label: UITKOMST_LABELS[stand.uitkomst], op: stand.uitkomstOp ? moment(stand.uitkomstOp) : null } : null,
      uitkomstFormulier: stand.opgepaktOp && !stand.uitkomst ? {
        actie: `${basis}/escalaties/${r.id}/uitkomst`, fout: w.fout ?? null,
        keuzes: TROUBLESHOOTER_UITKOMSTEN.map((waarde, i) => ({ waarde, label: UITKOMST_LABELS[waarde], id: `uitkomst-${i}` })),
      } : null,
    }, w.status ?? 200);
  }

  app.get('/escalaties/:id', async (request: Verzoek, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    return detail(reply, request, g);
  });

  app.post('/escalaties/:id/opgepakt', async (request: Verzoek, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    const regel = await werklijsten.casus(request.params.id, bereikVan(g));
    try {
      await escalaties.pakOp(regel.id, { oin: g.oin, gebruiker: g.id, kanaal: 'werkplek' });
    } catch (err) {
      if (err instanceof SignaalbrugError && err.code === 'SB_CONFLICT')
        return detail(reply, request, g, { status: 409, melding: 'Deze melding was al opgepakt; er is niets gewijzigd.' });
      throw err;
    }
    return reply.code(303).header('Location', `${basis}/escalaties/${regel.id}?bericht=opgepakt`).send();
  });

  app.post('/escalaties/:id/uitkomst', async (request: Verzoek, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    const regel = await werklijsten.casus(request.params.id, bereikVan(g));
    const uitkomst = TROUBLESHOOTER_UITKOMSTEN.find((u) => u === formulier(request.body).get('uitkomst'));
    if (!uitkomst) return detail(reply, request, g, { status: 400, fout: 'Kies wat de uitkomst is.' });
    try {
      await escalaties.legUitkomstVast(regel.id, uitkomst, { oin: g.oin, gebruiker: g.id, kanaal: 'werkplek' });
    } catch (err) {
      if (err instanceof SignaalbrugError && err.code === 'SB_CONFLICT')
        return detail(reply, request, g, { status: 409, melding: 'De uitkomst was al vastgelegd, of de melding is nog niet opgepakt; er is niets gewijzigd.' });
      throw err;
    }
    return reply.code(303).header('Location', `${basis}/escalaties/${regel.id}?bericht=uitkomst`).send();
  });
}) satisfies Paginas;
