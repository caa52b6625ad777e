// Reading the melding and giving terugkoppeling, behind a session from a correct code. The melding is
// rendered from the same template as the encrypted mail; the recipient can download it as .eml for
// its own case file (NTA 7516 "own copy"). First opening is the `gelezen` gebeurtenis. The page
// follows the case: the eerste terugkoppeling on DDAS's terms while it is owed; once given, what was
// sent and when, a way to amend it and the eindresultaat that ends the case; once ended, only that.
// A troubleshooter's link gets its own page (troubleshooter.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { binnenEntiteit } from '../../../adapters/mime.js';
import { meldingAanWijkteamModel, sjabloonVan } from '../../domain/berichten.js';
import { partnerVanSoort } from '../../domain/signaal.js';
import { BETROKKENE_NOEMER } from '../../domain/signaalpartner.js';
import { eindresultaatVoorCorporatie } from '../../domain/ddas.js';
import { kenmerk } from '../../domain/portaalberichten.js';
import { naarTerugkoppeling } from '../../domain/terugkoppeling.js';
import { SignaalbrugError } from '../../errors.js';
import type { Bewaard, PortaalContext } from './context.js';
import { eindresultaatModel, formulierModel, leesEindresultaat, leesTerugkoppeling, waardenVan, type Formulier, type Waarden } from './formulier.js';
import { standVan, terugkoppelingOverzicht } from './overzicht.js';
import { meldingSectie } from './paginas.js';
import { wisSessiecookie } from './sessie.js';
import type { NaToegang } from './toegang.js';
import troubleshooterRoutes from './troubleshooter.js';

type Verzoek = FastifyRequest<{ Params: { token: string }; Body: Formulier | undefined }>;

type Weergave = {
  /** The form shown with these answers: a first answer, an amendment or the eindresultaat. */
  formulier?: 'terugkoppeling' | 'eindresultaat';
  waarden?: Waarden;
  fouten?: Record<string, string>;
  /** Amend the feedback already given (the form pre-filled with it). */
  wijzigen?: boolean;
  /** The answers came back after a new code. */
  hersteld?: boolean;
};

const OPEN_VOOR_EINDRESULTAAT = ['teruggekoppeld', 'geescaleerd'];

export default async function berichtRoutes(app: FastifyInstance, ctx: PortaalContext): Promise<NaToegang> {
  const { deps, toon } = ctx;
  const { config, lezen, sjablonen, klok } = deps;
  const dienst = deps.toegang;
  const organisaties = new Map(config.organisaties.map((o) => [o.oin, o]));
  const troubleshooter = await troubleshooterRoutes(app, ctx);

  async function melding(id: string) {
    const r = await lezen.melding(id);
    if (!r) throw new SignaalbrugError('SB_NIET_GEVONDEN', 'melding niet gevonden');
    return r;
  }

  async function berichtPagina(reply: FastifyReply, status: number, token: string, g: { meta: { id: string } }, w: Weergave = {}) {
    const r = await melding(g.meta.id);
    const t = ctx.casus(r);
    const mail = sjablonen.render(sjabloonVan('melding-aan-wijkteam', t.gegevens), meldingAanWijkteamModel(t, null, (await lezen.herhaling(r.id)) ?? null));
    const stand = standVan(await lezen.gebeurtenissen(r.id));
    const k = await lezen.terugkoppeling(r.id);
    const e = r.status === 'afgesloten' ? await lezen.eindresultaat(r.id) : undefined;
    const fouten = w.fouten ?? {};
    const beantwoord = Boolean(k);
    const toonFormulier = r.status !== 'afgesloten' && r.status !== 'ingetrokken' && (!beantwoord || w.wijzigen || w.formulier === 'terugkoppeling');
    const formulierWaarden = w.formulier === 'terugkoppeling' ? w.waarden : w.wijzigen && k ? waardenVan(k) : undefined;
    const eindresultaat = !toonFormulier || !beantwoord ? OPEN_VOOR_EINDRESULTAAT.includes(r.status) : false;
    const terugkoppelingFouten = w.formulier === 'terugkoppeling' ? fouten : {};
    const eindFouten = w.formulier === 'eindresultaat' ? fouten : {};
    const betrokkene = BETROKKENE_NOEMER[partnerVanSoort(r.soort)].enkelvoud;
    const formulier = toonFormulier ? formulierModel(formulierWaarden, terugkoppelingFouten, { betrokkene }) : null;
    const eind = eindresultaat ? eindresultaatModel(w.formulier === 'eindresultaat' ? w.waarden : undefined, eindFouten) : null;
    const foutoverzicht = formulier?.fouten ?? eind?.fouten ?? null;
    return toon(reply, status, 'bericht', {
      titel: `${foutoverzicht ? 'Fout: ' : ''}Bericht van ${t.corporatie}`, corporatie: t.corporatie, kenmerk: kenmerk(r.id),
      // The person as the partner calls them: huurder, klant or verzekerde.
      betrokkene,
      // Only while feedback is owed: never again "expected" after it was given.
      terugkoppelingUiterlijk: beantwoord || r.status === 'afgesloten' ? null : t.terugkoppelingUiterlijk,
      melding: meldingSectie(mail.html), download: `/b/${token}/bericht.eml`, afmelden: `/b/${token}/afmelden`, csrf: reply.generateCsrf(),
      fouten: foutoverzicht, hersteld: w.hersteld ?? false,
      gegeven: k ? {
        ...terugkoppelingOverzicht(k, betrokkene), verstuurdOp: stand.teruggekoppeldOp ?? k.ontvangenOp, gewijzigdOp: stand.gewijzigdOp, opTijd: k.opTijd,
        wijzig: r.status === 'teruggekoppeld' && !toonFormulier ? `/b/${token}/wijzigen` : null,
      } : null,
      formulier: formulier ? {
        ...formulier, actie: `/b/${token}/terugkoppeling`, wijzigen: beantwoord,
        knop: beantwoord ? 'Gewijzigde terugkoppeling versturen' : 'Terugkoppeling versturen', annuleren: beantwoord ? `/b/${token}/bericht` : null,
      } : null,
      eindresultaat: eind ? { ...eind, actie: `/b/${token}/eindresultaat` } : null,
      afgesloten: r.status === 'afgesloten' ? {
        op: stand.afgeslotenOp, resultaat: e?.resultaat ?? null, corporatieZiet: e ? eindresultaatVoorCorporatie(e.resultaat) : null,
      } : null,
    });
  }

  /** The wijkteam's session on this link, or the reply is sent (the troubleshooter's link goes elsewhere). */
  async function wijkteamSessie(request: Verzoek, reply: FastifyReply, bewaar?: Bewaard['formulier']) {
    const g = await ctx.metSessie(request, reply, bewaar);
    if (g && g.link.rol !== 'wijkteam') return void reply.code(303).header('Location', `/b/${request.params.token}/bericht`).send();
    return g;
  }

  app.get('/b/:token/bericht', async (request: Verzoek, reply) => {
    const g = await ctx.metSessie(request, reply);
    if (!g) return reply;
    if (g.link.rol === 'troubleshooter') return troubleshooter.pagina(request, reply, g);
    // Fastify answers HEAD with this handler: same status and headers, but nobody read anything.
    if (request.method !== 'HEAD') await dienst.open(g.meta);
    return berichtPagina(reply, 200, request.params.token, g);
  });

  app.get('/b/:token/wijzigen', async (request: Verzoek, reply) => {
    const g = await wijkteamSessie(request, reply);
    if (!g) return reply;
    if (request.method !== 'HEAD') await dienst.open(g.meta);
    return berichtPagina(reply, 200, request.params.token, g, { wijzigen: true });
  });

  app.get('/b/:token/bericht.eml', async (request: Verzoek, reply) => {
    const g = await wijkteamSessie(request, reply);
    if (!g) return reply;
    const t = ctx.casus(await melding(g.meta.id));
    const herhaling = (await lezen.herhaling(t.id)) ?? null;
    if (request.method !== 'HEAD') await dienst.open(g.meta, { vorm: 'eml' });
    const w = ctx.wijkteam(g.meta.wijkteam) ?? { naam: t.wijkteam, mailbox: config.afzender.mailbox };
    const domein = config.afzender.mailbox.split('@')[1] ?? 'signaalbrug.invalid';
    const entiteit = binnenEntiteit(sjablonen.render(sjabloonVan('melding-aan-wijkteam', t.gegevens), meldingAanWijkteamModel(t, null, herhaling)), {
      van: { naam: config.afzender.naam, adres: config.afzender.mailbox }, aan: { naam: w.naam, adres: w.mailbox },
      messageId: `<${t.id}.melding-aan-wijkteam.portaal@${domein}>`, datum: klok(), buitenOnderwerp: '',
    });
    return reply.type('message/rfc822').header('Content-Disposition', 'attachment; filename="signaalbrug-bericht.eml"')
      .send(Buffer.concat([Buffer.from('MIME-Version: 1.0\r\n'), entiteit]));
  });

  app.post('/b/:token/terugkoppeling', async (request: Verzoek, reply) => {
    if (!(await ctx.binnenLimiet(request, reply, 'postPerIp'))) return reply;
    const g = await wijkteamSessie(request, reply, 'terugkoppeling');
    if (!g) return reply;
    const { token } = request.params;
    if (!ctx.formulierKlopt(request, reply)) return reply;
    const f = leesTerugkoppeling(request.body ?? {}, klok(), g.meta.ontvangenOp, BETROKKENE_NOEMER[partnerVanSoort(g.meta.soort)].enkelvoud);
    if (!f.ok) return berichtPagina(reply, 400, token, g, { formulier: 'terugkoppeling', waarden: f.waarden, fouten: f.fouten });
    const eerder = standVan(await lezen.gebeurtenissen(g.meta.id)).teruggekoppeldOp;
    try {
      // Feedback already given is amended (the corporation is told again), not refused.
      const r = await deps.terugkoppeling.geef(g.meta.id, naarTerugkoppeling(f.terugkoppeling), { oin: g.meta.wijkteamOin, kanaal: 'portaal', ...(eerder ? { wijzigen: true } : {}) });
      const k = await lezen.terugkoppeling(g.meta.id);
      const stand = standVan(await lezen.gebeurtenissen(g.meta.id));
      const org = organisaties.get(g.meta.oin);
      return toon(reply, 200, 'bedankt', {
        titel: eerder ? 'Wijziging ontvangen' : 'Terugkoppeling ontvangen', corporatie: ctx.corporatie(g.meta.oin), kenmerk: kenmerk(g.meta.id),
        gewijzigd: Boolean(eerder), opTijd: r.opTijd, terugkoppelingUiterlijk: g.meta.terugkoppelingUiterlijk,
        verstuurdOp: stand.gewijzigdOp ?? stand.teruggekoppeldOp, gegeven: k ? terugkoppelingOverzicht(k, BETROKKENE_NOEMER[partnerVanSoort(g.meta.soort)].enkelvoud) : null,
        perMail: Boolean(org?.terugkoppeling), linkGeldigTot: g.link.geldigTot.toISOString(),
        terug: `/b/${token}/bericht`,
      });
    } catch (err) {
      if (err instanceof SignaalbrugError && err.code === 'SB_CONFLICT')
        return toon(reply, 409, 'fout', { titel: 'Terugkoppeling niet meer mogelijk', tekst: 'Deze melding is afgesloten of ingetrokken; de terugkoppeling kan niet meer worden gewijzigd.' });
      throw err;
    }
  });

  app.post('/b/:token/eindresultaat', async (request: Verzoek, reply) => {
    if (!(await ctx.binnenLimiet(request, reply, 'postPerIp'))) return reply;
    const g = await wijkteamSessie(request, reply, 'eindresultaat');
    if (!g) return reply;
    const { token } = request.params;
    if (!ctx.formulierKlopt(request, reply)) return reply;
    const f = leesEindresultaat(request.body ?? {});
    if (!f.ok) return berichtPagina(reply, 400, token, g, { formulier: 'eindresultaat', waarden: f.waarden, fouten: f.fouten });
    try {
      await deps.terugkoppeling.geefEindresultaat(g.meta.id, f.resultaat, { oin: g.meta.wijkteamOin, kanaal: 'portaal' });
    } catch (err) {
      if (err instanceof SignaalbrugError && err.code === 'SB_CONFLICT')
        return toon(reply, 409, 'fout', { titel: 'Afsluiten niet mogelijk', tekst: 'Deze melding is al afgesloten of ingetrokken, of er is nog geen terugkoppeling gegeven.' });
      throw err;
    }
    const stand = standVan(await lezen.gebeurtenissen(g.meta.id));
    return toon(reply, 200, 'afgesloten', {
      titel: 'Melding afgesloten', corporatie: ctx.corporatie(g.meta.oin), kenmerk: kenmerk(g.meta.id), op: stand.afgeslotenOp,
      resultaat: f.resultaat, corporatieZiet: eindresultaatVoorCorporatie(f.resultaat), bewaartermijnDagen: config.privacy.bewaartermijnDagen,
      terug: `/b/${token}/bericht`,
    });
  });

  app.post('/b/:token/afmelden', async (request: Verzoek, reply) => {
    const g = await ctx.metSessie(request, reply);
    if (!g) return reply;
    if (!ctx.formulierKlopt(request, reply)) return reply;
    await dienst.beeindigSessie(g.id);
    wisSessiecookie(reply);
    return reply.code(303).header('Location', `/b/${request.params.token}`).send();
  });

  /** After a new code, the form whose session had expired comes back with its answers (nothing sent yet). */
  return async (reply, token, g, bewaard) => {
    if (g.link.rol === 'troubleshooter') return troubleshooter.hersteld(reply, token, g, bewaard);
    await dienst.open(g.meta);
    const formulier = bewaard.formulier === 'eindresultaat' ? 'eindresultaat' : 'terugkoppeling';
    return berichtPagina(reply, 200, token, g, { formulier, waarden: bewaard.waarden, hersteld: true });
  };
}
