// Routes for meldingen: the corporation posts; the sender and the wijkteam organisation it was routed
// to may read; to anyone else a melding does not exist. The work is the intake and reading services'.
// Every read is a logboek record (`melding-gelezen`, kanaal api), as a reading in the portal is.
import type { FastifyInstance } from 'fastify';
import { eindresultaatVoorCorporatie } from '../../domain/ddas.js';
import { terugkoppelingVoorCorporatie } from '../../domain/terugkoppeling.js';
import type { Intake } from '../../diensten/intake.js';
import type { Lezen, MeldingRecord } from '../../diensten/lezen.js';
import { SignaalbrugError } from '../../errors.js';
import { eisMelder } from './mtls-identiteit.js';

export interface MeldingenRouteDeps {
  intake: Intake;
  lezen: Lezen;
  wijkteamNaam(id: string): string;
  onOntvangen?: (record: MeldingRecord) => void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * An id that cannot be a melding does not exist (404) on every route, and never reaches Redis: a key
 * built from it could name another kind of key (a case's event list) and fail there.
 */
export function eisMeldingId(id: string): void {
  if (!UUID.test(id)) throw new SignaalbrugError('SB_NIET_GEVONDEN', 'melding niet gevonden');
}

export default async function meldingenRoutes(app: FastifyInstance, deps: MeldingenRouteDeps) {
  const { intake, lezen, wijkteamNaam } = deps;
  const samenvatting = (r: Pick<MeldingRecord, 'id' | 'status' | 'wijkteam' | 'terugkoppelingUiterlijk'>) => ({
    id: r.id, status: r.status, wijkteam: wijkteamNaam(r.wijkteam), terugkoppelingUiterlijk: r.terugkoppelingUiterlijk,
  });

  app.post('/v1/meldingen', async (request, reply) => {
    eisMelder(request, 'een melding doen');
    const { nieuw, record } = await intake.ontvang(request.organisatie.oin, request.body, request.spoor);
    if (nieuw) deps.onOntvangen?.(record);
    return reply.code(nieuw ? 201 : 200).header('Location', `/v1/meldingen/${record.id}`).send(samenvatting(record));
  });

  app.get<{ Params: { id: string } }>('/v1/meldingen/:id', async (request) => {
    eisMeldingId(request.params.id);
    const r = await lezen.voorOrganisatie(request.params.id, request.organisatie.oin);
    const k = await lezen.terugkoppeling(r.id);
    const e = await lezen.eindresultaat(r.id);
    // The gemeente sees what it gave; the sending corporation only what it may learn of it.
    const gemeente = r.wijkteamOin === request.organisatie.oin;
    const eindresultaat = e && (gemeente ? e.resultaat : eindresultaatVoorCorporatie(e.resultaat));
    const terugkoppeling = k && (gemeente ? k : terugkoppelingVoorCorporatie(k));
    const body = {
      id: r.id,
      referentie: r.gegevens.referentie,
      soort: r.soort,
      status: r.status,
      wijkteam: wijkteamNaam(r.wijkteam),
      ...(r.gemeente ? { gemeente: r.gemeente } : {}),
      ontvangenOp: r.ontvangenOp,
      terugkoppelingUiterlijk: r.terugkoppelingUiterlijk,
      gebeurtenissen: await lezen.gebeurtenissen(r.id),
      ...(terugkoppeling ? { terugkoppeling } : {}),
      ...(eindresultaat ? { eindresultaat } : {}),
    };
    // Recorded before the answer leaves: no record, no reading. HEAD (Fastify answers it with this
    // handler) sends no body, so nothing was read.
    if (request.method !== 'HEAD')
      await lezen.vastleggen(r.id, { actie: 'melding-gelezen', oin: request.organisatie.oin, spoor: request.spoor, extra: { kanaal: 'api' } });
    return body;
  });
}
