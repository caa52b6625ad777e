// Reports: the convenant's evaluation figures per period (004 art. 9.2 and 9.5), the corporations'
// own figures (art. 9.5.3), the DDAS export of a gemeente for the CBS, and the operational state
// behind the Prometheus gauges. Reads in batches through the report store; computes with the
// domain's pure rules. The figures need only metadata, events and the decrypted outcome; the DDAS
// export also decrypts the melding and feedback, for the gemeente the melding was routed to.
import { isMelder, signaalpartnerVan, type Config } from '../config.js';
import type { Eindresultaat } from '../domain/ddas.js';
import { GEMEENTECODE, uitwisselmodel, type DdasCasus, type Uitwisselmodel } from '../domain/ddas-export.js';
import { SOORTEN } from '../domain/melding.js';
import { partnerVanSoort, type Gegevens } from '../domain/signaal.js';
import {
  corporatieCijfersSchema, naarCsv, periodeFouten, periodeGrenzen, rapport, type CasusFeiten, type CorporatieCijfers, type Periode, type Rapport,
} from '../domain/rapportage.js';
import { isFinaal, OPEN, STATUSSEN, type Status } from '../domain/status.js';
import type { TerugkoppelingMetDdas } from '../domain/terugkoppeling.js';
import { amsterdamDatum } from '../domain/werkdagen.js';
import { invalidParams } from '../domain/invoerfouten.js';
import { SignaalbrugError } from '../errors.js';
import type { RapportageStore, RuweCasus } from '../store/rapportage.js';
import type { Sleutelring, Versleuteld } from '../store/sleutelring.js';
import type { Wachtrijen } from '../store/wachtrijen.js';
import { ddasFouten } from './ddas-levering.js';
import { INTREKKINGSREDENEN } from './intrekking.js';
import { CONTEXT } from './lezen.js';

/** Whose figures: a gemeente its wijkteams' cases, a corporation its own, the operator (CLI) all. */
export type Reikwijdte = { rol: 'gemeente' | 'corporatie'; oin: string } | { rol: 'beheer' };

export interface RapportageDeps {
  config: Config;
  store: RapportageStore;
  sleutels: Sleutelring;
  klok: () => Date;
  /** The BullMQ queues, for their depths (made on first use). */
  wachtrijen?: () => Wachtrijen;
  /** A logboek record for each case whose personal data went out in a DDAS delivery. */
  vastleggen?: (meldingId: string, oin: string) => Promise<void>;
}

/** The operational state behind the gauges. */
export interface Toestand {
  /** Cases not final whose personal data is still held, per status. */
  perStatus: Record<Status, number>;
  /** Feedback owed and its last day is today (Amsterdam). */
  vandaagUiterlijk: number;
  /** Feedback owed and its last day has passed. */
  overTijd: number;
  outbox: { lengte: number; oudsteLeeftijdSeconden: number };
  wachtrijen: Record<string, Record<string, number>>;
}

const DAG = 86_400_000;
/** How long the gauges reuse one reading of the state: a scrape never scans more often than this. */
const TOESTAND_CACHE_MS = 10_000;
const WACHTRIJ_STATEN = ['waiting', 'delayed', 'active', 'failed', 'prioritized'] as const;

export function ongeldigePeriode(van: string | undefined, tot: string | undefined): Periode {
  const fouten = periodeFouten(van, tot);
  if (fouten.length) throw new SignaalbrugError('SB_ONGELDIGE_INVOER', 'de periode voldoet niet; zie invalidParams', fouten);
  return { van: van!, tot: tot! };
}

export function createRapportage({ config, store, sleutels, klok, wachtrijen, vastleggen }: RapportageDeps) {
  const kleinAantal = config.rapportage?.kleinAantal ?? 5;
  // Every gemeente's extra non-working days (a regional hub): a day off in one convenant is no werkdag for its figures.
  const kalender = { extraVrijeDagen: [...new Set(config.gemeenten.flatMap((g) => g.convenant.extraVrijeDagen))] };
  const naam = new Map(config.organisaties.map((o) => [o.oin, o.naam]));
  const groepen = {
    gemeenten: config.organisaties.filter((o) => o.rol === 'gemeente').map((o) => ({ sleutel: o.oin, naam: o.naam })),
    corporaties: config.organisaties.filter(isMelder).map((o) => ({ sleutel: o.oin, naam: o.naam })),
    wijkteams: config.wijkteams.map((w) => ({ sleutel: w.id, naam: w.naam, organisatie: w.organisatie })),
  };
  // Figures per soort for the partner types of this convenant: corporations' soorten always, another
  // partner's once one is configured.
  const typen = new Set(config.organisaties.map((o) => signaalpartnerVan(config, o.oin)));
  const soorten = SOORTEN.filter((s) => typen.has(partnerVanSoort(s)) || partnerVanSoort(s) === 'Huur');

  const binnen = (r: Reikwijdte) => (c: Pick<RuweCasus, 'oin' | 'wijkteamOin'>) =>
    r.rol === 'beheer' || (r.rol === 'gemeente' ? c.wijkteamOin === r.oin : c.oin === r.oin);

  const ontsleutel = <T>(blob: Versleuteld | undefined, context: string): T | undefined =>
    blob ? (JSON.parse(sleutels.ontsleutel(blob, context)) as T) : undefined;

  /** Every case of the period in scope, read in batches; with the ciphertexts asked for. */
  async function* casussenIn(p: Periode, r: Reikwijdte, versleuteld: readonly ('eindresultaat' | 'terugkoppeling' | 'gegevens')[]) {
    const { vanMs, totMs } = periodeGrenzen(p);
    // A corporation's cases are in its own index: no need to look further.
    const oins = r.rol === 'corporatie' ? [r.oin] : await store.corporatieOins();
    const filter = binnen(r);
    for await (const ids of store.meldingIds(oins, vanMs, totMs)) {
      yield (await store.casussen(ids, { gebeurtenissen: true, versleuteld })).filter(filter);
    }
  }

  function feiten(c: RuweCasus): CasusFeiten {
    const e = ontsleutel<{ resultaat: Eindresultaat }>(c.eindresultaat, CONTEXT.eindresultaat(c.id));
    const { verwijderdOp: _v, eindresultaat: _e, terugkoppeling: _t, gegevens: _g, ...meta } = c;
    return { ...meta, ...(e ? { eindresultaat: e.resultaat } : {}) };
  }

  async function leveringenVan(oin: string): Promise<CorporatieCijfers[]> {
    return (await store.corporatieCijfers(oin)).map((s) => JSON.parse(s) as CorporatieCijfers);
  }

  let toestandCache: { op: number; klokOp: number; waarde: Promise<Toestand> } | undefined;

  async function leesToestand(): Promise<Toestand> {
    const nu = klok();
    const vandaag = amsterdamDatum(nu);
    const perStatus = Object.fromEntries(STATUSSEN.filter((s) => !isFinaal(s)).map((s) => [s, 0])) as Record<Status, number>;
    let vandaagUiterlijk = 0, overTijd = 0;
    // A case older than the longest retention term has lost its personal data: nobody acts on it any more.
    const vanaf = nu.getTime() - (config.privacy.uiterlijkeBewaartermijnDagen + 2) * DAG;
    const oins = config.organisaties.filter(isMelder).map((o) => o.oin);
    for await (const ids of store.meldingIds(oins, vanaf, '+inf')) {
      for (const c of await store.casussen(ids)) {
        if (isFinaal(c.status) || c.verwijderdOp) continue;
        perStatus[c.status] = (perStatus[c.status] ?? 0) + 1;
        if (!OPEN.includes(c.status)) continue;
        if (c.terugkoppelingUiterlijk === vandaag) vandaagUiterlijk++;
        else if (c.terugkoppelingUiterlijk < vandaag) overTijd++;
      }
    }
    const outbox = await store.outboxStand();
    const diepte: Toestand['wachtrijen'] = {};
    if (wachtrijen) {
      for (const [q, queue] of Object.entries(wachtrijen())) diepte[q] = await queue.getJobCounts(...WACHTRIJ_STATEN);
    }
    return {
      perStatus, vandaagUiterlijk, overTijd,
      outbox: { lengte: outbox.lengte, oudsteLeeftijdSeconden: outbox.oudsteMs === undefined ? 0 : Math.max(0, (nu.getTime() - outbox.oudsteMs) / 1000) },
      wachtrijen: diepte,
    };
  }

  return {
    kleinAantal,

    /** The evaluation figures of a period, for whoever asks within its scope. */
    async evaluatie(van: string | undefined, tot: string | undefined, r: Reikwijdte): Promise<Rapport> {
      const periode = ongeldigePeriode(van, tot);
      const casussen: CasusFeiten[] = [];
      for await (const batch of casussenIn(periode, r, ['eindresultaat'])) casussen.push(...batch.map(feiten));
      const eigen = <G extends { sleutel: string }>(g: G[], rol: 'gemeente' | 'corporatie') =>
        r.rol === rol ? g.filter((x) => x.sleutel === r.oin) : g;
      const wijkteams = r.rol === 'gemeente' ? groepen.wijkteams.filter((w) => w.organisatie === r.oin) : groepen.wijkteams;
      const corporaties = eigen(groepen.corporaties, 'corporatie');
      const leveringen = new Map<string, CorporatieCijfers[]>();
      for (const c of corporaties) leveringen.set(c.sleutel, await leveringenVan(c.sleutel));
      return rapport({
        periode, nu: klok(), kleinAantal, kalender, intrekkingsredenen: INTREKKINGSREDENEN, casussen,
        gemeenten: eigen(groepen.gemeenten, 'gemeente'),
        wijkteams: wijkteams.map(({ sleutel, naam: n }) => ({ sleutel, naam: n })),
        corporaties, corporatieLeveringen: leveringen, soorten,
      });
    },

    /** The same report as CSV (RFC 4180), one figure per row. */
    csv: (r: Rapport): string => naarCsv(r),

    /** A corporation's own figures of 004 art. 9.5.3 for one period; a second delivery for the same period replaces the first. */
    async leverCorporatieCijfers(oin: string, invoer: unknown): Promise<{ nieuw: boolean; cijfers: CorporatieCijfers }> {
      const p = corporatieCijfersSchema.safeParse(invoer, { reportInput: true });
      if (!p.success) throw new SignaalbrugError('SB_ONGELDIGE_INVOER', 'de cijfers voldoen niet; zie invalidParams', invalidParams(p.error.issues));
      const nieuw = await store.bewaarCorporatieCijfers(oin, `${p.data.van}/${p.data.tot}`, JSON.stringify(p.data));
      return { nieuw, cijfers: p.data };
    },

    /**
     * The DDAS Uitwisselmodel of one gemeente for a period, checked against the official schema:
     * an export that does not pass is never handed out (a fault of ours: 500).
     */
    async ddas(o: { van: string | undefined; tot: string | undefined; gemeente: string; gemeentecode: string | undefined; leverancier?: string }): Promise<Uitwisselmodel> {
      const fouten = periodeFouten(o.van, o.tot);
      // A regional hub knows each gemeente's code: it is the default, and no gemeente exports under another's.
      const eigen = config.gemeenten.find((g) => g.oin === o.gemeente && g.code);
      o = { ...o, gemeentecode: o.gemeentecode ?? eigen?.code };
      if (eigen && o.gemeentecode !== eigen.code) fouten.push({ name: 'gemeentecode', reason: `${eigen.naam} heeft gemeentecode ${eigen.code}` });
      else if (!o.gemeentecode || !GEMEENTECODE.test(o.gemeentecode)) fouten.push({ name: 'gemeentecode', reason: 'verplicht: de CBS-gemeentecode van vier cijfers, bijvoorbeeld 0392' });
      if (fouten.length) throw new SignaalbrugError('SB_ONGELDIGE_INVOER', 'het verzoek voldoet niet; zie invalidParams', fouten);
      const gemeente = config.organisaties.find((x) => x.oin === o.gemeente && x.rol === 'gemeente');
      if (!gemeente) throw new SignaalbrugError('SB_ROL_NIET_TOEGESTAAN', `${o.gemeente} is geen gemeente van dit convenant`);
      const periode = { van: o.van!, tot: o.tot! };
      const casussen: DdasCasus[] = [];
      for await (const batch of casussenIn(periode, { rol: 'gemeente', oin: gemeente.oin }, ['eindresultaat', 'terugkoppeling', 'gegevens'])) {
        for (const c of batch) {
          const melding = ontsleutel<Gegevens>(c.gegevens, CONTEXT.gegevens(c.id));
          const terugkoppeling = ontsleutel<TerugkoppelingMetDdas>(c.terugkoppeling, CONTEXT.terugkoppeling(c.id));
          const casus = feiten(c);
          casussen.push({ casus, ...(melding ? { melding } : {}), ...(terugkoppeling ? { terugkoppeling } : {}),
            ...(casus.eindresultaat ? { eindresultaat: casus.eindresultaat } : {}) });
        }
      }
      const document = uitwisselmodel({
        periode, nu: klok(), codeGegevensleverancier: o.leverancier ?? 'signaalbrug', gemeentecode: o.gemeentecode!,
        organisatie: { naam: gemeente.naam }, casussen,
      });
      const ongeldig = ddasFouten(document);
      if (ongeldig.length) throw new SignaalbrugError('SB_INTERN', `de DDAS-export voldoet niet aan het schema: ${ongeldig.slice(0, 5).join('; ')}`);
      // Logboek: the gemeente received these cases' data (those that still hold personal data).
      if (vastleggen) for (const c of casussen) if (c.melding) await vastleggen(c.casus.id, gemeente.oin);
      return document;
    },

    /** The operational state for the gauges, read at most once per TOESTAND_CACHE_MS however often it is scraped. */
    toestand(): Promise<Toestand> {
      const nu = Date.now();
      const klokOp = klok().getTime();
      // Read again when either the real time or the service clock (tests move it) has gone on.
      if (!toestandCache || nu - toestandCache.op > TOESTAND_CACHE_MS || Math.abs(klokOp - toestandCache.klokOp) > TOESTAND_CACHE_MS) {
        const waarde = leesToestand();
        toestandCache = { op: nu, klokOp, waarde };
        // A failed reading is not kept: the next scrape tries again.
        waarde.catch(() => { if (toestandCache?.waarde === waarde) toestandCache = undefined; });
      }
      return toestandCache.waarde;
    },

    /** Names of the organisations, for the CLI's messages. */
    naam: (oin: string) => naam.get(oin) ?? oin,
  };
}

export type Rapportage = ReturnType<typeof createRapportage>;
