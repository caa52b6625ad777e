// Withdrawal (intrekking) by the sending corporation, e.g. when the arrears are paid: one transition
// computed by the domain (deadlines stopped, the wijkteam told through the outbox, the retention term),
// and the secure link of the portal revoked. The API and the CLI's wiring both come here, so a
// withdrawal revokes the link from every door.
import type { Status } from '../domain/status.js';
import type { Spoor } from '../domain/verwerking.js';
import { SignaalbrugError } from '../errors.js';
import type { LinkStore } from '../store/links.js';
import type { Casussen } from './casussen.js';

export const INTREKKINGSREDENEN = ['achterstand-betaald', 'betalingsregeling-getroffen', 'huurder-verhuisd', 'vergissing', 'overig'] as const;
export type Intrekkingsreden = (typeof INTREKKINGSREDENEN)[number];

export function createIntrekking({ casussen, links }: { casussen: Casussen; links: Pick<LinkStore, 'trekIn'> }) {
  return {
    /**
     * Withdrawal by the sending corporation: deadlines stop, the wijkteam is told, and the secure link
     * shows "ingetrokken" (also on a repeat, so a retry after a failed revocation still revokes).
     */
    async trekIn(meldingId: string, door: { oin: string; spoor?: Spoor; gebruiker?: string; kanaal?: 'api' | 'werkplek' | 'cli' }, reden: Intrekkingsreden = 'overig'): Promise<{ status: Status; nieuw: boolean }> {
      const meta = await casussen.meta(meldingId);
      if (!meta || meta.oin !== door.oin) throw new SignaalbrugError('SB_NIET_GEVONDEN', 'melding niet gevonden');
      let nieuw = meta.status !== 'ingetrokken';
      if (nieuw) {
        try {
          await casussen.pasToe(meldingId, { soort: 'ingetrokken', door: { oin: door.oin, spoor: door.spoor, gebruiker: door.gebruiker }, kanaal: door.kanaal ?? 'api', reden });
        } catch (err) {
          // Two withdrawals at once: the other one won, which is the same outcome.
          if (!(err instanceof SignaalbrugError && err.code === 'SB_CONFLICT' && (await casussen.meta(meldingId))?.status === 'ingetrokken')) throw err;
          nieuw = false;
        }
      }
      await links.trekIn(meldingId);
      return { status: 'ingetrokken', nieuw };
    },
  };
}

export type Intrekking = ReturnType<typeof createIntrekking>;
