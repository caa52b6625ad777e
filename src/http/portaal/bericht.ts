// Reading the melding and giving terugkoppeling, behind a session from a correct code. The melding is
// rendered from the same template as the encrypted mail; the recipient can download it as .eml for
// its own case file (NTA 7516 "own copy"). First opening is the `gelezen` gebeurtenis .
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { binnenEntiteit } from '../../../adapters/mime.js';
import { meldingAanWijkteamModel } from '../../domain/berichten.js';
import { SignaalbrugError } from '../../errors.js';
import type { PortaalContext } from './context.js';
import { formulierModel, leesTerugkoppeling, type Waarden } from './formulier.js';
import { meldingSectie } from './paginas.js';
import { csrfKlopt, leesSessiecookie, wisSessiecookie } from './sessie.js';

type Verzoek = FastifyRequest<{ Params: { token: string }; Body: URLSearchParams }>;

export default async function berichtRoutes(app: FastifyInstance, ctx: PortaalContext) {
  const { deps, toon } = ctx;
  const { config, lezen, sjablonen, klok } = deps;
  const dienst = deps.toegang;

  /** The open link and a live session bound to it; otherwise the reply is sent and undefined returned. */
  async function toegang(request: Verzoek, reply: FastifyReply) {
    if (!(await ctx.binnenLimiet(request, reply, 'openenPerIp', request.ip))) return undefined;
    const { token } = request.params;
    const o = await ctx.beoordeel(token);
    if (o.soort !== 'open') return void ctx.toonGesloten(reply, o);
    const id = leesSessiecookie(request);
    const sessie = id ? await dienst.sessie(id) : undefined;
    if (!sessie || sessie.linkHash !== o.link.hash) {
      // Expired, unknown or for another link: back to the start, where a new code can be asked for.
      if (id) wisSessiecookie(reply);
      return void reply.code(303).header('Location', `/b/${token}`).send();
    }
    return { ...o, sessie, id: id! };
  }

  async function melding(id: string) {
    const r = await lezen.melding(id);
    if (!r) throw new SignaalbrugError('SB_NIET_GEVONDEN', 'melding niet gevonden');
    return r;
  }

  async function berichtPagina(reply: FastifyReply, status: number, token: string, g: { meta: { id: string }; sessie: { csrf: string } },
    waarden?: Waarden, fouten?: Record<string, string>) {
    const r = await melding(g.meta.id);
    const t = ctx.casus(r);
    const mail = sjablonen.render('melding-aan-wijkteam', meldingAanWijkteamModel(t));
    return toon(reply, status, 'bericht', {
      titel: `${fouten ? 'Fout: ' : ''}Bericht van ${t.corporatie}`, corporatie: t.corporatie,
      terugkoppelingUiterlijk: t.terugkoppelingUiterlijk, melding: meldingSectie(mail.html),
      download: `/b/${token}/bericht.eml`, actie: `/b/${token}/terugkoppeling`, afmelden: `/b/${token}/afmelden`, csrf: g.sessie.csrf,
      alGegeven: r.status === 'teruggekoppeld' || r.status === 'afgesloten', ...formulierModel(waarden, fouten),
    });
  }

  app.get('/b/:token/bericht', async (request: Verzoek, reply) => {
    const g = await toegang(request, reply);
    if (!g) return reply;
    // Fastify answers HEAD with this handler: same status and headers, but nobody read anything.
    if (request.method === 'HEAD') return berichtPagina(reply, 200, request.params.token, g);
    await dienst.open(g.meta);
    return berichtPagina(reply, 200, request.params.token, g);
  });

  app.get('/b/:token/bericht.eml', async (request: Verzoek, reply) => {
    const g = await toegang(request, reply);
    if (!g) return reply;
    const t = ctx.casus(await melding(g.meta.id));
    if (request.method !== 'HEAD') await dienst.open(g.meta, { vorm: 'eml' });
    const w = ctx.wijkteam(g.meta.wijkteam) ?? { naam: t.wijkteam, mailbox: config.afzender.mailbox };
    const domein = config.afzender.mailbox.split('@')[1] ?? 'signaalbrug.invalid';
    const entiteit = binnenEntiteit(sjablonen.render('melding-aan-wijkteam', meldingAanWijkteamModel(t)), {
      van: { naam: config.afzender.naam, adres: config.afzender.mailbox }, aan: { naam: w.naam, adres: w.mailbox },
      messageId: `<${t.id}.melding-aan-wijkteam.portaal@${domein}>`, datum: klok(), buitenOnderwerp: '',
    });
    return reply.type('message/rfc822').header('Content-Disposition', 'attachment; filename="signaalbrug-bericht.eml"')
      .send(Buffer.concat([Buffer.from('MIME-Version: 1.0\r\n'), entiteit]));
  });

  app.post('/b/:token/terugkoppeling', async (request: Verzoek, reply) => {
    if (!(await ctx.binnenLimiet(request, reply, 'postPerIp', request.ip))) return reply;
    const g = await toegang(request, reply);
    if (!g) return reply;
    const { token } = request.params;
    if (!csrfKlopt(g.sessie.csrf, request.body?.get('_csrf')))
      return toon(reply, 403, 'fout', { titel: 'Formulier verlopen', tekst: 'Open het bericht opnieuw en vul het formulier nog eens in.' });
    const f = leesTerugkoppeling(request.body ?? new URLSearchParams());
    if (!f.ok) return berichtPagina(reply, 400, token, g, f.waarden, f.fouten);
    try {
      const r = await deps.terugkoppeling.geef(g.meta.id, f.terugkoppeling, { oin: g.meta.wijkteamOin, kanaal: 'portaal' });
      return toon(reply, 200, 'bedankt', {
        titel: 'Terugkoppeling ontvangen', corporatie: ctx.corporatie(g.meta.oin), opTijd: r.opTijd,
        terugkoppelingUiterlijk: g.meta.terugkoppelingUiterlijk, terug: `/b/${token}/bericht`,
      });
    } catch (err) {
      if (err instanceof SignaalbrugError && err.code === 'SB_CONFLICT')
        return toon(reply, 409, 'fout', { titel: 'Terugkoppeling niet meer mogelijk', tekst: 'Op dit bericht is al teruggekoppeld, of het is afgesloten.' });
      throw err;
    }
  });

  app.post('/b/:token/afmelden', async (request: Verzoek, reply) => {
    const g = await toegang(request, reply);
    if (!g) return reply;
    if (csrfKlopt(g.sessie.csrf, request.body?.get('_csrf'))) await dienst.beeindigSessie(g.id);
    wisSessiecookie(reply);
    return reply.code(303).header('Location', `/b/${request.params.token}`).send();
  });
}
