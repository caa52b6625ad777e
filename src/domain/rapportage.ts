// The convenant's evaluation figures (004 art. 9.2 and 9.5; 003 "Project evaluatie"), computed from
// the counting metadata of each case: soort, wijkteam, OINs, dates and its events, plus the DDAS
// outcome (decrypted by the service). Pure: the service reads the cases and hands them in.
//
// Every figure is about the meldingen received in the period (Europe/Amsterdam dates, both days
// included), with whatever happened to them up to the moment the report is made. Small counts are
// suppressed (shown as "< 5" by default) so that no figure points to a person.
import { z } from 'zod';
import '../taal.js';
import { EINDRESULTATEN, type Eindresultaat } from './ddas.js';
import type { Casus, Gebeurtenis } from './overgangen.js';

/** The case's metadata as every report reads it. */
export type CasusMeta = Pick<Casus, 'id' | 'oin' | 'wijkteam' | 'wijkteamOin' | 'soort' | 'status' | 'ontvangenOp' | 'terugkoppelingUiterlijk'>;
import { SOORTEN, type Soort } from './melding.js';
import { amsterdamDatum, eindeVanDag, isGeldigeDatum, isWerkdag, type Kalender } from './werkdagen.js';

/** A case as the figures see it: metadata, events and the outcome; never personal data. */
export interface CasusFeiten extends CasusMeta {
  gebeurtenissen: Gebeurtenis[];
  /** The DDAS outcome as given (decrypted by the service); absent when none was given or it was removed. */
  eindresultaat?: Eindresultaat;
}

/**
 * A repeat signal (DDAS "herhaalde melding") is a case whose `ontvangen` event names the earlier
 * melding of the same tenant (`herhalingVan`); `escalatie-opgepakt`: the troubleshooter confirmed it
 * took an escalation up (convenant art. 8.2).
 */
export const GEBEURTENIS_ESCALATIE_OPGEPAKT = 'escalatie-opgepakt';

export const GEEN_EINDRESULTAAT = 'nog geen eindresultaat';
export const EINDRESULTAAT_VERWIJDERD = 'onbekend (gegevens verwijderd)';
export type Uitkomst = Eindresultaat | typeof GEEN_EINDRESULTAAT | typeof EINDRESULTAAT_VERWIJDERD;
export const UITKOMSTEN: readonly Uitkomst[] = [...EINDRESULTATEN, GEEN_EINDRESULTAAT, EINDRESULTAAT_VERWIJDERD];

/** How the first feedback went, one per case. */
export const TERUGKOPPELING_UITKOMSTEN = ['opTijd', 'teLaat', 'ontbreekt', 'binnenTermijn', 'vervallen'] as const;
export type TerugkoppelingUitkomst = (typeof TERUGKOPPELING_UITKOMSTEN)[number];

// ---------------------------------------------------------------------------------------------
// Periods
// ---------------------------------------------------------------------------------------------

export interface Periode {
  /** First day, Europe/Amsterdam, YYYY-MM-DD (included). */
  van: string;
  /** Last day, Europe/Amsterdam, YYYY-MM-DD (included). */
  tot: string;
}

/** The longest period one report covers (two years and a day: a leap year's half years fit twice over). */
export const MAX_PERIODE_DAGEN = 731;

function plusDagen(datum: string, n: number): string {
  const d = new Date(`${datum}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

const dagenTussen = (van: string, tot: string) => Math.round((Date.parse(`${tot}T12:00:00Z`) - Date.parse(`${van}T12:00:00Z`)) / 86_400_000);

/** What is wrong with a period, as `{ name, reason }` (empty when it is fine). */
export function periodeFouten(van: string | undefined, tot: string | undefined): { name: string; reason: string }[] {
  const fouten: { name: string; reason: string }[] = [];
  for (const [name, d] of [['van', van], ['tot', tot]] as const) {
    if (d === undefined || d === '') fouten.push({ name, reason: 'verplicht: een datum als JJJJ-MM-DD' });
    else if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || !isGeldigeDatum(d)) fouten.push({ name, reason: 'verwacht een bestaande datum als JJJJ-MM-DD' });
  }
  if (!fouten.length && tot! < van!) fouten.push({ name: 'tot', reason: 'ligt vóór van' });
  else if (!fouten.length && dagenTussen(van!, tot!) >= MAX_PERIODE_DAGEN) fouten.push({ name: 'tot', reason: `een periode beslaat hoogstens ${MAX_PERIODE_DAGEN} dagen` });
  return fouten;
}

/** The instants of a period: from 00:00 Amsterdam on `van` up to (not including) 00:00 after `tot`. */
export function periodeGrenzen(p: Periode): { vanMs: number; totMs: number } {
  return { vanMs: eindeVanDag(plusDagen(p.van, -1)).getTime(), totMs: eindeVanDag(p.tot).getTime() };
}

// ---------------------------------------------------------------------------------------------
// One case
// ---------------------------------------------------------------------------------------------

/** Werkdagen from the date of receipt to the date of `op` (Amsterdam): the day of receipt never counts. */
export function werkdagenTussen(ontvangenOp: string, op: string, kalender?: Kalender): number {
  const van = amsterdamDatum(new Date(ontvangenOp));
  const tot = amsterdamDatum(new Date(op));
  let n = 0;
  for (let d = plusDagen(van, 1), i = 0; d <= tot && i < 3700; d = plusDagen(d, 1), i++) if (isWerkdag(d, kalender)) n++;
  return n;
}

export interface Beoordeling {
  terugkoppeling: TerugkoppelingUitkomst;
  /** Werkdagen to the first feedback, when there was feedback. */
  werkdagen?: number;
  geescaleerd: boolean;
  escalatieOpgepakt: boolean;
  herhaald: boolean;
  uitkomst: Uitkomst;
  /** The withdrawal's reason, when withdrawn. */
  ingetrokken?: string;
}

const eerste = (c: CasusFeiten, soort: string) => c.gebeurtenissen.find((g) => g.soort === soort);

/** What one case contributes to the figures, at `nu`. */
export function beoordeel(c: CasusFeiten, nu: Date, kalender?: Kalender): Beoordeling {
  const tk = eerste(c, 'teruggekoppeld');
  const ing = eerste(c, 'ingetrokken');
  const termijnEinde = eindeVanDag(c.terugkoppelingUiterlijk).getTime();
  let terugkoppeling: TerugkoppelingUitkomst;
  // The event says whether the feedback was on time (decided when it was given, on the same rule).
  if (tk) terugkoppeling = tk.opTijd === false ? 'teLaat' : 'opTijd';
  else if (ing && Date.parse(ing.op) < termijnEinde) terugkoppeling = 'vervallen';
  else if (nu.getTime() >= termijnEinde) terugkoppeling = 'ontbreekt';
  else terugkoppeling = 'binnenTermijn';
  const afgeslotenMetResultaat = c.gebeurtenissen.some((g) => g.soort === 'afgesloten' && g.reden === 'eindresultaat');
  return {
    terugkoppeling,
    ...(tk ? { werkdagen: werkdagenTussen(c.ontvangenOp, tk.op, kalender) } : {}),
    geescaleerd: Boolean(eerste(c, 'geescaleerd')),
    escalatieOpgepakt: Boolean(eerste(c, GEBEURTENIS_ESCALATIE_OPGEPAKT)),
    herhaald: c.gebeurtenissen.some((g) => g.soort === 'ontvangen' && typeof g.herhalingVan === 'string'),
    uitkomst: c.eindresultaat ?? (afgeslotenMetResultaat ? EINDRESULTAAT_VERWIJDERD : GEEN_EINDRESULTAAT),
    ...(ing ? { ingetrokken: typeof ing.reden === 'string' ? ing.reden : 'overig' } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Figures of a group of cases
// ---------------------------------------------------------------------------------------------

/** A figure as shown: the count, or "< k" when it is small enough to point to a person. */
export type Getal = number | string;

export interface Cijfers<G = number> {
  meldingen: G;
  terugkoppeling: Record<TerugkoppelingUitkomst, G>;
  /** Werkdagen from receipt to the first feedback: how many had feedback, the median and the 90th percentile. */
  werkdagenTotTerugkoppeling: { aantal: G; mediaan: G | null; p90: G | null };
  escalaties: { totaal: G; opgepakt: G };
  herhaaldeMeldingen: G;
  eindresultaten: Record<Uitkomst, G>;
  intrekkingen: { totaal: G; perReden: Record<string, G> };
  ontruimingsdatumBekend: G;
}

/** The median; the mean of the two middle values for an even count. */
export function mediaan(waarden: readonly number[]): number | null {
  if (!waarden.length) return null;
  const s = [...waarden].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** A percentile by the nearest-rank method: a value that occurred. */
export function percentiel(waarden: readonly number[], p: number): number | null {
  if (!waarden.length) return null;
  const s = [...waarden].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)]!;
}

export function telOp(beoordelingen: readonly (Beoordeling & { soort: Soort })[], intrekkingsredenen: readonly string[]): Cijfers {
  const terugkoppeling = Object.fromEntries(TERUGKOPPELING_UITKOMSTEN.map((k) => [k, 0])) as Record<TerugkoppelingUitkomst, number>;
  const eindresultaten = Object.fromEntries(UITKOMSTEN.map((k) => [k, 0])) as Record<Uitkomst, number>;
  const perReden: Record<string, number> = Object.fromEntries(intrekkingsredenen.map((r) => [r, 0]));
  const werkdagen: number[] = [];
  let escalaties = 0, opgepakt = 0, herhaald = 0, ingetrokken = 0, ontruiming = 0;
  for (const b of beoordelingen) {
    terugkoppeling[b.terugkoppeling]++;
    if (b.werkdagen !== undefined) werkdagen.push(b.werkdagen);
    if (b.geescaleerd) escalaties++;
    if (b.escalatieOpgepakt) opgepakt++;
    if (b.herhaald) herhaald++;
    eindresultaten[b.uitkomst]++;
    if (b.ingetrokken !== undefined) {
      ingetrokken++;
      perReden[b.ingetrokken] = (perReden[b.ingetrokken] ?? 0) + 1;
    }
    if (b.soort === 'ontruimingsdatum-bekend') ontruiming++;
  }
  return {
    meldingen: beoordelingen.length,
    terugkoppeling,
    werkdagenTotTerugkoppeling: { aantal: werkdagen.length, mediaan: mediaan(werkdagen), p90: percentiel(werkdagen, 90) },
    escalaties: { totaal: escalaties, opgepakt },
    herhaaldeMeldingen: herhaald,
    eindresultaten,
    intrekkingen: { totaal: ingetrokken, perReden },
    ontruimingsdatumBekend: ontruiming,
  };
}

/** A count as shown: 0 and counts of at least `k` as they are, anything between as "< k". */
export function onderdruk(n: number, k: number): Getal {
  return n === 0 || n >= k ? n : `< ${k}`;
}

/** Every count suppressed; the median and p90 only shown when at least `k` cases had feedback. */
export function onderdrukCijfers(c: Cijfers, k: number): Cijfers<Getal> {
  const o = (n: number) => onderdruk(n, k);
  const map = <K extends string>(r: Record<K, number>) => Object.fromEntries(Object.entries(r).map(([x, n]) => [x, o(n as number)])) as Record<K, Getal>;
  const w = c.werkdagenTotTerugkoppeling;
  const teWeinig = w.aantal > 0 && w.aantal < k;
  return {
    meldingen: o(c.meldingen),
    terugkoppeling: map(c.terugkoppeling),
    werkdagenTotTerugkoppeling: { aantal: o(w.aantal), mediaan: teWeinig ? `< ${k}` : w.mediaan, p90: teWeinig ? `< ${k}` : w.p90 },
    escalaties: { totaal: o(c.escalaties.totaal), opgepakt: o(c.escalaties.opgepakt) },
    herhaaldeMeldingen: o(c.herhaaldeMeldingen),
    eindresultaten: map(c.eindresultaten),
    intrekkingen: { totaal: o(c.intrekkingen.totaal), perReden: map(c.intrekkingen.perReden) },
    ontruimingsdatumBekend: o(c.ontruimingsdatumBekend),
  };
}

// ---------------------------------------------------------------------------------------------
// The corporation's own figures (004 art. 9.5.3), as counts only
// ---------------------------------------------------------------------------------------------

/** 004 art. 9.5.3 a: the target groups of evictions. */
export const DOELGROEPEN = ['metKinderen', 'vijfenzestigPlus', 'statushouders', 'alleenstaanden', 'overig'] as const;
/** 004 art. 9.5.3 a: the reasons of evictions. */
export const UITZETTINGSREDENEN = ['huurschuld', 'overlast', 'strafbaarFeit', 'overig'] as const;

const aantal = z.number().int('een geheel aantal').min(0, 'niet negatief').max(1_000_000);
const perSleutel = <T extends readonly string[]>(sleutels: T) =>
  z.strictObject(Object.fromEntries(sleutels.map((s) => [s, aantal])) as { [K in T[number]]: typeof aantal });
const dag = z.iso.date({ error: 'verwacht een bestaande datum als JJJJ-MM-DD' });

/**
 * The corporation's figures for one period: evictions per target group and per reason (each eviction
 * once in each: the first target group that applies), keys handed in voluntarily, and evictions
 * prevented after a melding at the wijkteam. Counts only: nothing about a person.
 */
export const corporatieCijfersSchema = z.strictObject({
  van: dag,
  tot: dag,
  huisuitzettingen: z.strictObject({ perDoelgroep: perSleutel(DOELGROEPEN), perReden: perSleutel(UITZETTINGSREDENEN) }),
  sleutelsVrijwilligIngeleverd: aantal,
  huisuitzettingenVoorkomen: aantal,
}).superRefine((c, ctx) => {
  for (const f of periodeFouten(c.van, c.tot)) ctx.addIssue({ code: 'custom', path: [f.name], message: f.reason });
  const som = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  if (som(c.huisuitzettingen.perDoelgroep) !== som(c.huisuitzettingen.perReden))
    ctx.addIssue({ code: 'custom', path: ['huisuitzettingen', 'perReden'], message: 'telt niet op tot hetzelfde aantal huisuitzettingen als perDoelgroep' });
});
export type CorporatieCijfers = z.output<typeof corporatieCijfersSchema>;

export interface CorporatieTotaal<G = number> {
  /** The periods delivered that lie within the report's period. */
  perioden: Periode[];
  huisuitzettingen: { totaal: G; perDoelgroep: Record<(typeof DOELGROEPEN)[number], G>; perReden: Record<(typeof UITZETTINGSREDENEN)[number], G> };
  sleutelsVrijwilligIngeleverd: G;
  huisuitzettingenVoorkomen: G;
}

/** The deliveries whose period lies within `p`, added up. */
export function telCorporatieCijfers(leveringen: readonly CorporatieCijfers[], p: Periode): CorporatieTotaal {
  const binnen = leveringen.filter((l) => l.van >= p.van && l.tot <= p.tot).sort((a, b) => a.van.localeCompare(b.van));
  const nul = <T extends readonly string[]>(s: T) => Object.fromEntries(s.map((k) => [k, 0])) as Record<T[number], number>;
  const t: CorporatieTotaal = {
    perioden: binnen.map((l) => ({ van: l.van, tot: l.tot })),
    huisuitzettingen: { totaal: 0, perDoelgroep: nul(DOELGROEPEN), perReden: nul(UITZETTINGSREDENEN) },
    sleutelsVrijwilligIngeleverd: 0,
    huisuitzettingenVoorkomen: 0,
  };
  for (const l of binnen) {
    for (const d of DOELGROEPEN) {
      t.huisuitzettingen.perDoelgroep[d] += l.huisuitzettingen.perDoelgroep[d];
      t.huisuitzettingen.totaal += l.huisuitzettingen.perDoelgroep[d];
    }
    for (const r of UITZETTINGSREDENEN) t.huisuitzettingen.perReden[r] += l.huisuitzettingen.perReden[r];
    t.sleutelsVrijwilligIngeleverd += l.sleutelsVrijwilligIngeleverd;
    t.huisuitzettingenVoorkomen += l.huisuitzettingenVoorkomen;
  }
  return t;
}

export function onderdrukCorporatie(c: CorporatieTotaal, k: number): CorporatieTotaal<Getal> {
  const o = (n: number) => onderdruk(n, k);
  const map = <K extends string>(r: Record<K, number>) => Object.fromEntries(Object.entries(r).map(([x, n]) => [x, o(n as number)])) as Record<K, Getal>;
  return {
    perioden: c.perioden,
    huisuitzettingen: { totaal: o(c.huisuitzettingen.totaal), perDoelgroep: map(c.huisuitzettingen.perDoelgroep), perReden: map(c.huisuitzettingen.perReden) },
    sleutelsVrijwilligIngeleverd: o(c.sleutelsVrijwilligIngeleverd),
    huisuitzettingenVoorkomen: o(c.huisuitzettingenVoorkomen),
  };
}

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

export interface Groep {
  /** OIN, wijkteam id or soort. */
  sleutel: string;
  naam: string;
}

export interface Rapport {
  periode: Periode;
  opgesteldOp: string;
  /** Counts from 1 to this number minus one are shown as "< kleinAantal". */
  kleinAantal: number;
  totaal: Cijfers<Getal>;
  perGemeente: (Groep & { cijfers: Cijfers<Getal> })[];
  perWijkteam: (Groep & { cijfers: Cijfers<Getal> })[];
  perCorporatie: (Groep & { cijfers: Cijfers<Getal> })[];
  perSoort: (Groep & { cijfers: Cijfers<Getal> })[];
  /** 004 art. 9.5.3, as the corporations delivered them. */
  corporatieCijfers: (Groep & CorporatieTotaal<Getal>)[];
}

export interface RapportInvoer {
  periode: Periode;
  nu: Date;
  kleinAantal: number;
  kalender?: Kalender;
  intrekkingsredenen: readonly string[];
  casussen: readonly CasusFeiten[];
  gemeenten: readonly Groep[];
  wijkteams: readonly Groep[];
  corporaties: readonly Groep[];
  /** Per corporation OIN, its deliveries of 004 art. 9.5.3. */
  corporatieLeveringen: ReadonlyMap<string, readonly CorporatieCijfers[]>;
  /** The soorten to show (those of the partner types in the convenant); default every soort. */
  soorten?: readonly Soort[];
}

export function rapport(i: RapportInvoer): Rapport {
  const { vanMs, totMs } = periodeGrenzen(i.periode);
  const beoordeeld = i.casussen
    .filter((c) => {
      const ms = Date.parse(c.ontvangenOp);
      return ms >= vanMs && ms < totMs;
    })
    .map((c) => ({ c, b: { ...beoordeel(c, i.nu, i.kalender), soort: c.soort } }));
  const cijfers = (filter: (c: CasusFeiten) => boolean) =>
    onderdrukCijfers(telOp(beoordeeld.filter((x) => filter(x.c)).map((x) => x.b), i.intrekkingsredenen), i.kleinAantal);
  return {
    periode: i.periode,
    opgesteldOp: i.nu.toISOString(),
    kleinAantal: i.kleinAantal,
    totaal: cijfers(() => true),
    perGemeente: i.gemeenten.map((g) => ({ ...g, cijfers: cijfers((c) => c.wijkteamOin === g.sleutel) })),
    perWijkteam: i.wijkteams.map((g) => ({ ...g, cijfers: cijfers((c) => c.wijkteam === g.sleutel) })),
    perCorporatie: i.corporaties.map((g) => ({ ...g, cijfers: cijfers((c) => c.oin === g.sleutel) })),
    perSoort: (i.soorten ?? SOORTEN).map((s) => ({ sleutel: s, naam: s, cijfers: cijfers((c) => c.soort === s) })),
    corporatieCijfers: i.corporaties.map((g) => ({
      ...g, ...onderdrukCorporatie(telCorporatieCijfers(i.corporatieLeveringen.get(g.sleutel) ?? [], i.periode), i.kleinAantal),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// CSV: the same figures as the JSON, one per row
// ---------------------------------------------------------------------------------------------

export const CSV_KOLOMMEN = ['groep', 'sleutel', 'naam', 'cijfer', 'waarde'] as const;

/** Every leaf of a figures object as [dotted path, value]. */
export function bladeren(o: unknown, pad = ''): [string, Getal | null][] {
  if (o === null || typeof o !== 'object') return [[pad, o as Getal | null]];
  return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => bladeren(v, pad ? `${pad}.${k}` : k));
}

const csvVeld = (v: string) => (/[",\r\n]/.test(v) || /^[=+\-@\t]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** RFC 4180 CSV (comma, CRLF, UTF-8): one row per figure, `groep,sleutel,naam,cijfer,waarde`. */
export function naarCsv(r: Rapport): string {
  const rijen: string[][] = [[...CSV_KOLOMMEN]];
  const voeg = (groep: string, g: Groep | undefined, o: unknown) => {
    for (const [cijfer, waarde] of bladeren(o)) rijen.push([groep, g?.sleutel ?? '', g?.naam ?? '', cijfer, waarde === null ? '' : String(waarde)]);
  };
  rijen.push(['periode', '', '', 'van', r.periode.van], ['periode', '', '', 'tot', r.periode.tot]);
  voeg('totaal', undefined, r.totaal);
  for (const g of r.perGemeente) voeg('gemeente', g, g.cijfers);
  for (const g of r.perWijkteam) voeg('wijkteam', g, g.cijfers);
  for (const g of r.perCorporatie) voeg('corporatie', g, g.cijfers);
  for (const g of r.perSoort) voeg('soort', g, g.cijfers);
  for (const { sleutel, naam, perioden, ...rest } of r.corporatieCijfers) {
    voeg('corporatiecijfers', { sleutel, naam }, rest);
    rijen.push(['corporatiecijfers', sleutel, naam, 'perioden', perioden.map((p) => `${p.van}/${p.tot}`).join(' ')]);
  }
  return `${rijen.map((r) => r.map(csvVeld).join(',')).join('\r\n')}\r\n`;
}
