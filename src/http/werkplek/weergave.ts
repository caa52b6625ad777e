// The werkplek's server-rendered pages: every templates/werkplek/<area>/<naam>.hbs is a page
// `area/naam`, every `_naam.hbs` a partial (`{{> naam}}` at the top, `{{> area/naam}}` in an area).
// Handlebars in strict mode with HTML escaping on, compiled at start (a broken template stops the
// start, not a visitor's request). The only raw insert is the layout's `inhoud`, the page's own escaped output.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Handlebars from 'handlebars';
import { standaardSjablonenMap } from '../../sjablonen.js';
import { THEMA_CSS } from './thema.js';

const TIJDSTIP = new Intl.DateTimeFormat('nl-NL', {
  timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});
const EURO = new Intl.NumberFormat('nl-NL', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A calendar date (JJJJ-MM-DD, or the date part of an ISO moment) as dd-mm-jjjj. */
export function datum(iso: unknown): string {
  if (typeof iso !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(iso)) return '';
  const [j, m, d] = iso.slice(0, 10).split('-');
  return `${d}-${m}-${j}`;
}

/** A moment as people here read it: dd-mm-jjjj uu:mm, Dutch local time (never raw UTC). */
export function tijdstip(iso: unknown): string {
  const d = iso instanceof Date ? iso : typeof iso === 'string' ? new Date(iso) : undefined;
  if (!d || Number.isNaN(d.getTime())) return '';
  const p = Object.fromEntries(TIJDSTIP.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.day}-${p.month}-${p.year} ${p.hour}:${p.minute}`;
}

function hbsBestanden(map: string, rel = ''): string[] {
  return readdirSync(path.join(map, rel)).flatMap((f) => {
    const r = rel ? `${rel}/${f}` : f;
    return statSync(path.join(map, r)).isDirectory() ? hbsBestanden(map, r) : f.endsWith('.hbs') ? [r] : [];
  });
}

export class Weergave {
  private readonly hb = Handlebars.create();
  private readonly paginas = new Map<string, Handlebars.TemplateDelegate>();
  private readonly layout: Handlebars.TemplateDelegate;
  /** The NL Design System components (Utrecht) and the werkplek's theme, served as /werkplek.css. */
  readonly css: string;

  constructor(readonly map: string = path.join(standaardSjablonenMap(), 'werkplek')) {
    this.hb.registerHelper('datum', datum);
    this.hb.registerHelper('tijdstip', tijdstip);
    this.hb.registerHelper('bedrag', (centen: unknown) => (typeof centen === 'number' ? `€ ${EURO.format(centen / 100)}` : ''));
    this.hb.registerHelper('janee', (v: unknown) => (v === true ? 'Ja' : v === false ? 'Nee' : 'Onbekend'));
    this.hb.registerHelper('gelijk', (a: unknown, b: unknown) => a === b);
    this.hb.registerHelper('niet', (a: unknown) => !a);
    this.hb.registerHelper('of', (...a: unknown[]) => a.slice(0, -1).some(Boolean));
    this.hb.registerHelper('en', (...a: unknown[]) => a.slice(0, -1).every(Boolean));
    const opties = { strict: true };
    const bestanden = hbsBestanden(this.map);
    for (const f of bestanden) {
      const naam = f.replace(/\.hbs$/, '');
      const basis = path.posix.basename(naam);
      const bron = readFileSync(path.join(this.map, f), 'utf8');
      this.hb.precompile(bron, opties); // syntax errors now, at start
      if (basis.startsWith('_')) this.hb.registerPartial(naam.replace(/(^|\/)_/, '$1'), this.hb.compile(bron, opties));
      else if (naam !== 'layout') this.paginas.set(naam, this.hb.compile(bron, opties));
    }
    this.layout = this.hb.compile(readFileSync(path.join(this.map, 'layout.hbs'), 'utf8'), opties);
    const utrecht = createRequire(import.meta.url).resolve('@utrecht/component-library-css/dist/index.css');
    this.css = `${readFileSync(utrecht, 'utf8')}\n${THEMA_CSS}`;
  }

  heeft(naam: string): boolean {
    return this.paginas.has(naam);
  }

  /** The page `naam` with `model`, inside the layout with `kader` (title, user, navigation, CSRF token). */
  render(naam: string, model: Record<string, unknown>, kader: Record<string, unknown>): string {
    const p = this.paginas.get(naam);
    if (!p) throw new Error(`werkplek: sjabloon ${naam} bestaat niet (templates/werkplek/${naam}.hbs)`);
    const inhoud = p(model);
    return this.layout({ ...kader, inhoud: new this.hb.SafeString(inhoud) });
  }
}
