// The register of breaches (004 Bijlage 1 art. 9.3, fields a to j), and who was affected in a time
// window: which meldingen were held and which organisations must be told within 24 hours (art. 9.1).
import type { Config } from '../config.js';
import { ARTIKEL_9_3, type Datalek, type DatalekStore, type Geregistreerd } from '../store/datalekken.js';

export { ARTIKEL_9_3, type Datalek, type Geregistreerd };

export function createDatalekken({ config, store, klok }: { config: Config; store: DatalekStore; klok: () => Date }) {
  const namen = new Map(config.organisaties.map((x) => [x.oin, x]));

  /** The fields of art. 9.3 still empty: the register must hold them all "in ieder geval". */
  const ontbreekt = (d: Datalek) =>
    (Object.keys(ARTIKEL_9_3) as (keyof Datalek)[]).filter((k) => d[k] === null).map((k) => `${ARTIKEL_9_3[k]}: ${k}`);

  return {
    ontbreekt,
    registreer(d: Partial<Datalek>): Promise<Geregistreerd> {
      const leeg = Object.fromEntries((Object.keys(ARTIKEL_9_3) as (keyof Datalek)[]).map((k) => [k, null]));
      return store.registreer({ ...leeg, ...d } as Datalek, klok());
    },
    werkBij: (id: string, wijziging: Partial<Datalek>) => store.werkBij(id, wijziging, klok()),
    haal: (id: string) => store.haal(id),
    lijst: () => store.lijst(),

    /** Meldingen held at some moment in [van, tot], and per organisation how many. */
    async getroffen(van: Date, tot: Date, bekendOp?: string) {
      const meldingen = await store.getroffen(van, tot);
      const tel = new Map<string, number>();
      for (const m of meldingen) for (const oin of new Set([m.oin, m.wijkteamOin])) tel.set(oin, (tel.get(oin) ?? 0) + 1);
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
