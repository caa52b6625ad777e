// Terugkoppeling and intrekking: the two ways a case is answered or stopped. Both are one atomic
// state change that also cancels the timers, queues the mail that tells the other party (outbox),
// and (for feedback) appends to the corporation's feed. Used by the API and by the portal alike.
import type { Config } from '../config.js';
import { termijnLid, opTijd } from '../domain/termijnen.js';
import type { Terugkoppeling } from '../domain/terugkoppeling.js';
import { isFinaal, OPEN } from '../domain/status.js';
import { SignaalbrugError } from '../errors.js';
import type { MeldingenRepo } from '../store/meldingen.js';
import type { Sleutelring } from '../store/sleutelring.js';
import type { Status } from '../domain/status.js';
import { verwijderNaEinde } from '../domain/bewaartermijn.js';
import type { Spoor } from '../domain/verwerking.js';

export const INTREKKINGSREDENEN = ['achterstand-betaald', 'betalingsregeling-getroffen', 'huurder-verhuisd', 'vergissing', 'overig'] as const;
export type Intrekkingsreden = (typeof INTREKKINGSREDENEN)[number];

export interface TerugkoppelingDienst {
  geef(meldingId: string, invoer: Terugkoppeling, door: { oin: string; kanaal: 'api' | 'portaal'; spoor?: Spoor }): Promise<{ status: Status; opTijd: boolean }>;
  trekIn(meldingId: string, door: { oin: string; spoor?: Spoor }, reden?: Intrekkingsreden): Promise<{ status: Status; nieuw: boolean }>;
  /** The stored feedback of a melding, decrypted. */
  lees(meldingId: string): Promise<(Terugkoppeling & { ontvangenOp: string; opTijd: boolean }) | undefined>;
}

export interface TerugkoppelingDeps {
  config: Config;
  repo: MeldingenRepo;
  sleutels: Sleutelring;
  klok: () => Date;
  /** Called after a withdrawal, e.g. to revoke secure links. */
  naIntrekking?: (meldingId: string) => Promise<void>;
}

export function createTerugkoppelingDienst(deps: TerugkoppelingDeps): TerugkoppelingDienst {
  const { repo, sleutels, klok } = deps;
  /** Every timer a case can have: feedback reminder and escalation, and the further terms. */
  const timers = (id: string) => [
    termijnLid(id, 'herinnering'), termijnLid(id, 'escalatie'), ...deps.config.convenant.extraTermijnen.map((e) => termijnLid(id, `extra:${e.naam}`)),
  ];

  return {
    async geef(meldingId, invoer, door) {
      const meta = await repo.haalMeta(meldingId);
      // Only the gemeente the melding was routed to; to anyone else it does not exist.
      if (!meta || meta.wijkteamOin !== door.oin) throw new SignaalbrugError('SB_NIET_GEVONDEN', 'melding niet gevonden');
      if (isFinaal(meta.status)) throw new SignaalbrugError('SB_CONFLICT', `de melding is ${meta.status}; terugkoppeling is niet meer mogelijk`);
      if (meta.status === 'teruggekoppeld') throw new SignaalbrugError('SB_CONFLICT', 'op deze melding is al teruggekoppeld');
      const nu = klok();
      const tijdig = opTijd(meta.terugkoppelingUiterlijk, nu);
      const opgeslagen = { ...invoer, ontvangenOp: nu.toISOString(), opTijd: tijdig };
      const status = await repo.registreer(meldingId, { soort: 'teruggekoppeld', op: nu.toISOString(), opTijd: tijdig, kanaal: door.kanaal }, {
        alleenVanuit: OPEN, stop: timers(meldingId),
        // Encrypted: 'overleden' or 'wil geen hulp' says something about a person.
        velden: { terugkoppeling: sleutels.versleutel(JSON.stringify(opgeslagen), `${meldingId}:terugkoppeling`) },
        outbox: { melding: meldingId, actie: 'terugkoppelen' },
        feed: { oin: meta.oin, velden: { melding: meldingId } },
        logboek: { actie: 'terugkoppeling-ontvangen', oin: door.oin, spoor: door.spoor, extra: { kanaal: door.kanaal } },
        // The case ended with feedback: its personal data goes after the retention term.
        verwijderUiterlijk: verwijderNaEinde(deps.config.privacy, nu, invoer),
      });
      return { status: status!, opTijd: tijdig };
    },

    async trekIn(meldingId, door, reden = 'overig') {
      const meta = await repo.haalMeta(meldingId);
      if (!meta || meta.oin !== door.oin) throw new SignaalbrugError('SB_NIET_GEVONDEN', 'melding niet gevonden');
      let nieuw = meta.status !== 'ingetrokken';
      if (nieuw) {
        if (isFinaal(meta.status)) throw new SignaalbrugError('SB_CONFLICT', `de melding is ${meta.status}`);
        try {
          const nu = klok();
          await repo.registreer(meldingId, { soort: 'ingetrokken', op: nu.toISOString(), reden }, {
            alleenVanuit: [...OPEN, 'teruggekoppeld'], stop: timers(meldingId), outbox: { melding: meldingId, actie: 'intrekken' },
            logboek: { actie: 'melding-ingetrokken', oin: door.oin, spoor: door.spoor, extra: { kanaal: 'api', reden } },
            verwijderUiterlijk: verwijderNaEinde(deps.config.privacy, nu),
          });
        } catch (err) {
          // Two withdrawals at once: the other one won, which is the same outcome.
          if (!(err instanceof SignaalbrugError && err.code === 'SB_CONFLICT' && (await repo.haalMeta(meldingId))?.status === 'ingetrokken')) throw err;
          nieuw = false;
        }
      }
      // Also on a repeat, so a retry after a failed revocation still revokes.
      await deps.naIntrekking?.(meldingId);
      return { status: 'ingetrokken', nieuw };
    },

    async lees(meldingId) {
      const blob = await repo.veld(meldingId, 'terugkoppeling');
      return blob ? JSON.parse(sleutels.ontsleutel(blob, `${meldingId}:terugkoppeling`)) : undefined;
    },
  };
}
