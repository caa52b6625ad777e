// Message templates (templates/*.hbs): one file per message kind with three sections,
// `--- onderwerp ---`, `--- tekst ---` and `--- html ---`. Handlebars in strict mode, so a template
// that names a field its view model lacks throws (in its test, not in a live send); the html
// section is auto-escaped, the text and subject sections are not (they are not HTML).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { Inhoud } from '../adapters/kanaal.js';

import { BERICHTSOORTEN, SJABLONEN, type Berichtsoort, type Sjabloonnaam } from './domain/berichten.js';

export { BERICHTSOORTEN, SJABLONEN, type Berichtsoort, type Sjabloonnaam };

const SECTIES = ['onderwerp', 'tekst', 'html'] as const;

type Gecompileerd = Record<(typeof SECTIES)[number], Handlebars.TemplateDelegate>;

export function leesSjabloon(tekst: string, naam: string): Record<(typeof SECTIES)[number], string> {
  const delen: Partial<Record<string, string>> = {};
  const re = /^--- (onderwerp|tekst|html) ---\s*$/gm;
  const kopjes = [...tekst.matchAll(re)];
  kopjes.forEach((m, i) => {
    const begin = m.index! + m[0].length;
    const eind = i + 1 < kopjes.length ? kopjes[i + 1]!.index! : tekst.length;
    delen[m[1]!] = tekst.slice(begin, eind).replace(/^\r?\n/, '').trimEnd() + '\n';
  });
  for (const s of SECTIES) if (!delen[s]) throw new Error(`sjabloon ${naam}: sectie "--- ${s} ---" ontbreekt`);
  return delen as Record<(typeof SECTIES)[number], string>;
}

// One formatter for all amounts: toLocaleString builds a new one per call (seen in the delivery profile).
const EURO = new Intl.NumberFormat('nl-NL', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

const TIJDSTIP = new Intl.DateTimeFormat('nl-NL', {
  timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

export class Sjablonen {
  private readonly hb = Handlebars.create();
  private readonly cache = new Map<Sjabloonnaam, Gecompileerd>();

  constructor(private readonly map: string) {
    this.hb.registerHelper('bedrag', (centen: unknown) =>
      typeof centen === 'number' ? `€ ${EURO.format(centen / 100)}` : '');
    this.hb.registerHelper('datum', (iso: unknown) => {
      if (typeof iso !== 'string') return '';
      const [j, m, d] = iso.slice(0, 10).split('-');
      return `${d}-${m}-${j}`;
    });
    // A moment as people here read it: dd-mm-jjjj uu:mm, Dutch local time (never raw UTC).
    this.hb.registerHelper('tijdstip', (iso: unknown) => {
      if (typeof iso !== 'string' || Number.isNaN(Date.parse(iso))) return '';
      const d = Object.fromEntries(TIJDSTIP.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
      return `${d.day}-${d.month}-${d.year} ${d.hour}:${d.minute}`;
    });
    this.hb.registerHelper('janee', (v: unknown) => (v === true ? 'ja' : v === false ? 'nee' : 'onbekend'));
  }

  /** Compile every template once (at start, so a broken file stops the start, not a send). */
  laadAlles(): this {
    for (const soort of SJABLONEN) this.gecompileerd(soort);
    return this;
  }

  private gecompileerd(soort: Sjabloonnaam): Gecompileerd {
    let c = this.cache.get(soort);
    if (!c) {
      const bestand = path.join(this.map, `${soort}.hbs`);
      const bron = leesSjabloon(readFileSync(bestand, 'utf8'), bestand);
      const opties = { strict: true, knownHelpersOnly: false };
      c = {
        onderwerp: this.hb.compile(bron.onderwerp, { ...opties, noEscape: true }),
        tekst: this.hb.compile(bron.tekst, { ...opties, noEscape: true }),
        html: this.hb.compile(bron.html, opties),
      };
      this.cache.set(soort, c);
    }
    return c;
  }

  render(soort: Sjabloonnaam, model: object): Inhoud {
    const c = this.gecompileerd(soort);
    return { onderwerp: c.onderwerp(model).trim(), tekst: c.tekst(model), html: c.html(model) };
  }
}

/** templates/ beside src/ (and beside dist/src/ after a build). */
export function standaardSjablonenMap(): string {
  const hier = path.dirname(new URL(import.meta.url).pathname);
  const kandidaten = [path.resolve(hier, '../../templates'), path.resolve(hier, '../../../templates')];
  return kandidaten.find((k) => { try { readFileSync(path.join(k, 'melding-aan-wijkteam.hbs')); return true; } catch { return false; } }) ?? kandidaten[0]!;
}
