// Charts for the werkplek's figures pages as server-rendered SVG: no script, no inline style (the
// werkplek's CSP allows neither), only presentation attributes. Every chart is an `img` with a
// <title> and <desc>; the page puts a table with the same figures next to it, which is the text
// alternative. Lines differ in colour (Okabe-Ito, safe for colour blindness), dash pattern and
// marker, so no series is told apart by colour alone (WCAG 1.4.1). Pure: strings in, a string out.
import type { Getal, TerugkoppelingUitkomst } from './rapportage.js';

/** Text for an XML text node or attribute value. */
export function xml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const KLEUREN = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#999999'] as const;
const STREPEN = ['', '8 4', '2 3', '10 3 2 3', '4 4', '12 6', '1 2', '6 2 2 2'] as const;
const MARKERS = ['cirkel', 'vierkant', 'driehoek', 'ruit'] as const;

/** A number as the Dutch read it: decimal comma, at most one decimal. */
export function nlGetal(n: number): string {
  return (Math.round(n * 10) / 10).toLocaleString('nl-NL', { maximumFractionDigits: 1 });
}

function marker(soort: (typeof MARKERS)[number], x: number, y: number, kleur: string): string {
  const p = (n: number) => n.toFixed(1);
  switch (soort) {
    case 'cirkel': return `<circle cx="${p(x)}" cy="${p(y)}" r="4" fill="${kleur}"/>`;
    case 'vierkant': return `<rect x="${p(x - 3.5)}" y="${p(y - 3.5)}" width="7" height="7" fill="${kleur}"/>`;
    case 'driehoek': return `<path d="M${p(x)} ${p(y - 4.5)}L${p(x + 4.5)} ${p(y + 3.5)}L${p(x - 4.5)} ${p(y + 3.5)}Z" fill="${kleur}"/>`;
    case 'ruit': return `<path d="M${p(x)} ${p(y - 5)}L${p(x + 5)} ${p(y)}L${p(x)} ${p(y + 5)}L${p(x - 5)} ${p(y)}Z" fill="${kleur}"/>`;
  }
}

const stijl = (i: number) => ({
  kleur: KLEUREN[i % KLEUREN.length]!,
  streep: STREPEN[i % STREPEN.length]!,
  marker: MARKERS[i % MARKERS.length]!,
});

function opening(id: string, breedte: number, hoogte: number, titel: string, beschrijving: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" class="grafiek" role="img" viewBox="0 0 ${breedte} ${hoogte}" width="100%" preserveAspectRatio="xMinYMin meet" `
    + `aria-labelledby="${xml(id)}-titel ${xml(id)}-beschrijving" focusable="false">`
    + `<title id="${xml(id)}-titel">${xml(titel)}</title><desc id="${xml(id)}-beschrijving">${xml(beschrijving)}</desc>`;
}

export interface Reeks {
  naam: string;
  /** One value per category; null where there is none to show (no cases, or suppressed). */
  waarden: readonly (number | null)[];
}

export interface Lijngrafiek {
  /** A prefix for the ids of <title> and <desc>, unique on the page. */
  id: string;
  titel: string;
  beschrijving: string;
  /** The labels of the x axis (e.g. months), in order. */
  categorieen: readonly string[];
  reeksen: readonly Reeks[];
  /** The top of the y axis (default 100). */
  yMax?: number;
  /** Appended to the y axis labels (default "%"). */
  eenheid?: string;
}

/**
 * A line chart: one line per series over the categories. A null breaks the line (a month without a
 * figure is not drawn as zero); a lone value between gaps is a marker only.
 */
export function lijngrafiek(g: Lijngrafiek): string {
  const yMax = g.yMax ?? 100;
  const eenheid = g.eenheid ?? '%';
  const B = 640, links = 52, rechts = 40, boven = 16, plotH = 200, asRuimte = 44, regel = 22;
  const H = boven + plotH + asRuimte + g.reeksen.length * regel + 8;
  const plotB = B - links - rechts;
  const n = g.categorieen.length;
  const x = (i: number) => links + (n <= 1 ? plotB / 2 : (i * plotB) / (n - 1));
  const y = (v: number) => boven + plotH - (Math.max(0, Math.min(v, yMax)) / yMax) * plotH;
  const d = (v: number) => v.toFixed(1);
  const delen: string[] = [opening(g.id, B, H, g.titel, g.beschrijving)];
  // Grid and y axis: five lines.
  delen.push('<g class="grafiek-as" font-size="12" fill="#333">');
  for (let k = 0; k <= 4; k++) {
    const v = (yMax * k) / 4;
    delen.push(`<line x1="${links}" x2="${B - rechts}" y1="${d(y(v))}" y2="${d(y(v))}" stroke="${k ? '#d0d0d0' : '#333'}" stroke-width="1"/>`,
      `<text x="${links - 6}" y="${d(y(v) + 4)}" text-anchor="end">${xml(`${nlGetal(v)}${eenheid}`)}</text>`);
  }
  // X labels: at most twelve, evenly spread, always the first and the last.
  const stap = Math.max(1, Math.ceil(n / 12));
  g.categorieen.forEach((c, i) => {
    if (i % stap && i !== n - 1) return;
    delen.push(`<text x="${d(x(i))}" y="${boven + plotH + 18}" text-anchor="middle">${xml(c)}</text>`);
  });
  delen.push('</g>');
  g.reeksen.forEach((r, ri) => {
    const s = stijl(ri);
    const segmenten: [number, number][][] = [];
    let huidig: [number, number][] = [];
    r.waarden.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) {
        if (huidig.length) segmenten.push(huidig);
        huidig = [];
      } else huidig.push([x(i), y(v)]);
    });
    if (huidig.length) segmenten.push(huidig);
    delen.push(`<g class="grafiek-reeks">`);
    for (const seg of segmenten) {
      if (seg.length > 1) {
        delen.push(`<polyline points="${seg.map(([px, py]) => `${d(px)},${d(py)}`).join(' ')}" fill="none" stroke="${s.kleur}" stroke-width="2.5"`
          + `${s.streep ? ` stroke-dasharray="${s.streep}"` : ''} stroke-linejoin="round"/>`);
      }
      for (const [px, py] of seg) delen.push(marker(s.marker, px, py, s.kleur));
    }
    delen.push('</g>');
  });
  // Legend below the plot: a line sample with its marker, then the name.
  const legendaY = boven + plotH + asRuimte;
  delen.push('<g class="grafiek-legenda" font-size="13" fill="#111">');
  g.reeksen.forEach((r, ri) => {
    const s = stijl(ri);
    const ly = legendaY + ri * regel;
    delen.push(`<line x1="${links}" x2="${links + 36}" y1="${ly}" y2="${ly}" stroke="${s.kleur}" stroke-width="2.5"${s.streep ? ` stroke-dasharray="${s.streep}"` : ''}/>`,
      marker(s.marker, links + 18, ly, s.kleur), `<text x="${links + 46}" y="${ly + 4}">${xml(r.naam)}</text>`);
  });
  delen.push('</g></svg>');
  return delen.join('');
}

export interface Staaf {
  label: string;
  /** A count; a string is a suppressed figure (e.g. "< 5"): shown as text, never as a bar. */
  waarde: Getal | null;
}

export interface Staafgrafiek {
  id: string;
  titel: string;
  beschrijving: string;
  staven: readonly Staaf[];
}

/** A horizontal bar chart of counts. A suppressed figure gets no bar, so its length cannot give it away. */
export function staafgrafiek(g: Staafgrafiek): string {
  const B = 640, labelB = 220, rechts = 64, regel = 30, boven = 8;
  const H = boven * 2 + Math.max(1, g.staven.length) * regel;
  const max = Math.max(1, ...g.staven.map((s) => (typeof s.waarde === 'number' ? s.waarde : 0)));
  const ruimte = B - labelB - rechts;
  const delen: string[] = [opening(g.id, B, H, g.titel, g.beschrijving), '<g font-size="13" fill="#111">'];
  g.staven.forEach((s, i) => {
    const y = boven + i * regel;
    delen.push(`<text x="${labelB - 8}" y="${y + 19}" text-anchor="end">${xml(s.label)}</text>`);
    if (typeof s.waarde === 'number') {
      const w = (s.waarde / max) * ruimte;
      delen.push(`<rect x="${labelB}" y="${y + 5}" width="${w.toFixed(1)}" height="20" fill="${KLEUREN[0]}"/>`,
        `<text x="${(labelB + w + 6).toFixed(1)}" y="${y + 19}">${xml(nlGetal(s.waarde))}</text>`);
    } else {
      delen.push(`<text x="${labelB + 6}" y="${y + 19}" font-style="italic">${xml(s.waarde === null ? 'geen gegevens' : String(s.waarde))}</text>`);
    }
  });
  delen.push('</g></svg>');
  return delen.join('');
}

// ---------------------------------------------------------------------------------------------
// Figures for the charts
// ---------------------------------------------------------------------------------------------

/** One point of the SLA picture: the share of first feedback on time, or why there is none. */
export interface SlaPunt {
  /** Per cent of the cases whose term has been decided (on time, late, missing) that had feedback on time. */
  procent: number | null;
  /** Why there is no percentage: no decided case, or a component too small to show. */
  reden?: 'geen' | 'onderdrukt';
}

/**
 * % feedback on time from a group's (already suppressed) counts. A percentage is only computed when
 * none of its parts was suppressed: a share of a suppressed cell would give that cell away.
 */
export function slaPunt(t: Record<TerugkoppelingUitkomst, Getal>): SlaPunt {
  const delen = [t.opTijd, t.teLaat, t.ontbreekt];
  if (delen.some((x) => typeof x !== 'number')) return { procent: null, reden: 'onderdrukt' };
  const [op, laat, mis] = delen as number[];
  const noemer = op! + laat! + mis!;
  if (!noemer) return { procent: null, reden: 'geen' };
  return { procent: Math.round((op! / noemer) * 1000) / 10 };
}

const MAANDNAMEN = ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'] as const;

/** The calendar months that a period (JJJJ-MM-DD, both days included) touches, each clipped to the period. */
export function maanden(van: string, tot: string): { van: string; tot: string; label: string }[] {
  const uit: { van: string; tot: string; label: string }[] = [];
  let [j, m] = van.split('-').map(Number) as [number, number];
  for (let i = 0; i < 40; i++) {
    const begin = `${j}-${String(m).padStart(2, '0')}-01`;
    if (begin > tot) break;
    const laatste = new Date(Date.UTC(j, m, 0)).getUTCDate();
    const eind = `${j}-${String(m).padStart(2, '0')}-${String(laatste).padStart(2, '0')}`;
    uit.push({ van: begin < van ? van : begin, tot: eind > tot ? tot : eind, label: `${MAANDNAMEN[m - 1]} ${j}` });
    m++;
    if (m > 12) { m = 1; j++; }
  }
  return uit;
}
