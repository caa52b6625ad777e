// Terugkoppeling and afsluiting: the ways a case is answered and ended. Each is one transition computed
// by the domain (timers stopped, the corporation told through the outbox and its feed, the retention
// term) and executed atomically. Used by the API and the portal alike, so each behaves the same from
// every door.
import { eindresultaatVoorCorporatie, type Eindresultaat } from '../domain/ddas.js';
import { terugkoppelingVoorCorporatie, type TerugkoppelingMetDdas } from '../domain/terugkoppeling.js';
import { opTijd } from '../domain/termijnen.js';
import type { Status } from '../domain/status.js';
import type { Spoor } from '../domain/verwerking.js';
import { SignaalbrugError } from '../errors.js';
import type { MeldingenStore } from '../store/meldingen.js';
import type { Sleutelring } from '../store/sleutelring.js';
import type { Casussen } from './casussen.js';
import { CONTEXT, type Lezen } from './lezen.js';

export interface TerugkoppelingDeps {
  casussen: Casussen;
  store: MeldingenStore;
  lezen: Lezen;
  sleutels: Sleutelring;
  klok: () => Date;
}

export function createTerugkoppelingDienst({ casussen, store, lezen, sleutels, klok }: TerugkoppelingDeps) {
  /** The end of a case that was answered or escalated (by the gemeente it was routed to); retention starts here. */
  async function sluitAf(meldingId: string, door: { oin: string; spoor?: Spoor; gebruiker?: string; kanaal: 'api' | 'portaal' | 'werkplek' | 'cli' }, reden: string, eindresultaat?: Eindresultaat): Promise<{ status: Status }> {
    const meta = await casussen.meta(meldingId);
    if (!meta || meta.wijkteamOin !== door.oin) throw new SignaalbrugError('SB_NIET_GEVONDEN', 'melding niet gevonden');
    // Encrypted: "Inwoner is overleden" or a referral to care says something about a person.
    const versleuteld = eindresultaat
      ? sleutels.versleutel(JSON.stringify({ resultaat: eindresultaat, ontvangenOp: klok().toISOString() }), CONTEXT.eindresultaat(meldingId)) : undefined;
    const r = await casussen.pasToe(meldingId, {
      soort: 'afgesloten', door: { oin: door.oin, spoor: door.spoor, gebruiker: door.gebruiker }, kanaal: door.kanaal, reden, ...(versleuteld ? { eindresultaat: versleuteld } : {}),
    });
    return { status: r!.status };
  }

  return {
    sluitAf,

    /**
     * Feedback by the wijkteam organisation the melding was routed to; to anyone else it does not exist.
     * `wijzigen`: amend feedback already given (event terugkoppeling-gewijzigd; the corporation is told
     * again) instead of refusing a second answer (409).
     */
    async geef(meldingId: string, invoer: TerugkoppelingMetDdas, door: { oin: string; kanaal: 'api' | 'portaal' | 'werkplek'; spoor?: Spoor; gebruiker?: string; wijzigen?: boolean }): Promise<{ status: Status; opTijd: boolean }> {
      const meta = await casussen.meta(meldingId);
      if (!meta || meta.wijkteamOin !== door.oin) throw new SignaalbrugError('SB_NIET_GEVONDEN', 'melding niet gevonden');
      const nu = klok();
      // An amendment keeps whether the first answer came on time.
      const eerder = door.wijzigen && meta.status === 'teruggekoppeld' ? await lezen.terugkoppeling(meldingId) : undefined;
      const tijdig = eerder?.opTijd ?? opTijd(meta.terugkoppelingUiterlijk, nu);
      // Encrypted: 'overleden' or 'wil geen hulp' says something about a person.
      const versleuteld = sleutels.versleutel(JSON.stringify({ ...invoer, ontvangenOp: nu.toISOString(), opTijd: tijdig }), CONTEXT.terugkoppeling(meldingId));
      const r = await casussen.pasToe(meldingId,
        { soort: 'teruggekoppeld', door: { oin: door.oin, spoor: door.spoor, gebruiker: door.gebruiker }, kanaal: door.kanaal, versleuteld, wilHulp: invoer.wilHulp,
          ...(door.wijzigen ? { wijziging: true } : {}) }, nu);
      return { status: r!.status, opTijd: tijdig };
    },

    lees: (meldingId: string) => lezen.terugkoppeling(meldingId),

    /**
     * The sending corporation's feed: one page after the cursor, with the melding's referentie and
     * status, its feedback, and of its outcome only what the corporation may see.
     */
    async voorCorporatie(oin: string, sinds: string, max: number) {
      const items = await store.feed(oin, sinds, max);
      const terugkoppelingen = [];
      for (const [, velden] of items) {
        const r = velden.melding ? await lezen.melding(velden.melding) : undefined;
        const k = r ? await lezen.terugkoppeling(r.id) : undefined;
        const e = r ? await lezen.eindresultaat(r.id) : undefined;
        if (r && (k || e)) terugkoppelingen.push({
          melding: r.id, referentie: r.gegevens.referentie, status: r.status, soort: velden.soort ?? 'terugkoppeling',
          ...(k ? { terugkoppeling: terugkoppelingVoorCorporatie(k) } : {}), ...(e ? { eindresultaat: eindresultaatVoorCorporatie(e.resultaat) } : {}),
        });
      }
      return { terugkoppelingen, volgende: items.at(-1)?.[0] ?? sinds };
    },

    /** DDAS: the outcome of the case (vroegsignaalzaak.resultaat), which ends it. */
    geefEindresultaat(meldingId: string, resultaat: Eindresultaat, door: { oin: string; spoor?: Spoor; gebruiker?: string; kanaal: 'api' | 'portaal' | 'werkplek' }) {
      return sluitAf(meldingId, door, 'eindresultaat', resultaat);
    },
  };
}

export type TerugkoppelingDienst = ReturnType<typeof createTerugkoppelingDienst>;
