// The one clock of the tests that run the service with an injected clock. Its base is the real now,
// or SB_TEST_DATUM (a date, read as 10:00 Europe/Amsterdam, or an ISO instant with offset) to run the
// suite on another day: CI runs the clock-driven tests a second time years ahead, on a DST switch and
// a holiday. Every date a test expects is computed from this clock with the service's own calendar,
// and the test PKI (testPki) is valid from a day before the earlier of base and real now until years
// after the later, so certificates, CRLs and TLS agree with both clocks.
import { amsterdamDatum, eindeVanDag, werkdagenNa } from '../../src/domain/werkdagen.js';

const DAG = 86_400_000;

function leesBasis(waarde: string | undefined): Date {
  if (!waarde) return new Date();
  const d = /^\d{4}-\d{2}-\d{2}$/.test(waarde) ? amsterdam(waarde, '10:00') : new Date(waarde);
  if (Number.isNaN(d.getTime())) throw new Error(`SB_TEST_DATUM is geen ISO-8601 datum of tijdstip: ${waarde}`);
  return d;
}

/** The instant of wall-clock time `tijd` (HH:MM) on the Europe/Amsterdam date `datum`. */
export function amsterdam(datum: string, tijd = '00:00'): Date {
  const [uur, minuut] = tijd.split(':').map(Number) as [number, number];
  const begin = datum === '' ? NaN : eindeVanDag(plusDagen(datum, -1)).getTime();
  // From midnight count wall-clock hours; on a DST day the hours after the switch shift by one.
  for (const d of [begin + (uur * 60 + minuut) * 60_000, begin + ((uur - 1) * 60 + minuut) * 60_000, begin + ((uur + 1) * 60 + minuut) * 60_000]) {
    if (wandtijd(new Date(d)) === `${datum} ${tijd}`) return new Date(d);
  }
  throw new Error(`${datum} ${tijd} bestaat niet in Europe/Amsterdam`);
}

const formaat = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
/** `YYYY-MM-DD HH:MM` in Europe/Amsterdam. */
export const wandtijd = (d: Date) => formaat.format(d);

/** A calendar date `n` days after `datum` (both `YYYY-MM-DD`). */
export function plusDagen(datum: string, n: number): string {
  const d = new Date(`${datum}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` as the templates and pages write it: `DD-MM-YYYY`. */
export const nlDatum = (datum: string) => datum.split('-').reverse().join('-');

/** The base of every test clock in this process. */
export const BASIS: Date = leesBasis(process.env.SB_TEST_DATUM);
const START = Date.now();

/** A clock that runs with real time from BASIS: the real clock itself when SB_TEST_DATUM is unset. */
export const lopendeKlok = () => new Date(BASIS.getTime() + (Date.now() - START));

/** The span the test PKI must cover: both the test clock (and a year or more of jumps) and the real now. */
export function pkiGeldigheid(): { van: Date; tot: Date } {
  const nu = Date.now();
  const van = new Date(Math.min(nu, BASIS.getTime()) - DAG);
  const tot = new Date(Math.max(nu, BASIS.getTime()) + 6 * 366 * DAG); // retention tests jump five years
  return { van, tot };
}

export interface TestKlok {
  /** The clock to inject: frozen until the test moves it. */
  klok: () => Date;
  nu(): Date;
  zet(moment: Date | string | number): Date;
  /** Move the clock forward by `ms`. */
  verder(ms: number): Date;
}

/** A frozen clock, at `begin` (default BASIS), that the test moves with `zet` and `verder`. */
export function testKlok(begin: Date = BASIS): TestKlok {
  let nu = new Date(begin);
  return {
    klok: () => nu,
    nu: () => nu,
    zet: (m) => (nu = new Date(m)),
    verder: (ms) => (nu = new Date(nu.getTime() + ms)),
  };
}

/**
 * The moments of a melding received at `ontvangst`, the way the convenant's feedback term runs:
 * its deadline date (the `werkdagen`-th werkdag after the Amsterdam date of receipt), the start of
 * that day, and the end of it (the first instant that is too late).
 */
export function termijnVan(ontvangst: Date, werkdagen = 5) {
  const uiterlijk = werkdagenNa(ontvangst, werkdagen);
  return {
    ontvangstDatum: amsterdamDatum(ontvangst),
    uiterlijk,
    uiterlijkNl: nlDatum(uiterlijk),
    /** 00:00 Amsterdam on the deadline day. */
    laatsteDag: amsterdam(uiterlijk, '00:00'),
    /** Amsterdam wall-clock time on the deadline day. */
    op: (tijd: string) => amsterdam(uiterlijk, tijd),
    /** The first instant after the deadline day (Amsterdam midnight). */
    verstreken: eindeVanDag(uiterlijk),
  };
}
