// Access to a secure link (NTA 7516: two factors): the link from the notification mail, then a
// one-time code by a second channel. ZorgMail: code valid 15 minutes; single use, at most
// maxPogingen wrong tries, then the link locks and the operator and the sender are told.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PortaalContext } from './context.js';
import { zetSessiecookie } from './sessie.js';

type Verzoek = FastifyRequest<{ Params: { token: string }; Body: URLSearchParams; Querystring: { verstuurd?: string } }>;

export default async function toegangRoutes(app: FastifyInstance, ctx: PortaalContext) {
  const { deps, toon } = ctx;
  const { config, toegang } = deps;

  function codePagina(reply: FastifyReply, status: number, token: string, extra: { verstuurd: boolean; fout: string | null }) {
    return toon(reply, status, 'code', {
      titel: extra.fout ? 'Fout: toegangscode invoeren' : 'Toegangscode invoeren',
      actie: `/b/${token}/toegang`, opnieuw: `/b/${token}/code`, bestemming: toegang.bestemming(),
      minuten: config.portal.codeGeldigMinuten, ...extra,
    });
  }

  app.get('/b/:token', async (request: Verzoek, reply) => {
    if (!(await ctx.binnenLimiet(request, reply, 'openenPerIp', request.ip))) return reply;
    const o = await ctx.beoordeel(request.params.token);
    if (o.soort !== 'open') return ctx.toonGesloten(reply, o);
    // Before the code: only the corporation and the deadline, nothing about the tenant.
    return toon(reply, 200, 'start', {
      titel: 'Beveiligd bericht', corporatie: ctx.corporatie(o.meta.oin), terugkoppelingUiterlijk: o.meta.terugkoppelingUiterlijk,
      actie: `/b/${request.params.token}/code`, bestemming: toegang.bestemming(),
    });
  });

  app.post('/b/:token/code', async (request: Verzoek, reply) => {
    if (!(await ctx.binnenLimiet(request, reply, 'postPerIp', request.ip))) return reply;
    const o = await ctx.beoordeel(request.params.token);
    if (o.soort !== 'open') return ctx.toonGesloten(reply, o);
    if (!(await ctx.binnenLimiet(request, reply, 'codesPerLink', o.link.hash))) return reply;
    try {
      await toegang.stuurCode(o.link, o.meta);
    } catch (err) {
      // Ids and a reason only: the error of an SMS or SMTP peer never names the recipient here.
      request.log.error({ alarm: 'toegangscode-niet-verstuurd', meldingId: o.meta.id, reden: (err as Error).message }, 'ALARM toegangscode niet verstuurd');
      return toon(reply, 503, 'fout', { titel: 'Code niet verstuurd', tekst: 'De toegangscode kon nu niet worden verstuurd. Probeer het over enkele minuten opnieuw.' });
    }
    // Post/redirect/get: reloading the next page does not send another code.
    return reply.code(303).header('Location', `/b/${request.params.token}/toegang?verstuurd=1`).send();
  });

  app.get('/b/:token/toegang', async (request: Verzoek, reply) => {
    if (!(await ctx.binnenLimiet(request, reply, 'openenPerIp', request.ip))) return reply;
    const o = await ctx.beoordeel(request.params.token);
    if (o.soort !== 'open') return ctx.toonGesloten(reply, o);
    return codePagina(reply, 200, request.params.token, { verstuurd: request.query.verstuurd === '1', fout: null });
  });

  app.post('/b/:token/toegang', async (request: Verzoek, reply) => {
    if (!(await ctx.binnenLimiet(request, reply, 'postPerIp', request.ip))) return reply;
    const { token } = request.params;
    const o = await ctx.beoordeel(token);
    if (o.soort !== 'open') return ctx.toonGesloten(reply, o);
    const code = (request.body?.get('code') ?? '').replace(/\s/g, '');
    // Not six digits cannot be right: say so without spending one of the tries.
    if (!/^\d{6}$/.test(code)) return codePagina(reply, 400, token, { verstuurd: false, fout: 'Vul de 6 cijfers van de toegangscode in.' });
    const r = await toegang.controleerCode(o.link, code);
    if (r.uitkomst === 'goed') {
      const sessie = await toegang.maakSessie(o.link);
      zetSessiecookie(reply, sessie.id, config.portal.sessieMinuten * 60);
      return reply.code(303).header('Location', `/b/${token}/bericht`).send();
    }
    if (r.uitkomst === 'fout') {
      const rest = config.portal.maxPogingen - r.pogingen;
      return codePagina(reply, 400, token, {
        verstuurd: false,
        fout: `De code is onjuist, verlopen of al gebruikt. U kunt het nog ${rest} keer proberen; daarna wordt de link geblokkeerd.`,
      });
    }
    // Operator alarm (ids only); the service recorded the lock on the melding, where the sender sees it.
    if (r.uitkomst === 'vergrendeld-nu') request.log.error({ alarm: 'link-vergrendeld', meldingId: o.link.meldingId }, 'ALARM beveiligde link vergrendeld na te veel foute toegangscodes');
    if (r.uitkomst === 'onbekend') return ctx.toonGesloten(reply, { soort: 'niet-gevonden' });
    return ctx.toonGesloten(reply, { soort: 'vergrendeld', link: o.link, meta: o.meta });
  });
}
