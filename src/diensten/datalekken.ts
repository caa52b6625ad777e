// The register of breaches (004 Bijlage 1 art. 9.3, fields a to j), and who was affected in a time
// window: which meldingen were held and which organisations must be told within 24 hours (art. 9.1).
import type { Config } from '../config.js';
import { ARTIKEL_9_3, type Datalek, type DatalekStore, type Geregistreerd } from '../store/datalekken.js';

export { ARTIKEL_9_3, type Datalek, type Geregistreerd };

/**
 * A breach with the organisation that registered it in the werkplek (its privacy officer). A record
 * without one was registered by the operator at the CLI: a breach at the service itself, which every
 * partner must hear of (004 Bijlage 1 art. 9.1), so every privacy officer may read it.
 */
export type DatalekVan = Geregistreerd & { organisatie?: string };

export function createDatalekken({ config, store, klok }: { config: Config; store: DatalekStore; klok: () => Date }) {
  const namen = new Map(config.organisaties.map((x) => [x.oin, x]));

  /** The fields of art. 9.3 still empty: the register must hold them all "in ieder geval". */
  const ontbreekt = (d: Datalek) =>
    (Object.keys(ARTIKEL_9_3) as (keyof Datalek)[]).filter((k) => d[k] === null).map((k) => `${ARTIKEL_9_3[k]}: ${k}`);

  /** One breach if the organisation may read it; otherwise it does not exist. */
  async function haalVoor(id: string, organisatie: string): Promise<DatalekVan | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
    const d = (await store.haal(id)) as DatalekVan | undefined;
    return d && (d.organisatie === undefined || d.organisatie === organisatie) ? d : undefined;
  }

  return {
    ontbreekt,
    registreer(d: Partial<Datalek>): Promise<Geregistreerd> {
      const leeg = Object.fromEntries((Object.keys(ARTIKEL_9_3) as (keyof Datalek)[]).map((k) => [k, null]));
      return store.registreer({ ...leeg, ...d } as Datalek, klok());
    },
    werkBij: (id: string, wijziging: Partial<Datalek>) => store.werkBij(id, wijziging, klok()),
    haal: (id: string) => store.haal(id),
    lijst: () => store.lijst(),

    /** Register a breach for an organisation (its privacy officer in the werkplek); stored encrypted with the rest. */
    registreerVoor(organisatie: string, d: Partial<Datalek>): Promise<DatalekVan> {
      const leeg = Object.fromEntries((Object.keys(ARTIKEL_9_3) as (keyof Datalek)[]).map((k) => [k, null]));
      return store.registreer({ ...leeg, ...d, organisatie } as Datalek, klok());
    },

    /** The breaches an organisation may read: its own and the operator's, newest first. */
    async lijstVoor(organisatie: string): Promise<DatalekVan[]> {
      return ((await store.lijst()) as DatalekVan[]).filter((d) => d.organisatie === undefined || d.organisatie === organisatie).reverse();
    },

    haalVoor,

    /** Complete or correct the organisation's own breach (the operator's stay the operator's to change). */
    async werkBijVoor(id: string, organisatie: string, wijziging: Partial<Datalek>): Promise<DatalekVan | undefined> {
      const d = await haalVoor(id, organisatie);
      if (!d || d.organisatie !== organisatie) return undefined;
      return store.werkBij(id, wijziging, klok());
    },

    /**
     * Meldingen held at some moment in [van, tot], and per organisation how many; for an organisation
     * (its privacy officer) only the meldingen it sent or that were routed to its wijkteams.
     */
    async getroffen(van: Date, tot: Date, bekendOp?: string, organisatie?: string) {
      const meldingen = (await store.getroffen(van, tot))
        .filter((m) => organisatie === undefined || m.oin === organisatie || m.wijkteamOin === organisatie);
      const tel = new Map<string, number>();
      for (const m of meldingen) {
        for (const oin of new Set([m.oin, m.wijkteamOin])) if (organisatie === undefined || oin === organisatie) tel.set(oin, (tel.get(oin) ?? 0) + 1);
      }
      return {
        van: van.toISOString(), tot: tot.toISOString(),
        // 004 Bijlage 1 art. 9.1: partners informed at the latest 24 hours after the breach became known.
        ...(bekendOp ? { partnersInformerenUiterlijk: new Date(Date.parse(bekendOp) + 86_400_000).toISOString() } : {}),
        aantalMeldingen: meldingen.length,
        organisaties: [...tel].map(([oin, aantal]) => ({ oin, naam: namen.get(oin)?.naam ?? null, rol: namen.get(oin)?.rol ?? null, aantalMeldingen: aantal })),
        meldingen: meldingen.map((m) => ({ id: m.id, corporatie: m.oin, wijkteam: m.wijkteam, soort: m.soort, ontvangenOp: m.ontvangenOp, verwijderdOp: m.verwijderdOp })),
      };
    },
  };
}

export type Datalekken = ReturnType<typeof createDatalekken>;
