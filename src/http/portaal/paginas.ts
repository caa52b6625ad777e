// Server-rendered portal pages (templates/portaal/*.hbs) inside one layout. Handlebars in strict mode
// with HTML escaping on, like the mail templates: a page cannot name a field its model lacks, and no
// value reaches the HTML unescaped. The only raw insert is the layout's `inhoud`, which is the page's
// own escaped output, and the melding section (see meldingSectie).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { standaardSjablonenMap } from '../../sjablonen.js';

const AMSTERDAM = new Intl.DateTimeFormat('nl-NL', {
  timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

/** A moment as people in the Netherlands read it: dd-mm-jjjj om uu:mm, Europe/Amsterdam (never UTC). */
export function moment(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = Object.fromEntries(AMSTERDAM.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.day}-${p.month}-${p.year} om ${p.hour}:${p.minute}`;
}

/** A calendar date (JJJJ-MM-DD) as dd-mm-jjjj. */
export function datum(iso: unknown): string {
  if (typeof iso !== 'string') return '';
  const [j, m, d] = iso.slice(0, 10).split('-');
  return `${d}-${m}-${j}`;
}

export const PAGINAS = ['start', 'code', 'vergrendeld', 'nieuwe-link', 'niet-gevonden', 'ingetrokken', 'bericht', 'bedankt', 'afgesloten', 'troubleshooter', 'fout'] as const;
export type Paginanaam = (typeof PAGINAS)[number];
const DELEN = ['keuze', 'datum', 'keuzelijst', 'foutoverzicht'] as const;

export interface Paginamodel {
  /** Page title (also the <title>); never personal data. */
  titel: string;
  [veld: string]: unknown;
}

export class Paginas {
  private readonly hb = Handlebars.create();
  private readonly paginas = new Map<Paginanaam, Handlebars.TemplateDelegate>();
  private readonly layout: Handlebars.TemplateDelegate;
  readonly css: string;

  constructor(readonly map: string = path.join(standaardSjablonenMap(), 'portaal')) {
    this.hb.registerHelper('datum', datum);
    this.hb.registerHelper('moment', (iso: unknown) => (typeof iso === 'string' ? moment(iso) : ''));
    this.hb.registerHelper('janee', (v: unknown) => (v === true ? 'Ja' : v === false ? 'Nee' : 'Weet ik niet'));
    const opties = { strict: true };
    const lees = (naam: string) => readFileSync(path.join(this.map, naam), 'utf8');
    // Shared parts of pages (form fields, the error summary): _<naam>.hbs, used as {{> naam}}.
    for (const d of DELEN) this.hb.registerPartial(d, this.hb.compile(lees(`_${d}.hbs`), opties));
    // Compile everything at start: a broken template stops the start, not a visitor's request.
    this.layout = this.hb.compile(lees('layout.hbs'), opties);
    for (const p of PAGINAS) this.paginas.set(p, this.hb.compile(lees(`${p}.hbs`), opties));
    this.css = lees('portaal.css');
  }

  render(naam: Paginanaam, model: Paginamodel): string {
    const inhoud = this.paginas.get(naam)!(model);
    return this.layout({ titel: model.titel, inhoud: new this.hb.SafeString(inhoud) });
  }
}

/**
 * The body of the mail template's HTML (the same template as the encrypted mail), for embedding in a
 * portal page. Its values were escaped by Handlebars when it was rendered; what goes here is the
 * template's own markup. Inline `style` attributes are dropped: the portal's CSP forbids them and the
 * portal stylesheet styles the section instead. A value cannot smuggle in a `style="`, because
 * Handlebars escaped every `"` in values to `&quot;`.
 */
export function meldingSectie(mailHtml: string): string {
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(mailHtml)?.[1] ?? '';
  // One level down: the page has its own h1 and the section its h2 (WCAG 1.3.1 heading order).
  return body.replace(/\s+style="[^"]*"/g, '').replace(/<(\/?)h2\b/g, '<$1h3').trim();
}
