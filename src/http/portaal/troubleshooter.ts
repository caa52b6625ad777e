// The troubleshooter's page (convenant art. 8.2): behind its own link and one-time code (to the
// troubleshooter's mailbox), the escalated case or eviction date as its encrypted mail shows it, and
// two actions: confirm it took the case up (once), then record what came of it (once, from a closed
// list). The actions are the escalation service's; the troubleshooter acts for the gemeente the
// melding was routed to.
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { aanvullingModel, escalatieModel, ontruimingsdatumModel } from '../../domain/berichten.js';
import { TROUBLESHOOTER_UITKOMSTEN, UITKOMST_LABELS } from '../../domain/escalatie.js';
import { kenmerk } from '../../domain/portaalberichten.js';
import type { Oordeel } from '../../diensten/toegang.js';
import { SignaalbrugError } from '../../errors.js';
import type { Bewaard, FormulierConfig, PortaalContext } from './context.js';
import { standVan } from './overzicht.js';
import { veldwaarde, type Formulier } from './formulier.js';
import { meldingSectie, moment } from './paginas.js';

type Verzoek = FastifyRequest<{ Params: { token: string }; Body: Formulier | undefined }>;
type Toegang = Extract<Oordeel, { soort: 'open' }>;

/** The text of the page a take-up or outcome form without a right CSRF token gets (app.ts shows it). */
const FORMULIER = { config: { formulierVerlopen: 'Open het bericht opnieuw en probeer het nog eens.' } satisfies FormulierConfig as FastifyContextConfig };

interface Weergave {
  status?: number;
  melding?: string | null;
  waarden?: Record<string, string>;
  fout?: string | null;
  hersteld?: boolean;
}

export default async function troubleshooterRoutes(app: FastifyInstance, ctx: PortaalContext) {
  const { deps, toon } = ctx;
  const { lezen, sjablonen, escalaties } = deps;

  /** The case as the troubleshooter's mail showed it: the escalation, the eviction date, or the corporation's update with one. */
  async function mail(id: string) {
    const r = await lezen.melding(id);
    if (!r) throw new SignaalbrugError('SB_NIET_GEVONDEN', 'melding niet gevonden');
    const t = ctx.casus(r);
    const gebeurtenissen = await lezen.gebeurtenissen(id);
    const stand = standVan(gebeurtenissen);
    const update = gebeurtenissen.filter((g) => g.soort === 'aanvulling' && g.aanvulling === 'ontruimingsdatum').at(-1);
    const a = !stand.geescaleerdOp && r.soort !== 'ontruimingsdatum-bekend' && typeof update?.versie === 'string' ? await lezen.aanvulling(id, update.versie) : undefined;
    const inhoud = stand.geescaleerdOp ? sjablonen.render('escalatie', escalatieModel(t, stand.werkdagenTeLaat))
      : a ? sjablonen.render('aanvulling', aanvullingModel(t, a))
        : sjablonen.render('ontruimingsdatum', ontruimingsdatumModel(t));
    return { r, t, html: inhoud.html, geescaleerd: Boolean(stand.geescaleerdOp) };
  }

  async function pagina(reply: FastifyReply, token: string, g: Toegang, w: Weergave = {}) {
    const { r, t, html, geescaleerd } = await mail(g.meta.id);
    const stand = escalaties ? await escalaties.stand(r.id) : undefined;
    const uitkomst = stand?.uitkomst ?? null;
    const keuzes = TROUBLESHOOTER_UITKOMSTEN.map((waarde, i) => ({ waarde, label: UITKOMST_LABELS[waarde], id: `uitkomst-${i}`, gekozen: w.waarden?.uitkomst === waarde }));
    return toon(reply, w.status ?? 200, 'troubleshooter', {
      titel: `${w.fout ? 'Fout: ' : ''}${geescaleerd ? 'Escalatie' : 'Ontruimingsdatum'}: melding van ${t.corporatie}`,
      corporatie: t.corporatie, wijkteam: t.wijkteam, kenmerk: kenmerk(r.id), geescaleerd, melding: meldingSectie(html),
      csrf: reply.generateCsrf(), afmelden: `/b/${token}/afmelden`, bericht: w.melding ?? null, hersteld: w.hersteld ?? false,
      beschikbaar: Boolean(escalaties),
      opgepaktOp: stand?.opgepaktOp ?? null,
      oppakken: stand && !stand.opgepaktOp ? `/b/${token}/opgepakt` : null,
      uitkomst: uitkomst ? { label: UITKOMST_LABELS[uitkomst], op: stand?.uitkomstOp ?? null } : null,
      uitkomstFormulier: stand?.opgepaktOp && !uitkomst ? { actie: `/b/${token}/uitkomst`, keuzes, fout: w.fout ?? null } : null,
      fouten: w.fout ? [{ href: '#uitkomst-0', tekst: `Uitkomst: ${w.fout}` }] : null,
    });
  }

  async function sessie(request: Verzoek, reply: FastifyReply, bewaar?: Bewaard['formulier']) {
    if (!(await ctx.binnenLimiet(request, reply, 'postPerIp'))) return undefined;
    const g = await ctx.metSessie(request, reply, bewaar);
    if (!g) return undefined;
    if (g.link.rol !== 'troubleshooter' || !escalaties) return void reply.code(303).header('Location', `/b/${request.params.token}/bericht`).send();
    if (!ctx.formulierKlopt(request, reply)) return undefined;
    return { ...g, escalaties };
  }

  /** A refusal of the service (already done, or not yet possible) as the page with what stands now. */
  async function weigering(err: unknown, reply: FastifyReply, token: string, g: Toegang, tekst: string) {
    if (!(err instanceof SignaalbrugError && err.code === 'SB_CONFLICT')) throw err;
    return pagina(reply, token, g, { status: 409, melding: tekst });
  }

  app.post('/b/:token/opgepakt', FORMULIER, async (request: Verzoek, reply) => {
    const g = await sessie(request, reply);
    if (!g) return reply;
    const { token } = request.params;
    try {
      const r = await g.escalaties.pakOp(g.meta.id, { oin: g.meta.wijkteamOin, kanaal: 'portaal' });
      return pagina(reply, token, g, { melding: `U hebt deze melding opgepakt. Vastgelegd op ${moment(r.opgepaktOp)}.` });
    } catch (err) {
      return weigering(err, reply, token, g, 'Deze melding was al opgepakt; er is niets gewijzigd.');
    }
  });

  app.post('/b/:token/uitkomst', FORMULIER, async (request: Verzoek, reply) => {
    const g = await sessie(request, reply, 'troubleshooter');
    if (!g) return reply;
    const { token } = request.params;
    const uitkomst = TROUBLESHOOTER_UITKOMSTEN.find((u) => u === veldwaarde(request.body, 'uitkomst'));
    if (!uitkomst) return pagina(reply, token, g, { status: 400, fout: 'Kies wat de uitkomst is.' });
    try {
      const r = await g.escalaties.legUitkomstVast(g.meta.id, uitkomst, { oin: g.meta.wijkteamOin, kanaal: 'portaal' });
      return pagina(reply, token, g, { melding: `De uitkomst is vastgelegd op ${moment(r.uitkomstOp)}. Dank u.` });
    } catch (err) {
      return weigering(err, reply, token, g, 'De uitkomst was al vastgelegd, of de melding is nog niet opgepakt; er is niets gewijzigd.');
    }
  });

  return {
    /** GET of the troubleshooter's link after the code; its readings are logboek records. */
    async pagina(request: Verzoek, reply: FastifyReply, g: Toegang) {
      if (request.method !== 'HEAD') await deps.toegang.open(g.meta, {}, 'troubleshooter');
      return pagina(reply, request.params.token, g);
    },
    async hersteld(reply: FastifyReply, token: string, g: Toegang, bewaard: Bewaard) {
      await deps.toegang.open(g.meta, {}, 'troubleshooter');
      return pagina(reply, token, g, { waarden: bewaard.waarden, hersteld: true });
    },
  };
}
