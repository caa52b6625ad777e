// Work lists of the werkplek: the cases of one corporation, of one wijkteam or of all wijkteams of a
// gemeente, and the troubleshooter's escalations and eviction dates. Metadata and events only (no
// personal data, so a list is no logboek record): status, deadline, soort, and what the events say
// (answered and on time, escalated, taken up). Bounded work, as the reports do: cases are found
// through the corporation indexes within the retention window (older cases have lost their personal
// data), read in pipelined batches, and a list holds at most `max` rows.
//
// Scope is decided here, on metadata, before anything is decrypted: a case outside the caller's
// scope does not exist for it (404), whatever the id.
import { isMelder, type Config } from '../config.js';
import { SOORTEN, type Soort } from '../domain/melding.js';
import type { Gebeurtenis } from '../domain/overgangen.js';
import type { CasusMeta } from '../domain/rapportage.js';
import { OPEN } from '../domain/status.js';
import { amsterdamDatum } from '../domain/werkdagen.js';
import { SignaalbrugError } from '../errors.js';
import type { RapportageStore, RuweCasus } from '../store/rapportage.js';

/** Whose cases: a corporation its own; a gemeente its wijkteams' (or one wijkteam's); the troubleshooter the gemeente's escalations. */
export type Werkbereik =
  | { soort: 'corporatie'; oin: string }
  | { soort: 'gemeente'; oin: string; wijkteam?: string }
  | { soort: 'troubleshooter'; oin: string };

/** The tabs of a wijkteam's work list (Zammad/Znuny style views). */
export const WIJKTEAM_TABS = ['nieuw', 'vandaag', 'over-tijd', 'geescaleerd', 'beantwoord', 'alle'] as const;
export type WijkteamTab = (typeof WIJKTEAM_TABS)[number];
/** The troubleshooter's tabs: not yet finished (no outcome recorded), finished, all. */
export const TROUBLESHOOTER_TABS = ['open', 'afgerond', 'alle'] as const;
export type TroubleshooterTab = (typeof TROUBLESHOOTER_TABS)[number];

export interface Werkfilter {
  tab?: WijkteamTab | TroubleshooterTab;
  corporatie?: string;
  soort?: Soort;
  wijkteam?: string;
  /** Deadline on or after / on or before (YYYY-MM-DD). */
  uiterlijkVan?: string;
  uiterlijkTot?: string;
}

/** One row: the case's metadata and what its events say. Never personal data. */
export interface Werkregel extends CasusMeta {
  /** Personal data removed (retention or erasure): nothing to open any more. */
  verwijderd: boolean;
  /** Feedback still owed (timers run). */
  open: boolean;
  gelezenOp: string | null;
  teruggekoppeldOp: string | null;
  opTijd: boolean | null;
  geescaleerdOp: string | null;
  werkdagenTeLaat: number;
  opgepaktOp: string | null;
  uitkomstOp: string | null;
  afgeslotenOp: string | null;
  ingetrokkenOp: string | null;
  /** The corporation reported an eviction date: the soort itself, or an update (aanvulling). */
  ontruimingsdatumBekend: boolean;
  /** The latest eviction-date update's version (its encrypted value is read on the detail page only). */
  ontruimingsdatumVersie: string | null;
}

export interface Werklijst {
  regels: Werkregel[];
  /** Rows that matched before the cap. */
  totaal: number;
  afgekapt: boolean;
  /** Rows per tab (with the other filters applied). */
  tellingen: Record<string, number>;
}

export interface WerklijstenDeps {
  config: Config;
  store: RapportageStore;
  klok: () => Date;
}

const DAG = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** At most this many rows on one page of a list; the filters narrow it. */
export const MAX_REGELS = 500;

const nietGevonden = () => new SignaalbrugError('SB_NIET_GEVONDEN', 'melding niet gevonden');

/** What the events say about a case, as one row. */
export function werkregel(c: RuweCasus): Werkregel {
  const laatste = (soort: string) => c.gebeurtenissen.filter((g) => g.soort === soort).at(-1);
  const op = (g: Gebeurtenis | undefined) => g?.op ?? null;
  const t = laatste('teruggekoppeld');
  const e = laatste('geescaleerd');
  const ontruiming = c.gebeurtenissen.filter((g) => g.soort === 'aanvulling' && g.aanvulling === 'ontruimingsdatum').at(-1);
  return {
    id: c.id, oin: c.oin, wijkteam: c.wijkteam, wijkteamOin: c.wijkteamOin, soort: c.soort, status: c.status,
    ontvangenOp: c.ontvangenOp, terugkoppelingUiterlijk: c.terugkoppelingUiterlijk,
    verwijderd: Boolean(c.verwijderdOp), open: OPEN.includes(c.status),
    gelezenOp: op(laatste('gelezen')), teruggekoppeldOp: op(t), opTijd: typeof t?.opTijd === 'boolean' ? t.opTijd : null,
    geescaleerdOp: op(e), werkdagenTeLaat: typeof e?.werkdagenTeLaat === 'number' ? e.werkdagenTeLaat : 0,
    opgepaktOp: op(laatste('escalatie-opgepakt')), uitkomstOp: op(laatste('escalatie-uitkomst')),
    afgeslotenOp: op(laatste('afgesloten')), ingetrokkenOp: op(laatste('ingetrokken')),
    ontruimingsdatumBekend: c.soort === 'ontruimingsdatum-bekend' || Boolean(ontruiming),
    ontruimingsdatumVersie: typeof ontruiming?.versie === 'string' ? ontruiming.versie : null,
  };
}

/** Whether the case lies within the scope (metadata only). */
export function binnenBereik(r: Pick<Werkregel, 'oin' | 'wijkteam' | 'wijkteamOin' | 'soort' | 'geescaleerdOp' | 'ontruimingsdatumBekend'>, b: Werkbereik): boolean {
  switch (b.soort) {
    case 'corporatie': return r.oin === b.oin;
    case 'gemeente': return r.wijkteamOin === b.oin && (b.wijkteam === undefined || r.wijkteam === b.wijkteam);
    // The troubleshooter acts for the gemeente the melding was routed to, on escalations and eviction dates only.
    case 'troubleshooter': return r.wijkteamOin === b.oin && (Boolean(r.geescaleerdOp) || r.ontruimingsdatumBekend);
  }
}

/** The wijkteam tab a row belongs to, on the Amsterdam date `vandaag`; a row can be in more than one. */
export function inWijkteamTab(r: Werkregel, tab: WijkteamTab, vandaag: string): boolean {
  const owed = r.open && !r.verwijderd;
  switch (tab) {
    case 'nieuw': return owed && (r.status === 'ontvangen' || r.status === 'verzonden' || r.status === 'bezorging-mislukt');
    case 'vandaag': return owed && r.terugkoppelingUiterlijk === vandaag;
    case 'over-tijd': return owed && r.terugkoppelingUiterlijk < vandaag;
    case 'geescaleerd': return r.status === 'geescaleerd';
    case 'beantwoord': return r.status === 'teruggekoppeld' || r.status === 'afgesloten';
    case 'alle': return true;
  }
}

export function inTroubleshooterTab(r: Werkregel, tab: TroubleshooterTab): boolean {
  switch (tab) {
    case 'open': return !r.uitkomstOp && r.status !== 'ingetrokken' && !r.verwijderd;
    case 'afgerond': return Boolean(r.uitkomstOp) || r.status === 'ingetrokken' || r.verwijderd;
    case 'alle': return true;
  }
}

export function createWerklijsten({ config, store, klok }: WerklijstenDeps) {
  const corporaties = config.organisaties.filter(isMelder).map((o) => o.oin);

  /** Every case within scope and the retention window, read in batches. */
  async function inBereik(b: Werkbereik, corporatie?: string): Promise<Werkregel[]> {
    const vanaf = klok().getTime() - (config.privacy.uiterlijkeBewaartermijnDagen + 2) * DAG;
    // A corporation's cases are in its own index; a gemeente's lie in every corporation's index.
    const oins = b.soort === 'corporatie' ? [b.oin] : corporatie ? corporaties.filter((o) => o === corporatie) : corporaties;
    const uit: Werkregel[] = [];
    for await (const ids of store.meldingIds(oins, vanaf, '+inf')) {
      for (const c of await store.casussen(ids, { gebeurtenissen: true })) {
        const r = werkregel(c);
        if (binnenBereik(r, b)) uit.push(r);
      }
    }
    return uit;
  }

  return {
    /** The list in scope with the filters; tab counts with every filter but the tab. */
    async lijst(b: Werkbereik, f: Werkfilter = {}, o: { max?: number } = {}): Promise<Werklijst> {
      const max = o.max ?? MAX_REGELS;
      const vandaag = amsterdamDatum(klok());
      const alle = (await inBereik(b, b.soort === 'corporatie' ? undefined : f.corporatie)).filter((r) =>
        (!f.soort || r.soort === f.soort)
        && (!f.corporatie || r.oin === f.corporatie)
        && (!f.wijkteam || r.wijkteam === f.wijkteam)
        && (!f.uiterlijkVan || r.terugkoppelingUiterlijk >= f.uiterlijkVan)
        && (!f.uiterlijkTot || r.terugkoppelingUiterlijk <= f.uiterlijkTot));
      const tellingen: Record<string, number> = {};
      let inTab: (r: Werkregel) => boolean = () => true;
      if (b.soort === 'gemeente') {
        for (const t of WIJKTEAM_TABS) tellingen[t] = alle.filter((r) => inWijkteamTab(r, t, vandaag)).length;
        const tab = (WIJKTEAM_TABS as readonly string[]).includes(f.tab ?? '') ? (f.tab as WijkteamTab) : 'alle';
        inTab = (r) => inWijkteamTab(r, tab, vandaag);
      } else if (b.soort === 'troubleshooter') {
        for (const t of TROUBLESHOOTER_TABS) tellingen[t] = alle.filter((r) => inTroubleshooterTab(r, t)).length;
        const tab = (TROUBLESHOOTER_TABS as readonly string[]).includes(f.tab ?? '') ? (f.tab as TroubleshooterTab) : 'alle';
        inTab = (r) => inTroubleshooterTab(r, tab);
      }
      const regels = alle.filter(inTab);
      // A corporation reads its newest first; work lists the most urgent first (earliest deadline, then oldest).
      if (b.soort === 'corporatie') regels.sort((x, y) => y.ontvangenOp.localeCompare(x.ontvangenOp));
      else if (b.soort === 'troubleshooter')
        regels.sort((x, y) => Number(Boolean(x.opgepaktOp)) - Number(Boolean(y.opgepaktOp)) || x.ontvangenOp.localeCompare(y.ontvangenOp));
      else regels.sort((x, y) => x.terugkoppelingUiterlijk.localeCompare(y.terugkoppelingUiterlijk) || x.ontvangenOp.localeCompare(y.ontvangenOp));
      return { regels: regels.slice(0, max), totaal: regels.length, afgekapt: regels.length > max, tellingen };
    },

    /**
     * One case as a row, if it lies within the scope and still holds its personal data; otherwise it
     * does not exist (404). Judged on metadata, so nothing is decrypted for someone out of scope.
     */
    async casus(id: string, b: Werkbereik): Promise<Werkregel> {
      if (!UUID.test(id)) throw nietGevonden();
      const [c] = await store.casussen([id], { gebeurtenissen: true });
      const r = c && werkregel(c);
      if (!r || r.verwijderd || !binnenBereik(r, b)) throw nietGevonden();
      return r;
    },

    /** The soorten and corporations a filter may name (for the pages' selects). */
    soorten: SOORTEN,
    corporaties: () => config.organisaties.filter(isMelder).map((o) => ({ oin: o.oin, naam: o.naam })),
    wijkteamsVan: (gemeente: string) => config.wijkteams.filter((w) => w.organisatie === gemeente).map((w) => ({ id: w.id, naam: w.naam })),
    naam: (oin: string) => config.organisaties.find((o) => o.oin === oin)?.naam ?? oin,
    wijkteamNaam: (id: string) => config.wijkteams.find((w) => w.id === id)?.naam ?? id,
  };
}

export type Werklijsten = ReturnType<typeof createWerklijsten>;
