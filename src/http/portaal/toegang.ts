// Access to a secure link (NTA 7516: two factors): the link from the notification mail, then a
// one-time code by a second channel. ZorgMail: code valid 15 minutes; single use, at most
// maxPogingen wrong tries, then the link locks and the operator and the sender are told. A locked
// link can be replaced by a new one, sent to the mailbox the old one went to.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { kenmerk } from '../../domain/portaalberichten.js';
import type { Oordeel } from '../../diensten/toegang.js';
import { leesBewaard, type Bewaard, type PortaalContext } from './context.js';
import { veldwaarde, type Formulier } from './formulier.js';
import { standVan } from './overzicht.js';
import { bindCsrfGeheim, zetSessiecookie } from './sessie.js';

type Verzoek = FastifyRequest<{ Params: { token: string }; Body: Formulier | undefined; Querystring: { verstuurd?: string } }>;

type Open = Extract<Oordeel, { soort: 'open' }>;

/** Where a reader lands after the code, with answers kept across an expired session re-shown there. */
export type NaToegang = (reply: FastifyReply, token: string, g: Open, bewaard: Bewaard) => Promise<FastifyReply>;

export default async function toegangRoutes(app: FastifyInstance, ctx: PortaalContext, naToegang: NaToegang) {
  const { deps, toon } = ctx;
  const { config, toegang, lezen } = deps;

  app.get('/b/:token', async (request: Verzoek, reply) => {
    if (!(await ctx.binnenLimiet(request, reply, 'openenPerIp'))) return reply;
    const { token } = request.params;
    const o = await ctx.beoordeel(token);
    if (o.soort !== 'open') return ctx.toonGesloten(reply, o, token);
    // Before the code: the corporation, the reference and where the case stands; nothing about the tenant.
    const stand = standVan(await lezen.gebeurtenissen(o.meta.id));
    return toon(reply, 200, 'start', {
      titel: 'Beveiligd bericht', corporatie: ctx.corporatie(o.meta.oin), kenmerk: kenmerk(o.meta.id),
      troubleshooter: o.link.rol === 'troubleshooter', herinnering: o.link.herinnering,
      // Once answered the page never again says feedback is expected.
      verwacht: o.link.rol === 'wijkteam' && !stand.teruggekoppeldOp && !stand.afgeslotenOp ? o.meta.terugkoppelingUiterlijk : null,
      teruggekoppeldOp: stand.gewijzigdOp ?? stand.teruggekoppeldOp, gewijzigd: Boolean(stand.gewijzigdOp),
      afgeslotenOp: stand.afgeslotenOp,
      actie: `/b/${token}/code`, bestemming: toegang.bestemming(o.link.rol),
    });
  });

  app.post('/b/:token/code', async (request: Verzoek, reply) => {
    if (!(await ctx.binnenLimiet(request, reply, 'postPerIp'))) return reply;
    const { token } = request.params;
    const o = await ctx.beoordeel(token);
    if (o.soort !== 'open') return ctx.toonGesloten(reply, o, token);
    if (!(await ctx.binnenLimiet(request, reply, 'codesPerLink'))) return reply;
    try {
      await toegang.stuurCode(o.link, o.meta);
    } catch (err) {
      // Ids and a reason only: the error of an SMS or SMTP peer never names the recipient here.
      request.log.error({ alarm: 'toegangscode-niet-verstuurd', meldingId: o.meta.id, reden: (err as Error).message }, 'ALARM toegangscode niet verstuurd');
      return toon(reply, 503, 'fout', { titel: 'Code niet verstuurd', tekst: 'De toegangscode kon nu niet worden verstuurd. Probeer het over enkele minuten opnieuw.' });
    }
    // Answers kept from an expired session stay in this page (no redirect could carry them without a URL or a store).
    const bewaard = leesBewaard(request.body);
    if (bewaard) return ctx.codePagina(reply, 200, token, o.link, { verstuurd: true, fout: null, bewaard });
    // Post/redirect/get: reloading the next page does not send another code.
    return reply.code(303).header('Location', `/b/${token}/toegang?verstuurd=1`).send();
  });

  app.get('/b/:token/toegang', async (request: Verzoek, reply) => {
    if (!(await ctx.binnenLimiet(request, reply, 'openenPerIp'))) return reply;
    const o = await ctx.beoordeel(request.params.token);
    if (o.soort !== 'open') return ctx.toonGesloten(reply, o, request.params.token);
    return ctx.codePagina(reply, 200, request.params.token, o.link, { verstuurd: request.query.verstuurd === '1', fout: null });
  });

  app.post('/b/:token/toegang', async (request: Verzoek, reply) => {
    if (!(await ctx.binnenLimiet(request, reply, 'postPerIp'))) return reply;
    const { token } = request.params;
    const o = await ctx.beoordeel(token);
    if (o.soort !== 'open') return ctx.toonGesloten(reply, o, token);
    const bewaard = leesBewaard(request.body);
    const code = (veldwaarde(request.body, 'code') ?? '').replace(/\s/g, '');
    // Not six digits cannot be right: say so without spending one of the tries.
    if (!/^\d{6}$/.test(code)) return ctx.codePagina(reply, 400, token, o.link, { verstuurd: false, fout: 'Vul de 6 cijfers van de toegangscode in.', bewaard });
    const r = await toegang.controleerCode(o.link, code);
    if (r.uitkomst === 'goed') {
      const sessie = await toegang.maakSessie(o.link);
      zetSessiecookie(reply, sessie.id, config.portal.sessieMinuten * 60);
      // The form shown at once is made with the new session's CSRF secret.
      bindCsrfGeheim(request, sessie.csrf);
      if (bewaard) return naToegang(reply, token, o, bewaard);
      return reply.code(303).header('Location', `/b/${token}/bericht`).send();
    }
    if (r.uitkomst === 'vervangen') {
      return ctx.codePagina(reply, 400, token, o.link, { verstuurd: false, bewaard,
        fout: 'Deze code is vervangen door een nieuwere code. Gebruik de code uit de nieuwste e-mail. Deze poging telt niet mee.' });
    }
    if (r.uitkomst === 'fout') {
      const rest = config.portal.maxPogingen - r.pogingen;
      return ctx.codePagina(reply, 400, token, o.link, { verstuurd: false, bewaard,
        fout: `De code is onjuist, verlopen of al gebruikt. U kunt het nog ${rest} keer proberen; daarna wordt de link geblokkeerd.` });
    }
    // Operator alarm (ids only); the service recorded the lock on the melding, where the sender sees it.
    if (r.uitkomst === 'vergrendeld-nu') request.log.error({ alarm: 'link-vergrendeld', meldingId: o.link.meldingId }, 'ALARM beveiligde link vergrendeld na te veel foute toegangscodes');
    if (r.uitkomst === 'onbekend') return ctx.toonGesloten(reply, { soort: 'niet-gevonden' });
    return ctx.toonGesloten(reply, { soort: 'vergrendeld', link: o.link, meta: o.meta }, token);
  });

  // A locked link: a fresh one goes to the mailbox the old one went to. The old token then no longer
  // exists, so this works once per locked link.
  app.post('/b/:token/nieuwe-link', async (request: Verzoek, reply) => {
    if (!(await ctx.binnenLimiet(request, reply, 'postPerIp'))) return reply;
    const { token } = request.params;
    const o = await ctx.beoordeel(token);
    if (o.soort !== 'vergrendeld') return o.soort === 'open' ? reply.code(303).header('Location', `/b/${token}`).send() : ctx.toonGesloten(reply, o, token);
    try {
      await toegang.stuurNieuweLink(o.link, o.meta);
    } catch (err) {
      request.log.error({ alarm: 'nieuwe-link-niet-verstuurd', meldingId: o.meta.id, reden: (err as Error).message }, 'ALARM nieuwe link niet verstuurd');
      return toon(reply, 503, 'fout', { titel: 'Link niet verstuurd', tekst: 'De nieuwe link kon nu niet worden verstuurd. Probeer het over enkele minuten opnieuw.' });
    }
    return toon(reply, 200, 'nieuwe-link', { titel: 'Nieuwe link verstuurd', kenmerk: kenmerk(o.meta.id), bestemming: toegang.bestemming('troubleshooter') });
  });
}
