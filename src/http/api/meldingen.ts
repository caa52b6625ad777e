// Routes for meldingen (CONTRACT.md "API v1"). The corporation posts; the sender and the
// wijkteam organisation it was routed to may read; to anyone else a melding does not exist.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { invalidParams } from '../domain/invoerfouten.js';
import { meldingSchemaOp } from '../domain/melding.js';
import { routeer } from '../domain/routering.js';
import { amsterdamDatum, werkdagenNa } from '../domain/werkdagen.js';
import { verwijderUiterlijk } from '../domain/bewaartermijn.js';
import { SignaalbrugError } from '../errors.js';
import { eisRol } from './mtls-identiteit.js';
import type { MeldingenRepo, MeldingRecord } from '../store/meldingen.js';
import type { TerugkoppelingDienst } from '../jobs/terugkoppeling.js';

export interface MeldingenRouteDeps {
  config: Config;
  repo: MeldingenRepo;
  klok: () => Date;
  terugkoppeling: Pick<TerugkoppelingDienst, 'lees'>;
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
  const { config, repo, klok } = deps;
  const wijkteamNaam = new Map(config.wijkteams.map((w) => [w.id, w.naam]));
  const kalender = { extraVrijeDagen: config.convenant.extraVrijeDagen };

  const samenvatting = (r: Pick<MeldingRecord, 'id' | 'status' | 'wijkteam' | 'terugkoppelingUiterlijk'>) => ({
    id: r.id, status: r.status, wijkteam: wijkteamNaam.get(r.wijkteam) ?? r.wijkteam, terugkoppelingUiterlijk: r.terugkoppelingUiterlijk,
  });

  /**
   * The melding if the caller may see it; otherwise it does not exist (404, no hint). Ownership is
   * judged on the case's metadata; personal data is decrypted only for the sender or its wijkteam
   * organisation, so another caller costs no decryption (and learns nothing from its time).
   */
  async function zichtbaar(request: FastifyRequest, id: string): Promise<MeldingRecord> {
    eisMeldingId(id);
    const { oin } = request.organisatie;
    const meta = await repo.haalMeta(id);
    const r = meta && (meta.oin === oin || meta.wijkteamOin === oin) ? await repo.haal(id) : undefined;
    if (!r) throw new SignaalbrugError('SB_NIET_GEVONDEN', 'melding niet gevonden');
    return r;
  }

  app.post('/v1/meldingen', async (request, reply) => {
    eisRol(request, 'corporatie', 'een melding doen');
    const nu = klok();
    // Dates are checked against the service's own day (Europe/Amsterdam), not the host's.
    const parsed = meldingSchemaOp(amsterdamDatum(nu)).safeParse(request.body, { reportInput: true });
    if (!parsed.success)
      throw new SignaalbrugError('SB_ONGELDIGE_INVOER', 'de melding voldoet niet aan het convenant; zie invalidParams', invalidParams(parsed.error.issues));
    const melding = parsed.data;
    const wijkteam = routeer(melding.adres.postcode, config.wijkteams);
    if (!wijkteam)
      throw new SignaalbrugError('SB_POSTCODE_BUITEN_WERKGEBIED', 'geen wijkteam in dit convenant werkt in deze postcode', [
        { name: 'adres.postcode', reason: 'valt buiten het werkgebied van alle wijkteams' },
      ]);
    if (melding.vorigeMelding) {
      const vorige = await repo.haal(melding.vorigeMelding);
      if (!vorige || vorige.oin !== request.organisatie.oin)
        throw new SignaalbrugError('SB_ONGELDIGE_INVOER', 'vorigeMelding bestaat niet', [{ name: 'vorigeMelding', reason: 'onbekende melding van deze corporatie' }]);
    }
    const uitkomst = await repo.bewaar({
      id: randomUUID(),
      oin: request.organisatie.oin,
      wijkteam: wijkteam.id,
      wijkteamOin: wijkteam.organisatie,
      soort: melding.soort,
      ontvangenOp: nu.toISOString(),
      // convenant art. 3.7: feedback within N werkdagen after receipt (the day of receipt does not count)
      terugkoppelingUiterlijk: werkdagenNa(nu, config.convenant.werkdagenTerugkoppeling, kalender),
      gegevens: melding,
    }, { spoor: request.spoor, verwijderUiterlijk: verwijderUiterlijk(config.privacy, nu) });
    if (uitkomst.nieuw) {
      deps.onOntvangen?.(uitkomst.record);
      return reply.code(201).header('Location', `/v1/meldingen/${uitkomst.record.id}`).send(samenvatting(uitkomst.record));
    }
    if (!uitkomst.zelfdeInhoud)
      throw new SignaalbrugError('SB_CONFLICT', 'deze referentie is al gebruikt voor een melding met een andere inhoud');
    const bestaand = await repo.haal(uitkomst.id);
    if (!bestaand) throw new SignaalbrugError('SB_OPSLAG_ONBEREIKBAAR', 'melding tijdelijk niet leesbaar');
    return reply.code(200).header('Location', `/v1/meldingen/${bestaand.id}`).send(samenvatting(bestaand));
  });

  app.get<{ Params: { id: string } }>('/v1/meldingen/:id', async (request) => {
    const r = await zichtbaar(request, request.params.id);
    const terugkoppeling = await deps.terugkoppeling.lees(r.id);
    return {
      id: r.id,
      referentie: r.gegevens.referentie,
      soort: r.soort,
      status: r.status,
      wijkteam: wijkteamNaam.get(r.wijkteam) ?? r.wijkteam,
      ontvangenOp: r.ontvangenOp,
      terugkoppelingUiterlijk: r.terugkoppelingUiterlijk,
      gebeurtenissen: await repo.gebeurtenissen(r.id),
      ...(terugkoppeling ? { terugkoppeling } : {}),
    };
  });
}
