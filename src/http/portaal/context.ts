// What every portal route shares: its dependencies, the judgement of a token (one place decides
// between "not found", "ingetrokken", "vergrendeld" and "open"), rate limits, the CSRF check, and page
// replies.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import type { Casus as Berichtcasus } from '../../domain/berichten.js';
import type { Escalaties } from '../../diensten/escalaties.js';
import type { Lezen, MeldingRecord } from '../../diensten/lezen.js';
import type { TerugkoppelingDienst } from '../../diensten/terugkoppeling.js';
import type { Oordeel, Toegang } from '../../diensten/toegang.js';
import type { Sjablonen } from '../../sjablonen.js';
import { kenmerk } from '../../domain/portaalberichten.js';
import { formuliervelden, veldwaarde, type Formulier, type Waarden } from './formulier.js';
import type { Paginamodel, Paginanaam, Paginas } from './paginas.js';
import { bindCsrfGeheim, leesSessiecookie, wisSessiecookie } from './sessie.js';

/** Fixed-window limits (per link and per IP). Counts per window of `venster` seconds. */
export interface Tempolimieten {
  openenPerIp: { max: number; venster: number };
  postPerIp: { max: number; venster: number };
  codesPerLink: { max: number; venster: number };
}

type Link = Extract<Oordeel, { soort: 'open' }>['link'];

export const STANDAARD_LIMIETEN: Tempolimieten = {
  openenPerIp: { max: 120, venster: 600 },
  postPerIp: { max: 60, venster: 900 },
  codesPerLink: { max: 5, venster: 900 },
};

/** What a rate limit says of one more request (a limiter of @fastify/rate-limit, counting in Redis). */
export interface Tempostand { isAllowed: boolean; isExceeded?: boolean; ttlInSeconds?: number }
/** One limiter per kind; it counts the request's IP address, or for `codesPerLink` the link in its URL. */
export type Tempo = Record<keyof Tempolimieten, (request: FastifyRequest) => Promise<Tempostand>>;

/** The route config that names the text of the page a refused form gets (see app.ts). */
export interface FormulierConfig { formulierVerlopen?: string }

export interface PortaalDeps {
  config: Config;
  toegang: Toegang;
  lezen: Pick<Lezen, 'melding' | 'berichtcasus' | 'terugkoppeling' | 'eindresultaat' | 'gebeurtenissen' | 'aanvulling' | 'herhaling'>;
  terugkoppeling: Pick<TerugkoppelingDienst, 'geef' | 'geefEindresultaat'>;
  /** The troubleshooter's take-up and outcome (convenant art. 8.2); without it a troubleshooter link shows the case only. */
  escalaties?: Pick<Escalaties, 'stand' | 'pakOp' | 'legUitkomstVast'> | undefined;
  sjablonen: Pick<Sjablonen, 'render'>;
  klok: () => Date;
  /** The rate limits, built with the plugin by app.ts. */
  tempo: Tempo;
}

export function maakContext(app: FastifyInstance, deps: PortaalDeps, paginas: Paginas) {
  const { config, toegang } = deps;
  const corporaties = new Map(config.organisaties.map((o) => [o.oin, o.naam]));
  const wijkteams = new Map(config.wijkteams.map((w) => [w.id, w]));

  function toon(reply: FastifyReply, status: number, naam: Paginanaam, model: Paginamodel): FastifyReply {
    return reply.code(status).type('text/html; charset=utf-8').send(paginas.render(naam, model));
  }

  return {
    deps, paginas, toon,
    corporatie: (oin: string) => corporaties.get(oin) ?? 'de woningcorporatie',
    wijkteam: (id: string) => wijkteams.get(id),

    beoordeel: (token: string): Promise<Oordeel> => toegang.beoordeel(token),

    /** The page for a link that cannot be used. The 404 page is one fixed text for every cause. */
    toonGesloten(reply: FastifyReply, o: Exclude<Oordeel, { soort: 'open' }>, token?: string): FastifyReply {
      if (o.soort === 'niet-gevonden') return toon(reply, 404, 'niet-gevonden', { titel: 'Deze link werkt niet' });
      if (o.soort === 'ingetrokken') return toon(reply, 410, 'ingetrokken', { titel: 'Bericht ingetrokken' });
      // How to get in again: a new link to the mailbox the old one went to (never to this visitor).
      return toon(reply, 403, 'vergrendeld', {
        titel: 'Deze link is geblokkeerd', corporatie: this.corporatie(o.meta.oin), maxPogingen: config.portal.maxPogingen,
        kenmerk: kenmerk(o.meta.id), nieuweLink: token ? `/b/${token}/nieuwe-link` : null,
      });
    },

    /** True when within the limit; otherwise the 429 page has been sent. */
    async binnenLimiet(request: FastifyRequest, reply: FastifyReply, soort: keyof Tempolimieten): Promise<boolean> {
      const t = await deps.tempo[soort](request);
      if (t.isAllowed || !t.isExceeded) return true;
      const wachtSeconden = Math.max(1, t.ttlInSeconds ?? 1);
      request.log.warn({ tempo: soort }, 'portaal: tempolimiet bereikt');
      void reply.header('Retry-After', String(wachtSeconden));
      toon(reply, 429, 'fout', { titel: 'Te veel verzoeken', tekst: `Wacht ${Math.ceil(wachtSeconden / 60)} minuten en probeer het dan opnieuw.` });
      return false;
    },

    /**
     * The form's `_csrf` token checked by @fastify/csrf-protection against the secret of the session
     * metSessie found. False when it refused: the plugin's 403 then becomes the "form expired" page
     * (app.ts, with the text of the route's `formulierVerlopen`).
     */
    formulierKlopt(request: FastifyRequest, reply: FastifyReply): boolean {
      let goed = false;
      app.csrfProtection(request, reply, () => {
        goed = true;
      });
      return goed;
    },

    casus: (r: MeldingRecord): Berichtcasus => deps.lezen.berichtcasus(r),

    /**
     * The code page. `bewaard`: answers typed into a form whose session had expired; they travel only
     * in this page's hidden fields (never Redis, URL or log) and come back on the form after the code.
     */
    codePagina(reply: FastifyReply, status: number, token: string, link: Link, extra: {
      verstuurd: boolean; fout: string | null; melding?: string | null; bewaard?: Bewaard | undefined;
    }): FastifyReply {
      const { bewaard, ...rest } = extra;
      return toon(reply, status, 'code', {
        titel: extra.fout ? 'Fout: toegangscode invoeren' : 'Toegangscode invoeren',
        actie: `/b/${token}/toegang`, opnieuw: `/b/${token}/code`, bestemming: toegang.bestemming(link.rol),
        minuten: config.portal.codeGeldigMinuten, melding: null, ...rest,
        bewaard: bewaard ? { formulier: bewaard.formulier, velden: Object.entries(bewaard.waarden).map(([naam, waarde]) => ({ naam, waarde })) } : null,
      });
    },

    /**
     * The open link and a live session bound to it; otherwise the reply is sent and undefined returned:
     * a closed link gets its page; no session sends a GET back to the start, and shows a POST of a form
     * the code page with that form's answers kept (`bewaar`).
     */
    async metSessie(request: FastifyRequest<{ Params: { token: string }; Body: Formulier | undefined }>, reply: FastifyReply, bewaar?: Formuliernaam) {
      if (!(await this.binnenLimiet(request, reply, 'openenPerIp'))) return undefined;
      const { token } = request.params;
      const o = await toegang.beoordeel(token);
      if (o.soort !== 'open') return void this.toonGesloten(reply, o, token);
      const id = leesSessiecookie(request);
      const sessie = id ? await toegang.sessie(id) : undefined;
      if (sessie && sessie.linkHash === o.link.hash) {
        bindCsrfGeheim(request, sessie.csrf);
        return { ...o, sessie, id: id! };
      }
      // Expired, unknown or for another link.
      if (id) wisSessiecookie(reply);
      if (bewaar && request.body) return void this.codePagina(reply, 200, token, o.link, {
        verstuurd: false, fout: null, bewaard: { formulier: bewaar, waarden: formuliervelden(request.body) },
        melding: 'Uw sessie is verlopen. Uw antwoorden zijn nog niet verstuurd; ze staan alleen op deze pagina. '
          + 'Vraag een nieuwe toegangscode aan en vul die in: daarna ziet u het formulier terug met uw antwoorden.',
      });
      return void reply.code(303).header('Location', `/b/${token}`).send();
    },
  };
}

/** The forms whose answers survive an expired session. */
export const FORMULIEREN = ['terugkoppeling', 'eindresultaat', 'troubleshooter'] as const;
export type Formuliernaam = (typeof FORMULIEREN)[number];
export interface Bewaard { formulier: Formuliernaam; waarden: Waarden }

/** The kept answers posted back with the code form, or undefined. */
export function leesBewaard(form: Formulier | undefined): Bewaard | undefined {
  const f = FORMULIEREN.find((x) => x === veldwaarde(form, '_formulier'));
  return f && form ? { formulier: f, waarden: formuliervelden(form) } : undefined;
}

export type PortaalContext = ReturnType<typeof maakContext>;
