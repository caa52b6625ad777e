/**
 * Werkdagen per the Algemene termijnenwet (Atw), on Europe/Amsterdam calendar dates.
 *
 * All date arithmetic is done on day numbers (days since 1970-01-01, proleptic Gregorian) derived
 * with Date.UTC, never with local-time Date methods, so the process TZ and DST cannot shift it.
 * Holiday rules model the current law (Koningsdag since 2014); earlier years are not modelled.
 */
import { GELIJKGESTELDE_DAGEN } from './gelijkgestelde-dagen.js';

export interface Kalender {
  /** Extra non-working days (YYYY-MM-DD), e.g. a newly published KB not yet in the table. */
  readonly extraVrijeDagen?: readonly string[];
}

const MS_PER_DAG = 86_400_000;
const TIJDZONE = 'Europe/Amsterdam';
const DATUM_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

// ---------------------------------------------------------------------------------------------
// Plain calendar dates
// ---------------------------------------------------------------------------------------------

interface Ymd {
  readonly jaar: number;
  readonly maand: number; // 1-12
  readonly dag: number; // 1-31
}

function ontleed(s: string): Ymd | null {
  const m = DATUM_RE.exec(s);
  if (!m) return null;
  const jaar = Number(m[1]);
  const maand = Number(m[2]);
  const dag = Number(m[3]);
  if (maand < 1 || maand > 12 || dag < 1 || dag > 31) return null;
  // Round-trip through day numbers rejects e.g. 2026-02-30.
  const terug = vanDagnummer(dagnummer(jaar, maand, dag));
  if (terug.jaar !== jaar || terug.maand !== maand || terug.dag !== dag) return null;
  return { jaar, maand, dag };
}

function ontleedOfGooi(s: string): Ymd {
  const ymd = ontleed(s);
  if (!ymd) throw new RangeError(`Ongeldige datum (verwacht YYYY-MM-DD): ${JSON.stringify(s)}`);
  return ymd;
}

/** Days since 1970-01-01 for a calendar date. */
function dagnummer(jaar: number, maand: number, dag: number): number {
  const d = new Date(0);
  d.setUTCFullYear(jaar, maand - 1, dag); // setUTCFullYear avoids the 0-99 → 1900s mapping of Date.UTC
  return Math.round(d.getTime() / MS_PER_DAG);
}

function vanDagnummer(n: number): Ymd {
  const d = new Date(n * MS_PER_DAG);
  return { jaar: d.getUTCFullYear(), maand: d.getUTCMonth() + 1, dag: d.getUTCDate() };
}

function formatteer(ymd: Ymd): string {
  return `${String(ymd.jaar).padStart(4, '0')}-${String(ymd.maand).padStart(2, '0')}-${String(ymd.dag).padStart(2, '0')}`;
}

function formatteerDagnummer(n: number): string {
  return formatteer(vanDagnummer(n));
}

/** 0 = Sunday … 6 = Saturday. */
function weekdag(n: number): number {
  return (((n + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

/** True for real `YYYY-MM-DD` dates (e.g. rejects 2026-02-29, 2026-13-01, 2026-1-1). */
export function isGeldigeDatum(s: string): boolean {
  return typeof s === 'string' && ontleed(s) !== null;
}

// ---------------------------------------------------------------------------------------------
// Europe/Amsterdam
// ---------------------------------------------------------------------------------------------

let datumFormatter: Intl.DateTimeFormat | undefined;
let tijdFormatter: Intl.DateTimeFormat | undefined;

function onderdelen(f: Intl.DateTimeFormat, moment: Date): Map<string, string> {
  const m = new Map<string, string>();
  for (const p of f.formatToParts(moment)) m.set(p.type, p.value);
  return m;
}

/** The Europe/Amsterdam calendar date (`YYYY-MM-DD`) of an instant. */
export function amsterdamDatum(moment: Date): string {
  if (!(moment instanceof Date) || Number.isNaN(moment.getTime())) {
    throw new RangeError('Ongeldig tijdstip');
  }
  // Since 1977 Amsterdam's offset is a whole hour and changes on the hour, so all instants of one
  // UTC hour share a local date: remember the last one (intake asks this for every melding).
  const ms = moment.getTime();
  const uur = ms >= HELE_UREN_VANAF ? Math.floor(ms / 3_600_000) : NaN;
  if (uur === laatsteUur) return laatsteDatum;
  datumFormatter ??= new Intl.DateTimeFormat('en-CA', {
    timeZone: TIJDZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const p = onderdelen(datumFormatter, moment);
  const datum = `${p.get('year')}-${p.get('month')}-${p.get('day')}`;
  if (!Number.isNaN(uur)) [laatsteUur, laatsteDatum] = [uur, datum];
  return datum;
}

const HELE_UREN_VANAF = Date.UTC(1980, 0, 1);
let laatsteUur = NaN;
let laatsteDatum = '';

/** Amsterdam's offset from UTC (ms) per UTC hour since 1980 (it changes only on the hour); bounded. */
const offsetPerUur = new Map<number, number>();

/** Europe/Amsterdam wall-clock time of an instant, as if it were UTC (ms, whole seconds). */
function amsterdamWandklok(moment: number): number {
  const seconde = Math.floor(moment / 1000) * 1000;
  const uur = moment >= HELE_UREN_VANAF ? Math.floor(moment / 3_600_000) : NaN;
  const bekend = offsetPerUur.get(uur);
  if (bekend !== undefined) return seconde + bekend;
  const wandklok = berekenWandklok(moment);
  if (!Number.isNaN(uur)) {
    if (offsetPerUur.size >= 4096) offsetPerUur.clear();
    offsetPerUur.set(uur, wandklok - seconde);
  }
  return wandklok;
}

function berekenWandklok(moment: number): number {
  tijdFormatter ??= new Intl.DateTimeFormat('en-CA', {
    timeZone: TIJDZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const p = onderdelen(tijdFormatter, new Date(moment));
  const d = new Date(0);
  d.setUTCFullYear(Number(p.get('year')), Number(p.get('month')) - 1, Number(p.get('day')));
  d.setUTCHours(Number(p.get('hour')), Number(p.get('minute')), Number(p.get('second')), 0);
  return d.getTime();
}

/**
 * The instant at which the Europe/Amsterdam day `datum` ends: 00:00 Amsterdam time of the next day.
 * Feedback is on time while `now < eindeVanDag(deadline)`.
 */
export function eindeVanDag(datum: string): Date {
  const ymd = ontleedOfGooi(datum);
  // Wall clock of the next midnight, expressed as if it were UTC.
  const middernacht = (dagnummer(ymd.jaar, ymd.maand, ymd.dag) + 1) * MS_PER_DAG;
  // Amsterdam is UTC+1 (CET) or UTC+2 (CEST); midnight always exists (DST switches at 02:00/03:00).
  for (const uren of [1, 2]) {
    const kandidaat = middernacht - uren * 3_600_000;
    if (amsterdamWandklok(kandidaat) === middernacht) return new Date(kandidaat);
  }
  // Fallback for a hypothetical other offset: one fixed-point step.
  const gok = middernacht - (amsterdamWandklok(middernacht) - middernacht);
  return new Date(middernacht - (amsterdamWandklok(gok) - gok));
}

// ---------------------------------------------------------------------------------------------
// Holidays
// ---------------------------------------------------------------------------------------------

/** Easter Sunday (`YYYY-MM-DD`), anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function paasZondag(jaar: number): string {
  if (!Number.isInteger(jaar) || jaar < 1583 || jaar > 9999) {
    throw new RangeError(`Jaar buiten bereik: ${jaar}`);
  }
  const a = jaar % 19;
  const b = Math.floor(jaar / 100);
  const c = jaar % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const maand = Math.floor((h + l - 7 * m + 114) / 31);
  const dag = ((h + l - 7 * m + 114) % 31) + 1;
  return formatteer({ jaar, maand, dag });
}

const feestdagenCache = new Map<number, ReadonlyMap<string, string>>();

function feestdagenIntern(jaar: number): ReadonlyMap<string, string> {
  const cached = feestdagenCache.get(jaar);
  if (cached) return cached;

  const pasen = ontleedOfGooi(paasZondag(jaar));
  const p = dagnummer(pasen.jaar, pasen.maand, pasen.dag);
  const vast = (maand: number, dag: number): number => dagnummer(jaar, maand, dag);

  // Atw art. 3 lid 1: Koningsdag is 27 April, or 26 April when the 27th is a Sunday
  // (Wet vaststelling Koningsdag).
  const koningsdag = weekdag(vast(4, 27)) === 0 ? vast(4, 26) : vast(4, 27);

  const dagen: Array<[number, string]> = [
    [vast(1, 1), 'Nieuwjaarsdag'], // Atw art. 3 lid 1
    [p - 2, 'Goede Vrijdag'], // Atw art. 3 lid 2: Goede Vrijdag
    [p, 'Eerste Paasdag'], // a Sunday anyway
    [p + 1, 'Tweede Paasdag'], // Atw art. 3 lid 1
    [koningsdag, 'Koningsdag'], // Atw art. 3 lid 1
    [vast(5, 5), 'Bevrijdingsdag'], // Atw art. 3 lid 1: de vijfde mei, every year
    [p + 39, 'Hemelvaartsdag'], // Atw art. 3 lid 1
    [p + 49, 'Eerste Pinksterdag'], // a Sunday anyway
    [p + 50, 'Tweede Pinksterdag'], // Atw art. 3 lid 1
    [vast(12, 25), 'Eerste Kerstdag'], // Atw art. 3 lid 1
    [vast(12, 26), 'Tweede Kerstdag'], // Atw art. 3 lid 1
  ];
  dagen.sort((x, y) => x[0] - y[0]);

  const kaart = new Map<string, string>();
  for (const [n, naam] of dagen) {
    const sleutel = formatteerDagnummer(n);
    const bestaand = kaart.get(sleutel);
    kaart.set(sleutel, bestaand ? `${bestaand} / ${naam}` : naam);
  }
  feestdagenCache.set(jaar, kaart);
  return kaart;
}

/** Algemeen erkende feestdagen (Atw art. 3 lid 1 and 2) of a year: date → Dutch name. */
export function feestdagen(jaar: number): Map<string, string> {
  return new Map(feestdagenIntern(jaar)); // copy, so callers cannot alter the cache
}

// ---------------------------------------------------------------------------------------------
// Werkdagen
// ---------------------------------------------------------------------------------------------

const extraCache = new WeakMap<readonly string[], ReadonlySet<string>>();

function extraVrijeDagen(kalender: Kalender | undefined): ReadonlySet<string> | undefined {
  const lijst = kalender?.extraVrijeDagen;
  if (!lijst || lijst.length === 0) return undefined;
  let set = extraCache.get(lijst);
  if (!set) {
    for (const d of lijst) ontleedOfGooi(d); // a typo must not silently make a day a werkdag
    set = new Set(lijst);
    extraCache.set(lijst, set);
  }
  return set;
}

function redenVoorDag(ymd: Ymd, datum: string, extra: ReadonlySet<string> | undefined): string | null {
  const feestdag = feestdagenIntern(ymd.jaar).get(datum);
  if (feestdag !== undefined) return feestdag;
  // Atw art. 3 lid 3: days equated by Koninklijk Besluit.
  const kb = Object.hasOwn(GELIJKGESTELDE_DAGEN, datum) ? GELIJKGESTELDE_DAGEN[datum] : undefined;
  if (kb !== undefined) return `bij KB gelijkgesteld: ${kb}`;
  if (extra?.has(datum)) return 'extra vrije dag (configuratie)';
  // Atw art. 1: Saturday and Sunday.
  const wd = weekdag(dagnummer(ymd.jaar, ymd.maand, ymd.dag));
  if (wd === 6) return 'zaterdag';
  if (wd === 0) return 'zondag';
  return null;
}

/** Why `datum` is not a werkdag (e.g. 'zaterdag', 'Goede Vrijdag', 'bij KB gelijkgesteld: …'), or null. */
export function waaromGeenWerkdag(datum: string, kalender?: Kalender): string | null {
  return redenVoorDag(ontleedOfGooi(datum), datum, extraVrijeDagen(kalender));
}

export function isWerkdag(datum: string, kalender?: Kalender): boolean {
  return waaromGeenWerkdag(datum, kalender) === null;
}

/**
 * The date (`YYYY-MM-DD`) of the `aantal`-th werkdag after the Europe/Amsterdam date of `ontvangen`.
 * The day of receipt itself never counts, even if it is a werkdag.
 */
export function werkdagenNa(ontvangen: Date, aantal: number, kalender?: Kalender): string {
  if (!Number.isSafeInteger(aantal) || aantal < 1) {
    throw new RangeError(`aantal moet een positief geheel getal zijn, niet ${aantal}`);
  }
  const startDatum = amsterdamDatum(ontvangen);
  const extra = extraVrijeDagen(kalender);
  const vorige = laatsteTermijn;
  if (vorige && vorige.startDatum === startDatum && vorige.aantal === aantal && vorige.extra === extra) return vorige.uitkomst;
  const start = ontleedOfGooi(startDatum);
  let n = dagnummer(start.jaar, start.maand, start.dag);
  let geteld = 0;
  while (geteld < aantal) {
    n += 1;
    const ymd = vanDagnummer(n);
    if (redenVoorDag(ymd, formatteer(ymd), extra) === null) geteld += 1;
  }
  const uitkomst = formatteerDagnummer(n);
  laatsteTermijn = { startDatum, aantal, extra, uitkomst };
  return uitkomst;
}

/** The last answer of werkdagenNa: a day's meldingen all ask the same question. */
let laatsteTermijn: { startDatum: string; aantal: number; extra: ReadonlySet<string> | undefined; uitkomst: string } | undefined;
