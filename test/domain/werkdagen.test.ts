import t from 'tap';
import { execFileSync } from 'node:child_process';
import {
  amsterdamDatum,
  eindeVanDag,
  feestdagen,
  isGeldigeDatum,
  isWerkdag,
  paasZondag,
  waaromGeenWerkdag,
  werkdagenNa,
} from '../../src/domain/werkdagen.js';
import { GELIJKGESTELDE_DAGEN } from '../../src/domain/gelijkgestelde-dagen.js';

// All expected dates below were worked out by hand and cross-checked with an independent script
// (Python dateutil.easter + datetime + zoneinfo, brute-force day walk), not with this implementation.

interface JaarVerwachting {
  pasen: string;
  feestdagen: Record<string, string>;
  /** Monday–Friday dates that are not werkdagen (feestdagen on weekdays + KB days). */
  doordeweeksVrij: string[];
  /** Number of werkdagen in the year. */
  werkdagen: number;
}

// 2029 and 2030: no KB published yet (the table has none), so e.g. the Fridays after Hemelvaart
// are werkdagen here. Update when the KB for those years is added.
const JAREN: Record<number, JaarVerwachting> = {
  2025: {
    pasen: '2025-04-20',
    feestdagen: {
      '2025-01-01': 'Nieuwjaarsdag',
      '2025-04-18': 'Goede Vrijdag',
      '2025-04-20': 'Eerste Paasdag',
      '2025-04-21': 'Tweede Paasdag',
      '2025-04-26': 'Koningsdag', // 27 April 2025 is a Sunday
      '2025-05-05': 'Bevrijdingsdag',
      '2025-05-29': 'Hemelvaartsdag',
      '2025-06-08': 'Eerste Pinksterdag',
      '2025-06-09': 'Tweede Pinksterdag',
      '2025-12-25': 'Eerste Kerstdag',
      '2025-12-26': 'Tweede Kerstdag',
    },
    doordeweeksVrij: [
      '2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-29', '2025-05-30',
      '2025-06-09', '2025-12-25', '2025-12-26',
    ],
    werkdagen: 252,
  },
  2026: {
    pasen: '2026-04-05',
    feestdagen: {
      '2026-01-01': 'Nieuwjaarsdag',
      '2026-04-03': 'Goede Vrijdag',
      '2026-04-05': 'Eerste Paasdag',
      '2026-04-06': 'Tweede Paasdag',
      '2026-04-27': 'Koningsdag',
      '2026-05-05': 'Bevrijdingsdag',
      '2026-05-14': 'Hemelvaartsdag',
      '2026-05-24': 'Eerste Pinksterdag',
      '2026-05-25': 'Tweede Pinksterdag',
      '2026-12-25': 'Eerste Kerstdag',
      '2026-12-26': 'Tweede Kerstdag',
    },
    doordeweeksVrij: [
      '2026-01-01', '2026-01-02', '2026-04-03', '2026-04-06', '2026-04-27', '2026-05-05',
      '2026-05-14', '2026-05-15', '2026-05-25', '2026-12-25',
    ],
    werkdagen: 251,
  },
  2027: {
    pasen: '2027-03-28',
    feestdagen: {
      '2027-01-01': 'Nieuwjaarsdag',
      '2027-03-26': 'Goede Vrijdag',
      '2027-03-28': 'Eerste Paasdag',
      '2027-03-29': 'Tweede Paasdag',
      '2027-04-27': 'Koningsdag',
      '2027-05-05': 'Bevrijdingsdag',
      '2027-05-06': 'Hemelvaartsdag',
      '2027-05-16': 'Eerste Pinksterdag',
      '2027-05-17': 'Tweede Pinksterdag',
      '2027-12-25': 'Eerste Kerstdag',
      '2027-12-26': 'Tweede Kerstdag',
    },
    doordeweeksVrij: [
      '2027-01-01', '2027-03-26', '2027-03-29', '2027-04-27', '2027-05-05', '2027-05-06',
      '2027-05-07', '2027-05-17',
    ],
    werkdagen: 253,
  },
  2028: {
    pasen: '2028-04-16',
    feestdagen: {
      '2028-01-01': 'Nieuwjaarsdag',
      '2028-04-14': 'Goede Vrijdag',
      '2028-04-16': 'Eerste Paasdag',
      '2028-04-17': 'Tweede Paasdag',
      '2028-04-27': 'Koningsdag',
      '2028-05-05': 'Bevrijdingsdag',
      '2028-05-25': 'Hemelvaartsdag',
      '2028-06-04': 'Eerste Pinksterdag',
      '2028-06-05': 'Tweede Pinksterdag',
      '2028-12-25': 'Eerste Kerstdag',
      '2028-12-26': 'Tweede Kerstdag',
    },
    doordeweeksVrij: [
      '2028-04-14', '2028-04-17', '2028-04-27', '2028-04-28', '2028-05-05', '2028-05-25',
      '2028-05-26', '2028-06-05', '2028-12-25', '2028-12-26',
    ],
    werkdagen: 250,
  },
  2029: {
    pasen: '2029-04-01',
    feestdagen: {
      '2029-01-01': 'Nieuwjaarsdag',
      '2029-03-30': 'Goede Vrijdag',
      '2029-04-01': 'Eerste Paasdag',
      '2029-04-02': 'Tweede Paasdag',
      '2029-04-27': 'Koningsdag',
      '2029-05-05': 'Bevrijdingsdag',
      '2029-05-10': 'Hemelvaartsdag',
      '2029-05-20': 'Eerste Pinksterdag',
      '2029-05-21': 'Tweede Pinksterdag',
      '2029-12-25': 'Eerste Kerstdag',
      '2029-12-26': 'Tweede Kerstdag',
    },
    doordeweeksVrij: [
      '2029-01-01', '2029-03-30', '2029-04-02', '2029-04-27', '2029-05-10', '2029-05-21',
      '2029-12-25', '2029-12-26',
    ],
    werkdagen: 253,
  },
  2030: {
    pasen: '2030-04-21',
    feestdagen: {
      '2030-01-01': 'Nieuwjaarsdag',
      '2030-04-19': 'Goede Vrijdag',
      '2030-04-21': 'Eerste Paasdag',
      '2030-04-22': 'Tweede Paasdag',
      '2030-04-27': 'Koningsdag',
      '2030-05-05': 'Bevrijdingsdag',
      '2030-05-30': 'Hemelvaartsdag',
      '2030-06-09': 'Eerste Pinksterdag',
      '2030-06-10': 'Tweede Pinksterdag',
      '2030-12-25': 'Eerste Kerstdag',
      '2030-12-26': 'Tweede Kerstdag',
    },
    doordeweeksVrij: [
      '2030-01-01', '2030-04-19', '2030-04-22', '2030-05-30', '2030-06-10', '2030-12-25',
      '2030-12-26',
    ],
    werkdagen: 254,
  },
};

const KB_DAGEN: Record<string, number> = {
  '2025-05-30': 5,
  '2026-01-02': 5,
  '2026-05-15': 5,
  '2027-05-07': 5,
  '2028-04-28': 5,
  '2028-05-26': 5,
};

/** [receipt instant, aantal, expected deadline, description] */
const WERKDAGEN_NA: Array<[string, number, string, string]> = [
  ['2026-03-09T08:00:00Z', 5, '2026-03-16', 'Monday morning → next Monday'],
  ['2026-03-13T20:00:00Z', 5, '2026-03-20', 'Friday evening (21:00 CET) → next Friday'],
  ['2026-03-12T23:30:00Z', 5, '2026-03-20', 'Thursday 23:30Z is Friday 00:30 CET'],
  ['2026-03-14T10:00:00Z', 5, '2026-03-20', 'Saturday'],
  ['2026-03-15T10:00:00Z', 5, '2026-03-20', 'Sunday'],
  ['2026-04-06T09:00:00Z', 5, '2026-04-13', 'on Tweede Paasdag'],
  ['2026-01-14T23:30:00Z', 5, '2026-01-22', 'winter: 23:30Z is next day 00:30 CET'],
  ['2026-06-10T22:30:00Z', 5, '2026-06-18', 'summer: 22:30Z is next day 00:30 CEST'],
  ['2026-06-10T21:59:00Z', 5, '2026-06-17', 'summer: 21:59Z is still 23:59 CEST'],
  ['2026-03-28T23:30:00Z', 5, '2026-04-07', 'DST switch day 2026-03-29 00:30 CET, spans Easter'],
  ['2026-03-29T22:30:00Z', 5, '2026-04-08', '2026-03-30 00:30 CEST, spans Easter'],
  ['2026-10-24T23:30:00Z', 5, '2026-10-30', 'DST end day 2026-10-25 01:30 CEST'],
  ['2026-10-25T23:30:00Z', 5, '2026-11-02', '2026-10-26 00:30 CET'],
  ['2026-04-01T10:00:00Z', 5, '2026-04-10', 'Easter 2026: Goede Vrijdag + Tweede Paasdag'],
  ['2025-04-16T10:00:00Z', 5, '2025-04-25', 'Easter 2025'],
  ['2027-03-24T10:00:00Z', 5, '2027-04-02', 'Easter 2027'],
  ['2029-03-28T10:00:00Z', 5, '2029-04-06', 'Easter 2029'],
  ['2026-04-22T10:00:00Z', 5, '2026-04-30', 'Koningsdag 2026 (Monday)'],
  ['2025-04-24T10:00:00Z', 5, '2025-05-01', 'Koningsdag 2025 on Saturday: Monday 28 April is a werkdag'],
  ['2030-04-24T10:00:00Z', 5, '2030-05-01', 'Koningsdag 2030 on Saturday'],
  ['2028-04-25T10:00:00Z', 5, '2028-05-04', 'Koningsdag 2028 + equated Friday 28 April'],
  ['2026-04-29T10:00:00Z', 5, '2026-05-07', '5 mei 2026 (Tuesday)'],
  ['2026-05-12T10:00:00Z', 5, '2026-05-21', 'Hemelvaart 2026 + equated Friday'],
  ['2027-05-04T10:00:00Z', 5, '2027-05-14', '5 mei + Hemelvaart 2027 + equated Friday'],
  ['2025-05-27T10:00:00Z', 5, '2025-06-05', 'Hemelvaart 2025 + equated Friday'],
  ['2029-05-08T10:00:00Z', 5, '2029-05-16', 'Hemelvaart 2029 (no KB in table)'],
  ['2030-05-28T10:00:00Z', 5, '2030-06-05', 'Hemelvaart 2030 (no KB in table)'],
  ['2026-05-21T10:00:00Z', 5, '2026-05-29', 'Tweede Pinksterdag 2026'],
  ['2028-06-01T10:00:00Z', 5, '2028-06-09', 'Tweede Pinksterdag 2028'],
  ['2025-12-24T10:00:00Z', 5, '2026-01-06', 'Christmas 2025 to New Year, 2 Jan 2026 equated'],
  ['2027-12-23T10:00:00Z', 5, '2027-12-30', 'Christmas 2027 on the weekend'],
  ['2026-01-01T12:00:00Z', 1, '2026-01-05', '1 werkdag after Nieuwjaarsdag skips equated 2 Jan'],
  ['2026-04-01T10:00:00Z', 28, '2026-05-19', '28 werkdagen (Hilversum) across Easter–Hemelvaart'],
  ['2025-12-01T10:00:00Z', 28, '2026-01-14', '28 werkdagen across Christmas/New Year'],
];

/** [date, UTC instant at which that Amsterdam day ends] */
const EINDE_VAN_DAG: Array<[string, string]> = [
  ['2026-01-15', '2026-01-15T23:00:00.000Z'],
  ['2026-07-01', '2026-07-01T22:00:00.000Z'],
  ['2026-03-28', '2026-03-28T23:00:00.000Z'],
  ['2026-03-29', '2026-03-29T22:00:00.000Z'], // 23-hour day
  ['2026-10-24', '2026-10-24T22:00:00.000Z'],
  ['2026-10-25', '2026-10-25T23:00:00.000Z'], // 25-hour day
  ['2026-12-31', '2026-12-31T23:00:00.000Z'],
  ['2025-03-30', '2025-03-30T22:00:00.000Z'],
  ['2025-10-26', '2025-10-26T23:00:00.000Z'],
];

/** Last Sundays of March / October (EU DST switches), 2025–2030. */
const ZOMERTIJD_BEGIN = ['2025-03-30', '2026-03-29', '2027-03-28', '2028-03-26', '2029-03-25', '2030-03-31'];
const ZOMERTIJD_EINDE = ['2025-10-26', '2026-10-25', '2027-10-31', '2028-10-29', '2029-10-28', '2030-10-27'];

// Test helpers: plain UTC calendar arithmetic, independent of the module under test.
function dagenVanJaar(jaar: number): string[] {
  const uit: string[] = [];
  for (let ms = Date.UTC(jaar, 0, 1); new Date(ms).getUTCFullYear() === jaar; ms += 86_400_000) {
    uit.push(new Date(ms).toISOString().slice(0, 10));
  }
  return uit;
}
function weekdagVan(datum: string): number {
  return new Date(`${datum}T12:00:00Z`).getUTCDay();
}
function volgendeDag(datum: string): string {
  return new Date(Date.parse(`${datum}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

t.test('paasZondag', async (t) => {
  for (const [jaar, v] of Object.entries(JAREN)) {
    t.equal(paasZondag(Number(jaar)), v.pasen, `Easter ${jaar}`);
  }
  // Extra known dates outside the range (extreme ends of the Easter window).
  t.equal(paasZondag(2285), '2285-03-22');
  t.equal(paasZondag(2038), '2038-04-25');
  t.equal(paasZondag(2000), '2000-04-23');
  t.throws(() => paasZondag(2026.5), RangeError);
  t.throws(() => paasZondag(1500), RangeError);
});

t.test('feestdagen per year', async (t) => {
  for (const [jaar, v] of Object.entries(JAREN)) {
    t.same(Object.fromEntries(feestdagen(Number(jaar))), v.feestdagen, `feestdagen ${jaar}`);
    for (const [datum, naam] of Object.entries(v.feestdagen)) {
      t.equal(waaromGeenWerkdag(datum), naam, `${datum} is ${naam}`);
      t.notOk(isWerkdag(datum), `${datum} is no werkdag`);
    }
  }
});

t.test('feestdagen returns a copy', async (t) => {
  const m = feestdagen(2026);
  m.delete('2026-04-03');
  m.set('2026-03-10', 'nep');
  t.equal(waaromGeenWerkdag('2026-04-03'), 'Goede Vrijdag');
  t.ok(isWerkdag('2026-03-10'));
  t.equal(feestdagen(2026).size, 11);
});

t.test('every day 2025–2030: werkdag iff Monday–Friday and not a (equated) feestdag', async (t) => {
  for (const [jaar, v] of Object.entries(JAREN)) {
    const vrij = new Set(v.doordeweeksVrij);
    const fouten: string[] = [];
    let telling = 0;
    for (const datum of dagenVanJaar(Number(jaar))) {
      const wd = weekdagVan(datum);
      const verwacht = wd >= 1 && wd <= 5 && !vrij.has(datum);
      const werkelijk = isWerkdag(datum);
      if (werkelijk !== verwacht) fouten.push(`${datum}: ${werkelijk}`);
      if ((waaromGeenWerkdag(datum) === null) !== werkelijk) fouten.push(`${datum}: reden inconsistent`);
      if (werkelijk) telling += 1;
    }
    t.same(fouten, [], `no mismatches in ${jaar}`);
    t.equal(telling, v.werkdagen, `${v.werkdagen} werkdagen in ${jaar}`);
  }
});

t.test('Koningsdag: 27 April, or 26 April when the 27th is a Sunday', async (t) => {
  const verwacht: Record<number, string> = {
    2025: '2025-04-26', // 27th is a Sunday
    2026: '2026-04-27',
    2027: '2027-04-27',
    2028: '2028-04-27',
    2029: '2029-04-27',
    2030: '2030-04-27',
    2031: '2031-04-26', // 27th is a Sunday
  };
  for (const [jaar, datum] of Object.entries(verwacht)) {
    const k = [...feestdagen(Number(jaar))].filter(([, naam]) => naam === 'Koningsdag').map(([d]) => d);
    t.same(k, [datum], `Koningsdag ${jaar}`);
  }
  t.equal(weekdagVan('2025-04-27'), 0, '27 April 2025 is a Sunday');
  t.equal(weekdagVan('2031-04-27'), 0, '27 April 2031 is a Sunday');
  t.equal(waaromGeenWerkdag('2025-04-26'), 'Koningsdag', 'Saturday 26 April 2025 named Koningsdag');
  t.equal(waaromGeenWerkdag('2025-04-27'), 'zondag');
  t.ok(isWerkdag('2025-04-28'), 'no Monday substitute');
});

t.test('5 mei every year', async (t) => {
  for (let jaar = 2025; jaar <= 2031; jaar++) {
    t.equal(waaromGeenWerkdag(`${jaar}-05-05`), 'Bevrijdingsdag', `5 mei ${jaar}`);
  }
});

t.test('days equated by KB (Atw art. 3 lid 3)', async (t) => {
  for (const [datum, wd] of Object.entries(KB_DAGEN)) {
    t.ok(Object.hasOwn(GELIJKGESTELDE_DAGEN, datum), `${datum} in table`);
    t.equal(weekdagVan(datum), wd, `${datum} is a Friday`);
    t.notOk(isWerkdag(datum), `${datum} is no werkdag`);
    t.match(waaromGeenWerkdag(datum), /^bij KB gelijkgesteld: .+/, `${datum} reason`);
  }
  for (const datum of Object.keys(GELIJKGESTELDE_DAGEN)) {
    t.ok(isGeldigeDatum(datum), `table key ${datum} is a valid date`);
    const wd = weekdagVan(datum);
    t.ok(wd >= 1 && wd <= 5, `table key ${datum} is a weekday`);
  }
  t.equal(waaromGeenWerkdag('2026-01-02'), 'bij KB gelijkgesteld: vrijdag na Nieuwjaarsdag');
});

t.test('weekends and ordinary days', async (t) => {
  t.equal(waaromGeenWerkdag('2026-03-14'), 'zaterdag');
  t.equal(waaromGeenWerkdag('2026-03-15'), 'zondag');
  t.equal(waaromGeenWerkdag('2026-03-16'), null);
  t.ok(isWerkdag('2026-03-16'));
  t.equal(waaromGeenWerkdag('2026-12-26'), 'Tweede Kerstdag', 'feestdag on a Saturday is named');
  t.ok(isWerkdag('2026-12-28'), 'no substitute Monday for Kerst on the weekend');
  t.ok(isWerkdag('2026-12-31'), 'oudejaarsdag is a werkdag');
  t.throws(() => isWerkdag('2026-02-30'), RangeError);
  t.throws(() => waaromGeenWerkdag('16-03-2026'), RangeError);
});

t.test('extraVrijeDagen from the config', async (t) => {
  const kalender = { extraVrijeDagen: ['2026-05-04'] } as const;
  t.ok(isWerkdag('2026-05-04'));
  t.notOk(isWerkdag('2026-05-04', kalender));
  t.equal(waaromGeenWerkdag('2026-05-04', kalender), 'extra vrije dag (configuratie)');
  t.equal(werkdagenNa(new Date('2026-04-29T10:00:00Z'), 5), '2026-05-07');
  t.equal(werkdagenNa(new Date('2026-04-29T10:00:00Z'), 5, kalender), '2026-05-08');
  t.equal(werkdagenNa(new Date('2026-04-29T10:00:00Z'), 5, {}), '2026-05-07');
  t.equal(werkdagenNa(new Date('2026-04-29T10:00:00Z'), 5, { extraVrijeDagen: [] }), '2026-05-07');
  t.throws(() => isWerkdag('2026-05-04', { extraVrijeDagen: ['2026-5-4'] }), RangeError);
});

t.test('werkdagenNa', async (t) => {
  for (const [iso, aantal, verwacht, omschrijving] of WERKDAGEN_NA) {
    t.equal(werkdagenNa(new Date(iso), aantal), verwacht, `${iso} + ${aantal}: ${omschrijving}`);
  }
});

t.test('werkdagenNa: day of receipt never counts', async (t) => {
  // Every day of 2026: the result is a werkdag, strictly after the receipt date, with exactly
  // aantal-1 werkdagen in between.
  const fouten: string[] = [];
  for (const datum of dagenVanJaar(2026)) {
    const resultaat = werkdagenNa(new Date(`${datum}T11:00:00Z`), 5);
    let tussen = 0;
    for (let d = volgendeDag(datum); d < resultaat; d = volgendeDag(d)) if (isWerkdag(d)) tussen += 1;
    if (!(resultaat > datum) || !isWerkdag(resultaat) || tussen !== 4) fouten.push(`${datum} → ${resultaat}`);
  }
  t.same(fouten, []);
});

t.test('werkdagenNa rejects a bad aantal or instant', async (t) => {
  const d = new Date('2026-03-09T08:00:00Z');
  for (const aantal of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    t.throws(() => werkdagenNa(d, aantal), RangeError, `aantal ${aantal}`);
  }
  t.throws(() => werkdagenNa(new Date('invalid'), 5), RangeError);
});

t.test('amsterdamDatum', async (t) => {
  const gevallen: Array<[string, string]> = [
    // the first three share a UTC hour (the remembered answer), the fourth starts the next one
    ['2026-01-14T22:00:00.000Z', '2026-01-14'],
    ['2026-01-14T22:30:00.000Z', '2026-01-14'],
    ['2026-01-14T22:59:59.999Z', '2026-01-14'],
    ['2026-01-14T23:00:00.000Z', '2026-01-15'],
    ['2026-01-14T22:59:59.999Z', '2026-01-14'],
    ['2026-06-10T21:59:59.999Z', '2026-06-10'],
    ['2026-06-10T22:00:00.000Z', '2026-06-11'],
    ['2026-03-28T23:30:00Z', '2026-03-29'],
    ['2026-03-29T01:30:00Z', '2026-03-29'], // 03:30 CEST
    ['2026-10-25T00:30:00Z', '2026-10-25'], // 02:30 CEST
    ['2026-10-25T01:30:00Z', '2026-10-25'], // 02:30 CET (repeated hour)
    ['2025-12-31T23:00:00Z', '2026-01-01'],
  ];
  for (const [iso, verwacht] of gevallen) t.equal(amsterdamDatum(new Date(iso)), verwacht, iso);
  t.throws(() => amsterdamDatum(new Date(Number.NaN)), RangeError);
});

t.test('eindeVanDag', async (t) => {
  for (const [datum, verwacht] of EINDE_VAN_DAG) {
    t.equal(eindeVanDag(datum).toISOString(), verwacht, datum);
  }
  // Deadline 2026-03-29: on time at 23:59:59.999 CEST, late at 00:00 CEST.
  const einde = eindeVanDag('2026-03-29');
  t.ok(new Date('2026-03-29T21:59:59.999Z') < einde);
  t.notOk(new Date('2026-03-29T22:00:00.000Z') < einde);
  t.throws(() => eindeVanDag('2026-02-29'), RangeError);

  // Every day 2025–2030: the instant is the first of the next Amsterdam day, and days last
  // 23 h on the last Sunday of March, 25 h on the last Sunday of October, else 24 h.
  const fouten: string[] = [];
  let vorige = eindeVanDag('2024-12-31').getTime();
  for (let jaar = 2025; jaar <= 2030; jaar++) {
    for (const datum of dagenVanJaar(jaar)) {
      const e = eindeVanDag(datum).getTime();
      if (amsterdamDatum(new Date(e - 1)) !== datum) fouten.push(`${datum}: e-1`);
      if (amsterdamDatum(new Date(e)) !== volgendeDag(datum)) fouten.push(`${datum}: e`);
      const uren = (e - vorige) / 3_600_000;
      const verwacht = ZOMERTIJD_BEGIN.includes(datum) ? 23 : ZOMERTIJD_EINDE.includes(datum) ? 25 : 24;
      if (uren !== verwacht) fouten.push(`${datum}: ${uren} h`);
      vorige = e;
    }
  }
  t.same(fouten, []);
});

t.test('isGeldigeDatum', async (t) => {
  const geldig = ['2026-02-28', '2028-02-29', '2000-02-29', '2026-12-31', '2026-01-01'];
  const ongeldig = [
    '2026-02-29', '2100-02-29', '2026-13-01', '2026-00-10', '2026-01-32', '2026-04-31',
    '2026-1-01', '26-01-01', '', '2026-01-01T00:00', ' 2026-01-01', '2026/01/01',
  ];
  for (const s of geldig) t.ok(isGeldigeDatum(s), s);
  for (const s of ongeldig) t.notOk(isGeldigeDatum(s), JSON.stringify(s));
});

t.test('same results under another process TZ', async (t) => {
  const module = new URL('../../src/domain/werkdagen.js', import.meta.url).href;
  const script = `
    const m = await import(process.env.WD_MODULE);
    const gevallen = JSON.parse(process.env.WD_GEVALLEN);
    const einden = JSON.parse(process.env.WD_EINDEN);
    process.stdout.write(JSON.stringify({
      offset: new Date(Date.UTC(2026, 0, 15, 12)).getTimezoneOffset(),
      werkdagenNa: gevallen.map(([iso, n]) => m.werkdagenNa(new Date(iso), n)),
      eindeVanDag: einden.map((d) => m.eindeVanDag(d).toISOString()),
      isWerkdag: m.isWerkdag('2026-04-03'),
    }));
  `;
  const verwachtOffset: Record<string, number> = {
    UTC: 0,
    'Pacific/Kiritimati': -840,
    'America/Los_Angeles': 480,
  };
  for (const [tz, offset] of Object.entries(verwachtOffset)) {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      TZ: tz,
      WD_MODULE: module,
      WD_GEVALLEN: JSON.stringify(WERKDAGEN_NA.map(([iso, n]) => [iso, n])),
      WD_EINDEN: JSON.stringify(EINDE_VAN_DAG.map(([d]) => d)),
    };
    const uit = execFileSync(
      process.execPath,
      ['--input-type=module', '--eval', script],
      { env, encoding: 'utf8', timeout: 60_000 },
    );
    const r = JSON.parse(uit) as {
      offset: number;
      werkdagenNa: string[];
      eindeVanDag: string[];
      isWerkdag: boolean;
    };
    t.equal(r.offset, offset, `${tz} is in effect in the child`);
    t.same(r.werkdagenNa, WERKDAGEN_NA.map(([, , v]) => v), `werkdagenNa under TZ=${tz}`);
    t.same(r.eindeVanDag, EINDE_VAN_DAG.map(([, v]) => v), `eindeVanDag under TZ=${tz}`);
    t.equal(r.isWerkdag, false, `Goede Vrijdag under TZ=${tz}`);
  }
});
