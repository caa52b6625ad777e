// Reading a case: its personal data decrypted only for those allowed to see it, and every reading of
// personal data outside a state change recorded in the logboek (Logboek dataverwerkingen).
import type { Aanvulling, Casus as Berichtcasus, Herhaling } from '../domain/berichten.js';
import type { Eindresultaat } from '../domain/ddas.js';
import type { Gegevens } from '../domain/signaal.js';
import { logboekrecord, type Casus, type Gebeurtenis, type Regels } from '../domain/overgangen.js';
import type { TerugkoppelingMetDdas } from '../domain/terugkoppeling.js';
import type { Actie, Spoor } from '../domain/verwerking.js';
import { SignaalbrugError } from '../errors.js';
import { gemeenteVan, type Config } from '../config.js';
import type { LogboekStore } from '../store/logboek.js';
import type { MeldingenStore, Opgeslagen } from '../store/meldingen.js';
import type { Sleutelring } from '../store/sleutelring.js';

/** A case with its personal data. */
export type MeldingRecord = Casus & { gegevens: Gegevens };

export type OpgeslagenTerugkoppeling = TerugkoppelingMetDdas & { ontvangenOp: string; opTijd: boolean };

/** Encryption contexts (AAD): a ciphertext opens only under the case and field it was written for. */
export const CONTEXT = {
  gegevens: (id: string) => id,
  terugkoppeling: (id: string) => `${id}:terugkoppeling`,
  eindresultaat: (id: string) => `${id}:eindresultaat`,
  troubleshooterUitkomst: (id: string) => `${id}:troubleshooterUitkomst`,
  herhaling: (id: string) => `${id}:herhaling`,
  aanvulling: (id: string, versie: string) => `${id}:aanvulling:${versie}`,
};

/** The outcome as the gemeente gave it (DDAS EnumEindresultaat), with when. */
export interface OpgeslagenEindresultaat {
  resultaat: Eindresultaat;
  ontvangenOp: string;
}

export interface LezenDeps {
  config: Config;
  store: MeldingenStore;
  logboek: LogboekStore;
  sleutels: Sleutelring;
  regels: Regels;
  klok: () => Date;
}

export function createLezen({ config, store, logboek, sleutels, regels, klok }: LezenDeps) {
  const corporaties = new Map(config.organisaties.map((o) => [o.oin, o.naam]));
  const wijkteams = new Map(config.wijkteams.map((w) => [w.id, w.naam]));

  /** The case read, with its personal data decrypted; undefined once that data was removed. */
  async function metGegevens(c: Opgeslagen | undefined): Promise<MeldingRecord | undefined> {
    const blob = c && !c.verwijderdOp ? await store.veld(c.id, 'gegevens') : undefined;
    // Personal data removed (retention or the tenant's request): for every reader it no longer exists.
    if (!c || !blob) return undefined;
    const { verwijderdOp: _, ...casus } = c;
    return { ...casus, gegevens: JSON.parse(sleutels.ontsleutel(blob, CONTEXT.gegevens(c.id))) as Gegevens };
  }

  const melding = async (id: string) => metGegevens(await store.casus(id));

  return {
    melding,

    /**
     * The melding if this organisation may see it (the sender or the wijkteam organisation it was
     * routed to); otherwise it does not exist. Ownership is judged on metadata first, so another
     * caller costs no decryption (and learns nothing from its time).
     */
    async voorOrganisatie(id: string, oin: string): Promise<MeldingRecord> {
      const c = await store.casus(id);
      const r = c && (c.oin === oin || c.wijkteamOin === oin) ? await metGegevens(c) : undefined;
      if (!r) throw new SignaalbrugError('SB_NIET_GEVONDEN', 'melding niet gevonden');
      return r;
    },

    async terugkoppeling(id: string): Promise<OpgeslagenTerugkoppeling | undefined> {
      const blob = await store.veld(id, 'terugkoppeling');
      return blob ? (JSON.parse(sleutels.ontsleutel(blob, CONTEXT.terugkoppeling(id))) as OpgeslagenTerugkoppeling) : undefined;
    },

    async eindresultaat(id: string): Promise<OpgeslagenEindresultaat | undefined> {
      const blob = await store.veld(id, 'eindresultaat');
      return blob ? (JSON.parse(sleutels.ontsleutel(blob, CONTEXT.eindresultaat(id))) as OpgeslagenEindresultaat) : undefined;
    },

    /** The corporation's update `versie` on this case (art. 3.9, 8.1). */
    async aanvulling(id: string, versie: string): Promise<Aanvulling | undefined> {
      const blob = await store.veld(id, `aanvulling:${versie}`);
      return blob ? (JSON.parse(sleutels.ontsleutel(blob, CONTEXT.aanvulling(id, versie))) as Aanvulling) : undefined;
    },

    /** The earlier melding of the same tenant this one repeats (DDAS herhaalde melding), as intake found it. */
    async herhaling(id: string): Promise<Herhaling | undefined> {
      const blob = await store.veld(id, 'herhaling');
      return blob ? (JSON.parse(sleutels.ontsleutel(blob, CONTEXT.herhaling(id))) as Herhaling) : undefined;
    },

    /** What the troubleshooter recorded came of the case (art. 8.2). */
    async troubleshooterUitkomst(id: string): Promise<{ uitkomst: string; ontvangenOp: string } | undefined> {
      const blob = await store.veld(id, 'troubleshooterUitkomst');
      return blob ? JSON.parse(sleutels.ontsleutel(blob, CONTEXT.troubleshooterUitkomst(id))) : undefined;
    },

    gebeurtenissen: (id: string): Promise<Gebeurtenis[]> => store.gebeurtenissen(id),

    /** A logboek record about one case outside a state change (e.g. a repeated reading); none for a case that does not exist. */
    async vastleggen(id: string, a: { actie: Actie; oin: string; op?: Date; spoor?: Spoor; extra?: Record<string, string | undefined> }): Promise<void> {
      const c = await store.casus(id);
      if (c) await logboek.schrijf(logboekrecord(c, regels, { ...a, op: a.op ?? klok() }));
    },

    /** The case as the message templates see it: names instead of ids. */
    berichtcasus(r: MeldingRecord): Berichtcasus {
      // Templates name the convenant of the melding's own gemeente and its article for the soort.
      const convenant = gemeenteVan(config, r).convenant;
      const artikel = convenant.artikelen?.[r.soort];
      return { ...r, corporatie: corporaties.get(r.oin) ?? r.oin, wijkteam: wijkteams.get(r.wijkteam) ?? r.wijkteam,
        convenant: convenant.naam, ...(artikel ? { artikel } : {}) };
    },
  };
}

export type Lezen = ReturnType<typeof createLezen>;
