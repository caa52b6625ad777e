// What every portal route shares: its dependencies, the judgement of a token (one place decides
// between "not found", "ingetrokken", "vergrendeld" and "open"), rate limits, and page replies.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SmsKanaal } from '../../../adapters/beveiligde-link/index.js';
import type { SmtpTransport } from '../../../adapters/smtp/transport.js';
import type { Config } from '../../config.js';
import type { Casus } from '../../domain/berichten.js';
import type { Sjablonen } from '../../jobs/sjablonen.js';
import type { TerugkoppelingDienst } from '../../jobs/terugkoppeling.js';
import type { MeldingenRepo, MeldingRecord } from '../../store/meldingen.js';
import type { Link, LinkRepo } from '../../store/links.js';
import type { Logboek } from '../../store/logboek.js';
import type { Paginamodel, Paginanaam, Paginas } from './paginas.js';

/** Fixed-window limits (issue 5: per link and per IP). Counts per window of `venster` seconds. */
export interface Tempolimieten {
  openenPerIp: { max: number; venster: number };
  postPerIp: { max: number; venster: number };
  codesPerLink: { max: number; venster: number };
}

export const STANDAARD_LIMIETEN: Tempolimieten = {
  openenPerIp: { max: 120, venster: 600 },
  postPerIp: { max: 60, venster: 900 },
  codesPerLink: { max: 5, venster: 900 },
};

export interface PortaalDeps {
  config: Config;
  repo: MeldingenRepo;
  links: LinkRepo;
  sjablonen: Pick<Sjablonen, 'render'>;
  terugkoppeling: Pick<TerugkoppelingDienst, 'geef'>;
  smtp: Pick<SmtpTransport, 'verstuur'>;
  sms?: SmsKanaal;
  klok: () => Date;
  limieten?: Partial<Tempolimieten>;
  /** Logboek dataverwerkingen: every reading of a melding in the portal is recorded. */
  logboek?: Pick<Logboek, 'vastleggen'>;
}

type Meta = Omit<MeldingRecord, 'gegevens'>;
export type Oordeel =
  | { soort: 'niet-gevonden' }
  | { soort: 'ingetrokken' }
  | { soort: 'vergrendeld'; link: Link; meta: Meta }
  | { soort: 'open'; link: Link; meta: Meta };

export function maakContext(deps: PortaalDeps, paginas: Paginas) {
  const { config, repo, links } = deps;
  const limieten = { ...STANDAARD_LIMIETEN, ...deps.limieten };
  const corporaties = new Map(config.organisaties.map((o) => [o.oin, o.naam]));
  const wijkteams = new Map(config.wijkteams.map((w) => [w.id, w]));

  function toon(reply: FastifyReply, status: number, naam: Paginanaam, model: Paginamodel): FastifyReply {
    return reply.code(status).type('text/html; charset=utf-8').send(paginas.render(naam, model));
  }

  return {
    deps, paginas, limieten, toon,
    corporatie: (oin: string) => corporaties.get(oin) ?? 'de woningcorporatie',
    wijkteam: (id: string) => wijkteams.get(id),

    /** Every token costs one hash and one Redis read before any answer (no cheaper path for guesses). */
    async beoordeel(token: string): Promise<Oordeel> {
      const link = await links.zoek(token);
      if (!link) return { soort: 'niet-gevonden' };
      if (link.ingetrokken) return { soort: 'ingetrokken' };
      const meta = await repo.haalMeta(link.meldingId);
      if (!meta) return { soort: 'niet-gevonden' }; // removed after retention: as if it never was
      if (meta.status === 'ingetrokken') return { soort: 'ingetrokken' };
      return { soort: link.vergrendeld ? 'vergrendeld' : 'open', link, meta };
    },

    /** The page for a link that cannot be used. The 404 page is one fixed text for every cause. */
    toonGesloten(reply: FastifyReply, o: Exclude<Oordeel, { soort: 'open' }>): FastifyReply {
      if (o.soort === 'niet-gevonden') return toon(reply, 404, 'niet-gevonden', { titel: 'Deze link werkt niet' });
      if (o.soort === 'ingetrokken') return toon(reply, 410, 'ingetrokken', { titel: 'Bericht ingetrokken' });
      return toon(reply, 403, 'vergrendeld', {
        titel: 'Deze link is geblokkeerd', corporatie: this.corporatie(o.meta.oin), maxPogingen: config.portal.maxPogingen,
      });
    },

    /** True when within the limit; otherwise the 429 page has been sent. */
    async binnenLimiet(request: FastifyRequest, reply: FastifyReply, soort: keyof Tempolimieten, sleutel: string): Promise<boolean> {
      const { max, venster } = limieten[soort];
      const t = await links.tempo(soort, sleutel, max, venster);
      if (t.toegestaan) return true;
      request.log.warn({ tempo: soort }, 'portaal: tempolimiet bereikt');
      void reply.header('Retry-After', String(t.wachtSeconden));
      toon(reply, 429, 'fout', { titel: 'Te veel verzoeken', tekst: `Wacht ${Math.ceil(t.wachtSeconden / 60)} minuten en probeer het dan opnieuw.` });
      return false;
    },

    casus(r: MeldingRecord): Casus {
      return { ...r, corporatie: corporaties.get(r.oin) ?? r.oin, wijkteam: wijkteams.get(r.wijkteam)?.naam ?? r.wijkteam };
    },
  };
}

export type PortaalContext = ReturnType<typeof maakContext>;
