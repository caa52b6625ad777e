// The corporation's melding form: the API's melding as form fields (names are the JSON paths, so the
// API's invalidParams land next to their fields), turned back into the JSON the intake parses with
// the same schema. Only what a browser cannot type as JSON is converted here (numbers, an amount in
// euro, dates typed as dd-mm-jjjj, checkboxes); everything else is the schema's to judge, with its
// own error messages.
import { SOORTEN } from '../../../domain/melding.js';
import { leesDatum } from '../../portaal/formulier.js';
import { soortLabel, veldId } from './_werk.js';

type Soort = 'tekst' | 'getal' | 'datum' | 'email' | 'tel' | 'bedrag';
interface Def { naam: string; label: string; type?: Soort; hint?: string; verplicht?: boolean; autocomplete?: string; breedte?: string }

/** Groups of the form (a fieldset each), in order; the group name is the JSON object it fills. */
export const GROEPEN: { naam: string; legend: string; toelichting?: string; velden: Def[] }[] = [
  { naam: 'huurder', legend: 'Huurder', velden: [
    { naam: 'huurder.relatienummer', label: 'Relatienummer', verplicht: true, hint: 'Uw eigen nummer van de huurder: letters, cijfers en -.' },
    { naam: 'huurder.voorletters', label: 'Voorletters', verplicht: true, hint: 'Bijvoorbeeld J.P.' },
    { naam: 'huurder.tussenvoegsel', label: 'Tussenvoegsel' },
    { naam: 'huurder.achternaam', label: 'Achternaam', verplicht: true, autocomplete: 'off' },
    { naam: 'huurder.geboortedatum', label: 'Geboortedatum', type: 'datum', verplicht: true, hint: 'Bijvoorbeeld 14-03-1958.' },
    { naam: 'huurder.telefoonnummer', label: 'Telefoonnummer', type: 'tel', hint: 'Bijvoorbeeld 0612345678.' },
    { naam: 'huurder.emailadres', label: 'E-mailadres', type: 'email' },
  ] },
  { naam: 'adres', legend: 'Adres van de huurwoning', velden: [
    { naam: 'adres.straatnaam', label: 'Straat', verplicht: true },
    { naam: 'adres.huisnummer', label: 'Huisnummer', type: 'getal', verplicht: true, breedte: 'utrecht-textbox--house-number-size' },
    { naam: 'adres.huisnummertoevoeging', label: 'Toevoeging', breedte: 'utrecht-textbox--house-addition-size' },
    { naam: 'adres.postcode', label: 'Postcode', verplicht: true, hint: 'Bijvoorbeeld 2011DE. De postcode bepaalt welk wijkteam de melding krijgt.', breedte: 'utrecht-textbox--postal-code-nl-size' },
    { naam: 'adres.woonplaats', label: 'Woonplaats', verplicht: true },
  ] },
  { naam: 'huishouden', legend: 'Huishouden', velden: [
    { naam: 'huishouden.aantalBewoners', label: 'Aantal bewoners', type: 'getal', verplicht: true, breedte: 'utrecht-textbox--house-number-size' },
  ] },
  { naam: 'achterstand', legend: 'Achterstand', toelichting: 'Verplicht bij een huurachterstand (convenant art. 3.4).', velden: [
    { naam: 'achterstand.bedragInCenten', label: 'Bedrag in euro', type: 'bedrag', hint: 'Bijvoorbeeld 1234,56.' },
    { naam: 'achterstand.ontstaanOp', label: 'Ontstaan op', type: 'datum' },
    { naam: 'achterstand.aantalMaanden', label: 'Aantal maanden', type: 'getal', hint: 'In hele of halve maanden, bijvoorbeeld 2,5.', breedte: 'utrecht-textbox--house-number-size' },
  ] },
  { naam: 'toestemming', legend: 'Toestemming van de huurder', toelichting: 'Verplicht bij complexe problematiek (convenant art. 3.3).', velden: [
    { naam: 'toestemming.gegevenOp', label: 'Toestemming gegeven op', type: 'datum' },
    { naam: 'toestemming.vastgelegdDoor', label: 'Vastgelegd door', hint: 'Naam van de medewerker die de toestemming vastlegde.' },
  ] },
];

/** The four steps of the Besluit gemeentelijke schuldhulpverlening art. 2: required checkboxes (the reminder with its date). */
export const STAPPEN = [
  { naam: 'stappen.persoonlijkContactGezocht', label: 'Wij hebben persoonlijk contact gezocht met de huurder.' },
  { naam: 'stappen.gewezenOpSchuldhulp', label: 'Wij hebben de huurder gewezen op de gemeentelijke schuldhulpverlening.' },
  { naam: 'stappen.herinneringVerstuurd', label: 'Wij hebben de huurder een schriftelijke herinnering gestuurd.' },
  { naam: 'stappen.geenBezwaarHuurder', label: 'De huurder heeft geen bezwaar gemaakt tegen het doorgeven van zijn gegevens.' },
] as const;
const STAP_VERPLICHT = 'moet true zijn: zonder deze stap mag niet worden gesignaleerd (Besluit schuldhulpverlening art. 2)';

const leeg = (s: string | null) => !s || !s.trim();
const waarde = (f: URLSearchParams, k: string) => (leeg(f.get(k)) ? undefined : f.get(k)!.trim());

/** A whole number, or the text as typed (the schema then says what is wrong with it). */
function getal(s: string | undefined): unknown {
  if (s === undefined) return undefined;
  const t = s.replace(',', '.');
  return /^\d+(\.\d+)?$/.test(t) ? Number(t) : s;
}

/** Euro as typed (1234,56 or 1.234,56 or 1234.56) to cents; undefined when unreadable. */
export function centen(s: string): number | undefined {
  const t = s.replace(/[€\s]/g, '');
  let m = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$/.exec(t);
  if (m) return Number(m[1]!.replaceAll('.', '')) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
  m = /^(\d+)\.(\d{1,2})$/.exec(t);
  return m ? Number(m[1]) * 100 + Number(m[2]!.padEnd(2, '0')) : undefined;
}

/**
 * The melding as JSON from the form, and the errors only the form can find (an amount that is no
 * amount, the reminder step not ticked). `invoer` goes to the intake as it is.
 */
export function meldingUitFormulier(f: URLSearchParams): { invoer: Record<string, unknown>; fouten: Record<string, string> } {
  const fouten: Record<string, string> = {};
  const groep = (naam: string, o: { altijd?: boolean } = {}) => {
    const defs = GROEPEN.find((g) => g.naam === naam)!.velden;
    const obj: Record<string, unknown> = {};
    for (const d of defs) {
      const v = waarde(f, d.naam);
      if (v === undefined) continue;
      const sleutel = d.naam.split('.')[1]!;
      if (d.type === 'getal') obj[sleutel] = getal(v);
      else if (d.type === 'datum') obj[sleutel] = leesDatum(v) ?? v;
      else if (d.type === 'bedrag') {
        const c = centen(v);
        if (c === undefined) fouten[d.naam] = 'Vul een bedrag in euro in, bijvoorbeeld 1234,56.';
        obj[sleutel] = c ?? v;
      } else obj[sleutel] = v;
    }
    return o.altijd || Object.keys(obj).length ? obj : undefined;
  };
  const soort = waarde(f, 'soort');
  const invoer: Record<string, unknown> = {
    referentie: waarde(f, 'referentie'), soort,
    huurder: groep('huurder', { altijd: true }), adres: groep('adres', { altijd: true }), huishouden: groep('huishouden', { altijd: true }),
    achterstand: groep('achterstand'), toestemming: groep('toestemming'),
  };
  const kinderen = f.get('huishouden.kinderenOnder18');
  if (kinderen === 'ja' || kinderen === 'nee') (invoer.huishouden as Record<string, unknown>).kinderenOnder18 = kinderen === 'ja';
  // The steps: ticked boxes are true, the others false; the reminder's date goes with its box.
  const aangevinkt = (k: string) => f.get(k) === 'ja';
  const datumHerinnering = waarde(f, 'stappen.herinneringVerstuurdOp');
  const stappenIngevuld = STAPPEN.some((s) => aangevinkt(s.naam)) || datumHerinnering !== undefined;
  if (stappenIngevuld) {
    invoer.stappen = {
      persoonlijkContactGezocht: aangevinkt('stappen.persoonlijkContactGezocht'),
      gewezenOpSchuldhulp: aangevinkt('stappen.gewezenOpSchuldhulp'),
      ...(datumHerinnering !== undefined ? { herinneringVerstuurdOp: leesDatum(datumHerinnering) ?? datumHerinnering } : {}),
      geenBezwaarHuurder: aangevinkt('stappen.geenBezwaarHuurder'),
    };
    if (soort === 'huurachterstand' && !aangevinkt('stappen.herinneringVerstuurd')) fouten['stappen.herinneringVerstuurd'] = STAP_VERPLICHT;
  }
  const ontruiming = waarde(f, 'ontruimingsdatum');
  if (ontruiming !== undefined) invoer.ontruimingsdatum = leesDatum(ontruiming) ?? ontruiming;
  for (const k of Object.keys(invoer)) if (invoer[k] === undefined) delete invoer[k];
  return { invoer, fouten };
}

/** Form fields as sent, to show them again (short values of known names only). */
export function waardenVan(f: URLSearchParams): Record<string, string> {
  const namen = new Set(['referentie', 'soort', 'ontruimingsdatum', 'huishouden.kinderenOnder18', 'stappen.herinneringVerstuurdOp',
    ...GROEPEN.flatMap((g) => g.velden.map((v) => v.naam)), ...STAPPEN.map((s) => s.naam)]);
  const w: Record<string, string> = {};
  for (const [k, v] of f) if (namen.has(k) && v.length <= 200) w[k] = v;
  return w;
}

const INVOERTYPE: Record<Soort, { type: string; inputmode: string | null }> = {
  tekst: { type: 'text', inputmode: null }, getal: { type: 'text', inputmode: 'decimal' }, datum: { type: 'date', inputmode: null },
  email: { type: 'email', inputmode: null }, tel: { type: 'tel', inputmode: null }, bedrag: { type: 'text', inputmode: 'decimal' },
};

function veld(d: Def, waarden: Record<string, string>, fouten: Record<string, string>) {
  const id = veldId(d.naam);
  const fout = fouten[d.naam] ?? null;
  const hint = d.hint ?? null;
  const beschreven = [hint ? `${id}-hint` : '', fout ? `${id}-fout` : ''].filter(Boolean).join(' ') || null;
  const t = INVOERTYPE[d.type ?? 'tekst'];
  return { naam: d.naam, id, label: d.label, hint, fout, beschreven, verplicht: d.verplicht ?? false, waarde: waarden[d.naam] ?? '',
    type: t.type, inputmode: t.inputmode, autocomplete: d.autocomplete ?? 'off', breedte: d.breedte ?? '' };
}

/** The view model of the form: every field with its value and error, each error in the summary linking to its field. */
export function meldingFormulierModel(waarden: Record<string, string> = {}, fouten: Record<string, string> = {}) {
  const samenvatting: { href: string; tekst: string }[] = [];
  const labels = new Map<string, { id: string; label: string }>();
  const referentie = veld({ naam: 'referentie', label: 'Uw referentie', verplicht: true, hint: 'Letters, cijfers, . _ en -, hoogstens 64 tekens; uw eigen kenmerk van deze melding.' }, waarden, fouten);
  labels.set('referentie', referentie);
  const soortFout = fouten.soort ?? null;
  const soort = {
    fout: soortFout, beschreven: soortFout ? 'soort-fout' : null,
    keuzes: SOORTEN.map((s, i) => ({ waarde: s, label: soortLabel(s), id: `soort-${i}`, gekozen: waarden.soort === s })),
  };
  labels.set('soort', { id: 'soort-0', label: 'Soort melding' });
  const groepen = GROEPEN.map((g) => {
    const velden = g.velden.map((d) => veld(d, waarden, fouten));
    for (const v of velden) labels.set(v.naam, v);
    const fout = fouten[g.naam] ?? null;
    labels.set(g.naam, { id: velden[0]!.id, label: g.legend });
    return { naam: g.naam, id: `groep-${g.naam}`, legend: g.legend, toelichting: g.toelichting ?? null, fout, foutId: `${g.naam}-fout`, velden,
      kinderen: g.naam === 'huishouden' ? {
        fout: fouten['huishouden.kinderenOnder18'] ?? null,
        keuzes: [['ja', 'Ja'], ['nee', 'Nee'], ['', 'Niet opgegeven']].map(([w, l], i) => ({ waarde: w!, label: l!, id: `kinderen-${i}`, gekozen: (waarden['huishouden.kinderenOnder18'] ?? '') === w })),
      } : null };
  });
  if (fouten['huishouden.kinderenOnder18']) labels.set('huishouden.kinderenOnder18', { id: 'kinderen-0', label: 'Kinderen onder 18' });
  const stappen = STAPPEN.map((s) => {
    const id = veldId(s.naam);
    const fout = fouten[s.naam] ?? null;
    labels.set(s.naam, { id, label: s.label.replace(/\.$/, '') });
    return { naam: s.naam, id, label: s.label, fout, foutId: `${id}-fout`, gekozen: waarden[s.naam] === 'ja' };
  });
  const herinnering = veld({ naam: 'stappen.herinneringVerstuurdOp', label: 'Datum van de schriftelijke herinnering', type: 'datum', hint: 'Bijvoorbeeld 02-02-2026.' }, waarden, fouten);
  labels.set(herinnering.naam, herinnering);
  labels.set('stappen', { id: stappen[0]!.id, label: 'De vier stappen' });
  const stappenFout = fouten.stappen ?? null;
  const ontruimingsdatum = veld({ naam: 'ontruimingsdatum', label: 'Ontruimingsdatum', type: 'datum', hint: 'Verplicht bij een bekende ontruimingsdatum (convenant art. 8.1).' }, waarden, fouten);
  labels.set('ontruimingsdatum', ontruimingsdatum);
  for (const [naam, tekst] of Object.entries(fouten)) {
    const l = labels.get(naam);
    samenvatting.push({ href: l ? `#${l.id}` : '#melding-formulier', tekst: l ? `${l.label}: ${tekst}` : `${naam}: ${tekst}` });
  }
  return {
    referentie, soort, groepen, stappen, herinnering, stappenFout, ontruimingsdatum,
    fouten: samenvatting.length ? samenvatting : null,
  };
}
