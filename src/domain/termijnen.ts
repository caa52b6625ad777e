// The moments of a melding's terms, from its stored deadline date (so they never depend on when a
// worker happens to run). Convenant art. 3.7: feedback is on time until the end of the deadline day,
// Europe/Amsterdam; the reminder goes out at the start of that last werkdag.
import { amsterdamDatum, eindeVanDag, isWerkdag, werkdagenNa, type Kalender } from './werkdagen.js';

/**
 * The feedback term's reminder and escalation, an earlier SLA warning (`waarschuwing:<naam>`), the
 * second escalation when the troubleshooter did not take an escalation up, or a further term of the
 * convenant (`extra:<naam>`).
 */
export type Termijnactie = 'herinnering' | 'escalatie' | 'tweede-escalatie' | `waarschuwing:${string}` | `extra:${string}`;

/** An SLA warning stage before the deadline: at `uur` o'clock on the werkdag `werkdagenVoor` werkdagen before the deadline day. */
export interface Waarschuwing {
  naam: string;
  werkdagenVoor: number;
  uur: number;
}

export interface ExtraTermijn {
  naam: string;
  artikel: string;
  werkdagen?: number;
  kalenderdagen?: number;
}

export function termijnLid(meldingId: string, actie: Termijnactie): string {
  return `${meldingId}|${actie}`;
}

export function uitLid(lid: string): { meldingId: string; actie: Termijnactie } | undefined {
  const [meldingId, actie] = lid.split('|');
  const geldig = actie === 'herinnering' || actie === 'escalatie' || actie === 'tweede-escalatie' || /^(extra|waarschuwing):[a-z0-9-]+$/.test(actie ?? '');
  return meldingId && geldig ? { meldingId, actie: actie as Termijnactie } : undefined;
}

function plusDagen(datum: string, n: number): string {
  const d = new Date(`${datum}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The last day of a further term, counted from the Amsterdam date of receipt like the feedback term. */
export function extraTermijnDatum(e: ExtraTermijn, ontvangenOp: Date, kalender?: Kalender): string {
  return e.werkdagen !== undefined ? werkdagenNa(ontvangenOp, e.werkdagen, kalender) : plusDagen(amsterdamDatum(ontvangenOp), e.kalenderdagen!);
}

const vorigeDag = (datum: string) => plusDagen(datum, -1);

/** The werkdag `n` werkdagen before `datum` (n = 0: `datum` itself). */
export function werkdagenVoor(datum: string, n: number, kalender?: Kalender): string {
  let d = datum;
  for (let i = 0; i < n; i++) {
    do d = vorigeDag(d); while (!isWerkdag(d, kalender));
  }
  return d;
}

/** When an SLA warning stage is due: `uur` o'clock (Amsterdam) on its werkdag before the deadline. */
export function waarschuwingMoment(w: Waarschuwing, terugkoppelingUiterlijk: string, kalender?: Kalender): number {
  return eindeVanDag(vorigeDag(werkdagenVoor(terugkoppelingUiterlijk, w.werkdagenVoor, kalender))).getTime() + w.uur * 3_600_000;
}

/**
 * The second escalation: at the end of the `werkdagen`-th werkdag counted from the day of the
 * escalation itself (it goes out at the midnight that opens that day, so that day is the first).
 */
export function tweedeEscalatieMoment(geescaleerdOp: Date, werkdagen: number, kalender?: Kalender): number {
  const beginVanDag = eindeVanDag(vorigeDag(amsterdamDatum(geescaleerdOp)));
  return eindeVanDag(werkdagenNa(new Date(beginVanDag.getTime() - 1), werkdagen, kalender)).getTime();
}

/** Reminder at `herinneringUur` o'clock on the deadline day; escalation when that day has ended. */
export function termijnMomenten(terugkoppelingUiterlijk: string, herinneringUur: number): Record<'herinnering' | 'escalatie', number> {
  const beginLaatsteDag = eindeVanDag(vorigeDag(terugkoppelingUiterlijk)).getTime();
  return {
    herinnering: beginLaatsteDag + herinneringUur * 3_600_000,
    escalatie: eindeVanDag(terugkoppelingUiterlijk).getTime(),
  };
}

export function opTijd(terugkoppelingUiterlijk: string, nu: Date): boolean {
  return nu.getTime() < eindeVanDag(terugkoppelingUiterlijk).getTime();
}

/** Werkdagen after the deadline up to and including today (Amsterdam): how late, for the troubleshooter. */
export function werkdagenTeLaat(terugkoppelingUiterlijk: string, nu: Date, kalender?: Kalender): number {
  const vandaag = amsterdamDatum(nu);
  let n = 0;
  const d = new Date(`${terugkoppelingUiterlijk}T12:00:00Z`);
  for (let i = 0; i < 400; i++) {
    d.setUTCDate(d.getUTCDate() + 1);
    const s = d.toISOString().slice(0, 10);
    if (s > vandaag) break;
    if (isWerkdag(s, kalender)) n++;
  }
  return n;
}

/** What the convenant says about the terms of a case (config `convenant`). */
export interface Termijnregels {
  herinneringUur: number;
  extraTermijnen: readonly ExtraTermijn[];
  extraVrijeDagen?: readonly string[];
  /** Earlier SLA warnings before the reminder (none by default). */
  waarschuwingen?: readonly Waarschuwing[];
  /** Werkdagen the troubleshooter has to take an escalation up before it is raised again; unset: no second escalation. */
  opnemenWerkdagen?: number;
}

/** Every timer a case can have: warnings, the feedback reminder and escalation, the second escalation, the convenant's further terms. */
export function termijnacties(regels: Pick<Termijnregels, 'extraTermijnen' | 'waarschuwingen' | 'opnemenWerkdagen'>): Termijnactie[] {
  return [
    ...(regels.waarschuwingen ?? []).map((w) => `waarschuwing:${w.naam}` as const),
    'herinnering', 'escalatie',
    ...(regels.opnemenWerkdagen !== undefined ? ['tweede-escalatie' as const] : []),
    ...regels.extraTermijnen.map((e) => `extra:${e.naam}` as const),
  ];
}

/** The members of every timer of the case (to cancel them all). */
export function alleTimers(meldingId: string, regels: Pick<Termijnregels, 'extraTermijnen' | 'waarschuwingen' | 'opnemenWerkdagen'>): string[] {
  return termijnacties(regels).map((a) => termijnLid(meldingId, a));
}

/** Every timer of a new case with its due moment (ms). */
export function timerMomenten(c: { id: string; terugkoppelingUiterlijk: string; ontvangenOp: string }, regels: Termijnregels): [Termijnactie, number][] {
  const kalender = { extraVrijeDagen: [...(regels.extraVrijeDagen ?? [])] };
  const m = termijnMomenten(c.terugkoppelingUiterlijk, regels.herinneringUur);
  const ontvangen = Date.parse(c.ontvangenOp);
  // A warning stage that would fall before the melding arrived, or not before the reminder, has nothing to add.
  const waarschuwingen = (regels.waarschuwingen ?? [])
    .map((w): [Termijnactie, number] => [`waarschuwing:${w.naam}`, waarschuwingMoment(w, c.terugkoppelingUiterlijk, kalender)])
    .filter(([, op]) => op > ontvangen && op < m.herinnering);
  return [
    ...waarschuwingen,
    ['herinnering', m.herinnering], ['escalatie', m.escalatie],
    ...regels.extraTermijnen.map((e): [Termijnactie, number] =>
      [`extra:${e.naam}`, eindeVanDag(extraTermijnDatum(e, new Date(c.ontvangenOp), kalender)).getTime()]),
  ];
}
