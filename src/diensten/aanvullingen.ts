// The corporation's own updates on an open case (convenant art. 3.9 "vice versa", art. 8.1): a broken
// payment arrangement, or an eviction date. Each is stored encrypted on the case and reaches the
// wijkteam (and, for an eviction date, the troubleshooter) as an encrypted message. A retry of the same
// update is recognised and answered with the one already stored, so nothing is told twice.
import type { Aanvulling } from '../domain/berichten.js';
import type { Aanvullingsoort } from '../domain/overgangen.js';
import type { Spoor } from '../domain/verwerking.js';
import { amsterdamDatum } from '../domain/werkdagen.js';
import { SignaalbrugError } from '../errors.js';
import type { Sleutelring } from '../store/sleutelring.js';
import type { Casussen } from './casussen.js';
import { CONTEXT, type Lezen } from './lezen.js';

export interface AanvullingDeps {
  casussen: Casussen;
  lezen: Lezen;
  sleutels: Sleutelring;
  klok: () => Date;
}

export type AanvullingInvoer = { soort: 'betalingsregeling-verbroken' } | { soort: 'ontruimingsdatum'; ontruimingsdatum: string };

export function createAanvullingen({ casussen, lezen, sleutels, klok }: AanvullingDeps) {
  /** The updates already on the case, newest last. */
  async function eerdere(meldingId: string): Promise<{ versie: string; aanvulling: Aanvulling }[]> {
    const versies = (await lezen.gebeurtenissen(meldingId)).filter((g) => g.soort === 'aanvulling').map((g) => String(g.versie));
    const uit = [];
    for (const versie of versies) {
      const a = await lezen.aanvulling(meldingId, versie);
      if (a) uit.push({ versie, aanvulling: a });
    }
    return uit;
  }

  return {
    eerdere,

    /** By the corporation that sent the melding; to anyone else it does not exist. */
    async vulAan(meldingId: string, invoer: AanvullingInvoer, door: { oin: string; spoor?: Spoor; gebruiker?: string; kanaal: 'api' | 'werkplek' }): Promise<{ versie: string; nieuw: boolean }> {
      const meta = await casussen.meta(meldingId);
      if (!meta || meta.oin !== door.oin) throw new SignaalbrugError('SB_NIET_GEVONDEN', 'melding niet gevonden');
      const nu = klok();
      if (invoer.soort === 'ontruimingsdatum') {
        // A past date is no news to act on; one more than two years ahead is a typing error.
        const vandaag = amsterdamDatum(nu);
        const grens = amsterdamDatum(new Date(nu.getTime() + 2 * 366 * 86_400_000));
        if (invoer.ontruimingsdatum < vandaag || invoer.ontruimingsdatum > grens)
          throw new SignaalbrugError('SB_ONGELDIGE_INVOER', 'de aanvulling voldoet niet; zie invalidParams',
            [{ name: 'ontruimingsdatum', reason: `de ontruimingsdatum ligt vandaag (${vandaag}) of later, en binnen twee jaar` }]);
      }
      const zelfde = (await eerdere(meldingId)).findLast((e) => e.aanvulling.soort === invoer.soort);
      const datum = invoer.soort === 'ontruimingsdatum' ? invoer.ontruimingsdatum : undefined;
      if (zelfde && zelfde.aanvulling.ontruimingsdatum === datum) return { versie: zelfde.versie, nieuw: false };
      const aanvulling: Aanvulling = { soort: invoer.soort, ...(datum ? { ontruimingsdatum: datum } : {}), ontvangenOp: nu.toISOString() };
      // The version is the moment of the step: the domain names the field after it.
      const versie = String(nu.getTime());
      const versleuteld = sleutels.versleutel(JSON.stringify(aanvulling), CONTEXT.aanvulling(meldingId, versie));
      await casussen.pasToe(meldingId, { soort: 'aanvulling', door: { oin: door.oin, spoor: door.spoor, gebruiker: door.gebruiker }, kanaal: door.kanaal,
        aanvulling: invoer.soort satisfies Aanvullingsoort, versleuteld }, nu);
      return { versie, nieuw: true };
    },
  };
}

export type Aanvullingen = ReturnType<typeof createAanvullingen>;
