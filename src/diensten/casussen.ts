// How every service changes a case: read it, let the domain compute the transition, have the store
// execute it (compare-and-set on the status), and compute again when another writer moved the case
// first. A refusal of the rules is a 409 problem; a case that does not exist is a 404.
import { isWeigering, overgang, type Casus, type Overgang, type Regelboek, type Voorval } from '../domain/overgangen.js';
import type { Status } from '../domain/status.js';
import { SignaalbrugError } from '../errors.js';
import type { MeldingenStore, Opgeslagen } from '../store/meldingen.js';

export interface CasusDeps {
  store: MeldingenStore;
  /** Each gemeente's rules; a case follows its own gemeente's. */
  regelboek: Regelboek;
  klok: () => Date;
}

export interface Toegepast {
  status: Status;
  overgang: Overgang;
}

export function createCasussen({ store, regelboek, klok }: CasusDeps) {
  return {
    /** The first (in a one-gemeente deployment: the only) gemeente's rules. */
    regels: regelboek.alle[0]!,
    regelboek,
    /** The rules of the case's gemeente (deadlines, stages, retention). */
    regelsVoor: (c: { gemeente?: string; wijkteam?: string }) => regelboek.voor(c),
    /** The case's metadata, or undefined when it does not exist or its personal data was removed. */
    async meta(id: string): Promise<Casus | undefined> {
      const c = await store.casus(id);
      return c && !c.verwijderdOp ? c : undefined;
    },

    /** Metadata also of a case whose personal data is gone (for events that still concern it). */
    opgeslagen: (id: string): Promise<Opgeslagen | undefined> => store.casus(id),

    /**
     * Apply an event. `voorval` may depend on the case as read (e.g. whether feedback is on time).
     * Returns undefined when the event's gate timer was already claimed or cancelled.
     */
    async pasToe(id: string, voorval: Voorval | ((c: Casus) => Voorval), nu: Date = klok()): Promise<Toegepast | undefined> {
      for (let poging = 0; poging < 20; poging++) {
        const c = await store.casus(id);
        if (!c) throw new SignaalbrugError('SB_NIET_GEVONDEN', 'melding niet gevonden');
        const o = overgang(c, typeof voorval === 'function' ? voorval(c) : voorval, nu, regelboek.voor(c));
        if (isWeigering(o)) throw new SignaalbrugError('SB_CONFLICT', o.geweigerd);
        const r = await store.voerUit(o);
        if (r === 'gedaan') return { status: o.naar, overgang: o };
        if (r === 'poort-weg') return undefined;
      }
      throw new SignaalbrugError('SB_OPSLAG_ONBEREIKBAAR', 'te veel gelijktijdige wijzigingen op deze melding');
    },
  };
}

export type Casussen = ReturnType<typeof createCasussen>;
