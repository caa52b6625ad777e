// What every portal route shares: its dependencies, the judgement of a token (one place decides
// between "not found", "ingetrokken", "vergrendeld" and "open"), rate limits, and page replies.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import type { Casus as Berichtcasus } from '../../domain/berichten.js';
import type { Lezen, MeldingRecord } from '../../diensten/lezen.js';
import type { TerugkoppelingDienst } from '../../diensten/terugkoppeling.js';
import type { Oordeel, Toegang } from '../../diensten/toegang.js';
import type { Sjablonen } from '../../sjablonen.js';
import type { Paginamodel, Paginanaam, Paginas } from './paginas.js';

/** Fixed-window limits (per link and per IP). Counts per window of `venster` seconds. */
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
  toegang: Toegang;
  lezen: Pick<Lezen, 'melding' | 'berichtcasus'>;
  terugkoppeling: Pick<TerugkoppelingDienst, 'geef'>;
  sjablonen: Pick<Sjablonen, 'render'>;
  klok: () => Date;
  limieten?: Partial<Tempolimieten> | undefined;
}

export function maakContext(deps: PortaalDeps, paginas: Paginas) {
  const { config, toegang } = deps;
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

    beoordeel: (token: string): Promise<Oordeel> => toegang.beoordeel(token),

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
      const t = await toegang.tempo(soort, sleutel, max, venster);
      if (t.toegestaan) return true;
      request.log.warn({ tempo: soort }, 'portaal: tempolimiet bereikt');
      void reply.header('Retry-After', String(t.wachtSeconden));
      toon(reply, 429, 'fout', { titel: 'Te veel verzoeken', tekst: `Wacht ${Math.ceil(t.wachtSeconden / 60)} minuten en probeer het dan opnieuw.` });
      return false;
    },

    casus: (r: MeldingRecord): Berichtcasus => deps.lezen.berichtcasus(r),
  };
}

export type PortaalContext = ReturnType<typeof maakContext>;
