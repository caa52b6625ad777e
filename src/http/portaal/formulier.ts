// The portal's forms: the eerste terugkoppeling on DDAS's terms (opgepakt or not with DDAS's reason,
// datumOpgepakt, contactpogingen, and 004 Bijlage 2 §6's incasso hervatten and hervatting betaling),
// and the eindresultaat (DDAS EnumEindresultaat). No free text: the content of conversations may not
// be fed back. Radios for choices, date inputs that also take dd-mm-jjjj (a browser without a date
// picker shows a text box), selects for DDAS's enumerations. Every error is tied to its field, in
// plain Dutch, and the dates are checked against today in Europe/Amsterdam on the service clock.
import { CONTACTSOORTEN, DAGDELEN, EINDRESULTATEN, eindresultaatVoorCorporatie, REDENEN_NIET_OPGEPAKT, type Eindresultaat } from '../../domain/ddas.js';
import { eersteTerugkoppelingSchema, terugkoppelingSchema, type EersteTerugkoppeling, type Terugkoppeling } from '../../domain/terugkoppeling.js';
import { amsterdamDatum, isGeldigeDatum } from '../../domain/werkdagen.js';

/** Rows for contact attempts on a fresh form; an amended one shows one empty row more than it had. */
export const CONTACTPOGINGEN = 3;
const MAX_CONTACTPOGINGEN = 20;
/** A resumption date may lie at most this far back: an agreed date that long gone is a typing error. */
export const HERVATTING_DAGEN_TERUG = 31;
const HERVATTING_DAGEN_VOORUIT = 730;

/** Form fields as sent, to show them again next to their errors. */
export type Waarden = Record<string, string>;

/** A form body as @fastify/formbody parses it: a field sent more than once is an array. */
export type Formulier = Record<string, string | string[] | undefined>;

/** The first value of a field (as a browser sends one), or undefined. */
export function veldwaarde(form: Formulier | undefined, naam: string): string | undefined {
  const v = form?.[naam];
  return Array.isArray(v) ? v[0] : v;
}

/** Every value of a field, in the order sent. */
function veldwaarden(form: Formulier, naam: string): string[] {
  const v = form[naam];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** "weet ik niet" is an answer of its own (null), told apart from no answer (undefined). */
export type Incasso = boolean | null;

export type Formulieruitkomst =
  | { ok: true; terugkoppeling: EersteTerugkoppeling; incasso: Incasso }
  | { ok: true; terugkoppeling: Terugkoppeling; incasso?: undefined }
  | { ok: false; waarden: Waarden; fouten: Record<string, string> };

const VOORBEELD = 'bijvoorbeeld 24-11-2026';

/** The names a form of the portal posts; only these are kept across an expired session. */
export function formuliervelden(f: Formulier): Waarden {
  const w: Waarden = {};
  for (const k of Object.keys(f)) {
    if (k === '_csrf' || k === '_formulier') continue;
    if (!/^(opgepakt|datumOpgepakt|redenNietOpgepakt|incassoHervatten|hervattingBetalingOp|resultaat|uitkomst|poging-\d{1,2}-(soort|bereikt|datum|dagdeel))$/.test(k)) continue;
    // A field sent twice keeps its last short value, as a form read pair by pair would.
    for (const v of veldwaarden(f, k)) if (v.length <= 120) w[k] = v;
  }
  return w;
}

/** A date as JJJJ-MM-DD from a date input, or from dd-mm-jjjj typed into a text box; undefined when neither. */
export function leesDatum(s: string): string | undefined {
  const t = s.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  const nl = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(t);
  const d = iso ? t : nl ? `${nl[3]}-${nl[2]!.padStart(2, '0')}-${nl[1]!.padStart(2, '0')}` : undefined;
  return d && isGeldigeDatum(d) ? d : undefined;
}

const plusDagen = (datum: string, n: number) => new Date(Date.parse(`${datum}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const weergave = (datum: string) => datum.split('-').reverse().join('-');
const janee = (v: string | undefined) => (v === 'ja' ? true : v === 'nee' ? false : undefined);

/**
 * The eerste terugkoppeling from the form. `nu` is the service clock, `ontvangenOp` the melding's
 * receipt: a melding cannot be picked up before it arrived, nor anything happen tomorrow.
 */
/** `betrokkene`: how the person is called in the errors (huurder; klant or verzekerde in another partner's signal). */
export function leesTerugkoppeling(form: Formulier, nu: Date, ontvangenOp: string, betrokkene = 'huurder'): Formulieruitkomst {
  // A form rendered before the portal spoke DDAS (open in a browser during an upgrade) still posts the
  // convenant's fields; the service takes those as it always did.
  if (form.opgepakt === undefined && form.contactGelegd !== undefined) return leesConvenantvelden(form);
  const waarden = formuliervelden(form);
  const fouten: Record<string, string> = {};
  const vandaag = amsterdamDatum(nu);
  const ontvangen = amsterdamDatum(new Date(ontvangenOp));

  const opgepakt = janee(waarden.opgepakt);
  if (opgepakt === undefined) fouten.opgepakt = 'Kies ja of nee.';

  // The branch not chosen is ignored: without scripts both stay on the page.
  let datumOpgepakt: string | undefined;
  if (opgepakt === true) {
    const ruw = waarden.datumOpgepakt ?? '';
    datumOpgepakt = leesDatum(ruw);
    if (!ruw.trim()) fouten.datumOpgepakt = 'Vul de datum in waarop de melding is opgepakt.';
    else if (!datumOpgepakt) fouten.datumOpgepakt = `Vul een bestaande datum in, ${VOORBEELD}.`;
    else if (datumOpgepakt > vandaag) fouten.datumOpgepakt = 'De datum kan niet in de toekomst liggen.';
    else if (datumOpgepakt < ontvangen) fouten.datumOpgepakt = `De datum kan niet vóór de ontvangst van de melding (${weergave(ontvangen)}) liggen.`;
  }
  let reden: (typeof REDENEN_NIET_OPGEPAKT)[number] | undefined;
  if (opgepakt === false) {
    reden = REDENEN_NIET_OPGEPAKT.find((r) => r === waarden.redenNietOpgepakt);
    if (!reden) fouten.redenNietOpgepakt = 'Kies waarom de melding niet is opgepakt.';
  }

  const contactpogingen: EersteTerugkoppeling['contactpogingen'] = [];
  for (let i = 0; i < MAX_CONTACTPOGINGEN; i++) {
    const v = (d: string) => (waarden[`poging-${i}-${d}`] ?? '').trim();
    if (!['soort', 'bereikt', 'datum', 'dagdeel'].some((d) => v(d))) continue; // an empty row is no attempt
    const soort = CONTACTSOORTEN.find((s) => s === v('soort'));
    const bereikt = janee(v('bereikt'));
    const datum = leesDatum(v('datum'));
    const dagdeel = DAGDELEN.find((d) => d === v('dagdeel'));
    if (!soort) fouten[`poging-${i}-soort`] = 'Kies hoe u contact zocht.';
    if (bereikt === undefined) fouten[`poging-${i}-bereikt`] = `Kies of u de ${betrokkene} bereikte.`;
    if (!v('datum')) fouten[`poging-${i}-datum`] = 'Vul de datum van de contactpoging in.';
    else if (!datum) fouten[`poging-${i}-datum`] = `Vul een bestaande datum in, ${VOORBEELD}.`;
    else if (datum > vandaag) fouten[`poging-${i}-datum`] = 'Een contactpoging kan niet in de toekomst liggen.';
    else if (datum < ontvangen) fouten[`poging-${i}-datum`] = `Een contactpoging ligt na de ontvangst van de melding (${weergave(ontvangen)}).`;
    if (v('dagdeel') && !dagdeel) fouten[`poging-${i}-dagdeel`] = 'Kies een dagdeel uit de lijst, of laat het leeg.';
    if (soort && bereikt !== undefined && datum) contactpogingen.push({ soort, bereikt, datum, ...(dagdeel ? { dagdeel } : {}) });
  }

  const incasso: Incasso | undefined = waarden.incassoHervatten === 'onbekend' ? null : janee(waarden.incassoHervatten);
  if (incasso === undefined) fouten.incassoHervatten = 'Kies ja, nee of weet ik niet.';

  let hervatting: string | undefined;
  const ruweHervatting = (waarden.hervattingBetalingOp ?? '').trim();
  if (ruweHervatting) {
    hervatting = leesDatum(ruweHervatting);
    if (!hervatting) fouten.hervattingBetalingOp = `Vul een bestaande datum in, ${VOORBEELD}, of laat het veld leeg.`;
    else if (hervatting < plusDagen(vandaag, -HERVATTING_DAGEN_TERUG))
      fouten.hervattingBetalingOp = `De datum ligt meer dan ${HERVATTING_DAGEN_TERUG} dagen terug. Vul de afgesproken datum in waarop de huurbetaling weer begint, of laat het veld leeg.`;
    else if (hervatting > plusDagen(vandaag, HERVATTING_DAGEN_VOORUIT)) fouten.hervattingBetalingOp = 'De datum ligt meer dan twee jaar vooruit. Controleer het jaartal.';
  }

  if (Object.keys(fouten).length) return { ok: false, waarden, fouten };
  // The domain's own schema has the last word, so the form and the API accept the same.
  const r = eersteTerugkoppelingSchema.safeParse({
    opgepakt, ...(datumOpgepakt ? { datumOpgepakt } : {}), ...(reden ? { redenNietOpgepakt: reden } : {}), contactpogingen,
    // "weet ik niet" gives the corporation no go-ahead: collection stays on hold (see the report on the schema).
    incassoHervatten: incasso ?? false, hervattingBetalingOp: hervatting ?? null,
  });
  if (!r.success) return { ok: false, waarden, fouten: { opgepakt: 'Controleer uw antwoorden.' } };
  return { ok: true, terugkoppeling: r.data, incasso: incasso ?? null };
}

/** The convenant's own fields (the form before DDAS). */
function leesConvenantvelden(form: Formulier): Formulieruitkomst {
  const get = (k: string) => veldwaarde(form, k);
  const jn = (k: string) => (get(k) === 'onbekend' ? null : janee(get(k)));
  const invoer: Record<string, unknown> = {};
  for (const k of ['contactGelegd', 'inBehandeling', 'incassoHervatten', 'betalingsafspraak', 'wilHulp']) if (jn(k) !== undefined) invoer[k] = jn(k);
  if (get('hervattingBetalingOp')) invoer.hervattingBetalingOp = get('hervattingBetalingOp');
  const pogingen = veldwaarden(form, 'contactpogingen').map((p) => p.trim()).filter(Boolean);
  if (pogingen.length) invoer.contactpogingen = pogingen;
  if (get('nietOpgepakt')) invoer.nietOpgepakt = get('nietOpgepakt');
  const r = terugkoppelingSchema.safeParse(invoer);
  if (r.success) return { ok: true, terugkoppeling: r.data };
  // Errors go on the DDAS form that is shown instead: its first question.
  return { ok: false, waarden: {}, fouten: { opgepakt: 'Het formulier is vernieuwd. Vul het opnieuw in.' } };
}

/** The eindresultaat from its form. */
export function leesEindresultaat(form: Formulier): { ok: true; resultaat: Eindresultaat } | { ok: false; waarden: Waarden; fouten: Record<string, string> } {
  const resultaat = EINDRESULTATEN.find((r) => r === veldwaarde(form, 'resultaat'));
  return resultaat ? { ok: true, resultaat } : { ok: false, waarden: formuliervelden(form), fouten: { resultaat: 'Kies het eindresultaat.' } };
}

/** A stored DDAS feedback as form values (to amend it). */
export function waardenVan(k: { ddas?: Omit<EersteTerugkoppeling, 'incassoHervatten' | 'hervattingBetalingOp'>; incassoHervatten: boolean; hervattingBetalingOp?: string | null | undefined; incasso?: Incasso }): Waarden {
  const w: Waarden = {
    incassoHervatten: k.incasso === null ? 'onbekend' : k.incassoHervatten ? 'ja' : 'nee',
    hervattingBetalingOp: k.hervattingBetalingOp ?? '',
  };
  if (!k.ddas) return w;
  w.opgepakt = k.ddas.opgepakt ? 'ja' : 'nee';
  if (k.ddas.datumOpgepakt) w.datumOpgepakt = k.ddas.datumOpgepakt;
  if (k.ddas.redenNietOpgepakt) w.redenNietOpgepakt = k.ddas.redenNietOpgepakt;
  k.ddas.contactpogingen.forEach((p, i) => {
    Object.assign(w, { [`poging-${i}-soort`]: p.soort, [`poging-${i}-bereikt`]: p.bereikt ? 'ja' : 'nee', [`poging-${i}-datum`]: p.datum, [`poging-${i}-dagdeel`]: p.dagdeel ?? '' });
  });
  return w;
}

interface Keuze { waarde: string; label: string; id: string; gekozen: boolean; toelichting: string | null }

function veld(naam: string, label: string, waarden: Waarden, fouten: Record<string, string>, o: { hint?: string; verplicht?: string } = {}) {
  const fout = fouten[naam] ?? null;
  const hint = o.hint ?? null;
  const beschreven = [hint ? `${naam}-hint` : '', fout ? `${naam}-fout` : ''].filter(Boolean).join(' ');
  return { naam, id: naam, label, hint, fout, verplicht: o.verplicht ?? null, waarde: waarden[naam] ?? '', beschreven: beschreven || null };
}

function keuzes(naam: string, waarden: Waarden, opties: readonly (readonly [string, string] | readonly [string, string, string])[]): Keuze[] {
  return opties.map(([waarde, label, toelichting], i) => ({ waarde, label, id: `${naam}-${i}`, gekozen: (waarden[naam] ?? '') === waarde, toelichting: toelichting ?? null }));
}

const kies = (naam: string, label: string, waarden: Waarden, fouten: Record<string, string>, opties: readonly (readonly [string, string] | readonly [string, string, string])[], o: { hint?: string; verplicht?: string } = {}) =>
  ({ ...veld(naam, label, waarden, fouten, o), keuzes: keuzes(naam, waarden, opties), eersteId: `${naam}-0`, onder: opties.length > 3 });

const JA_NEE = [['ja', 'Ja'], ['nee', 'Nee']] as const;

/** Error summary at the top (WCAG 3.3.1): each entry links to its field; radio groups to their first option. */
function samenvatting(velden: { id: string; label: string; eersteId?: string }[], fouten: Record<string, string>) {
  const per = new Map(velden.map((v) => [v.id, v]));
  const lijst = Object.entries(fouten).map(([id, tekst]) => {
    const v = per.get(id);
    return { href: `#${v?.eersteId ?? id}`, tekst: `${v ? (v.label.endsWith('?') ? v.label : `${v.label}:`) : ''} ${tekst}`.trim() };
  });
  return lijst.length ? lijst : null;
}

/** View model of the eerste terugkoppeling for templates/portaal/bericht.hbs, with values and errors tied to fields. */
/** `betrokkene`: how the person is called (huurder; klant or verzekerde for another signal partner's signal). */
export function formulierModel(waarden: Waarden = {}, fouten: Record<string, string> = {}, o: { rijen?: number; betrokkene?: string } = {}) {
  const wie = o.betrokkene ?? 'huurder';
  const Wie = `${wie.charAt(0).toUpperCase()}${wie.slice(1)}`;
  const soorten = [['', 'Kies…'], ...CONTACTSOORTEN.map((s) => [s, s] as const)] as const;
  const dagdelen = [['', 'Onbekend'], ...DAGDELEN.map((d) => [d, d] as const)] as const;
  const gevuld = Object.keys(waarden).filter((k) => /^poging-\d+-/.test(k)).map((k) => Number(k.split('-')[1]) + 1);
  const rijen = Math.min(MAX_CONTACTPOGINGEN, Math.max(o.rijen ?? CONTACTPOGINGEN, ...gevuld.map((n) => n + 1)));
  const select = (naam: string, label: string, opties: readonly (readonly [string, string])[]) =>
    ({ ...veld(naam, label, waarden, fouten), opties: opties.map(([waarde, l]) => ({ waarde, label: l, gekozen: (waarden[naam] ?? '') === waarde })) });
  const velden = {
    opgepakt: kies('opgepakt', 'Is de melding opgepakt?', waarden, fouten, JA_NEE, { verplicht: 'verplicht',
      hint: 'Opgepakt: het wijkteam is met de melding aan de slag gegaan (DDAS). Ook als dat niet zo is, krijgt de corporatie terugkoppeling (convenant art. 3.7).' }),
    datumOpgepakt: veld('datumOpgepakt', 'Datum opgepakt', waarden, fouten, { verplicht: 'verplicht als de melding is opgepakt', hint: `Niet in de toekomst; ${VOORBEELD}.` }),
    redenNietOpgepakt: kies('redenNietOpgepakt', 'Waarom is de melding niet opgepakt?', waarden, fouten,
      REDENEN_NIET_OPGEPAKT.map((r) => [r, r, r === 'Niet opgepakt: andere reden' ? 'De corporatie ziet alleen dat de melding niet is opgepakt, niet de reden.' : ''] as const),
      { verplicht: 'verplicht als de melding niet is opgepakt' }),
    contactpogingen: Array.from({ length: rijen }, (_, i) => ({
      nummer: i + 1,
      soort: select(`poging-${i}-soort`, 'Soort contact', soorten),
      bereikt: kies(`poging-${i}-bereikt`, `${Wie} bereikt?`, waarden, fouten, JA_NEE),
      datum: veld(`poging-${i}-datum`, 'Datum', waarden, fouten),
      dagdeel: select(`poging-${i}-dagdeel`, 'Dagdeel', dagdelen),
    })),
    incassoHervatten: kies('incassoHervatten', 'Mag de corporatie de incasso hervatten?', waarden, fouten,
      [...JA_NEE, ['onbekend', 'Weet ik niet']], { verplicht: 'verplicht', hint: 'Weet u het nog niet, kies dan "Weet ik niet": de corporatie hervat de incasso dan niet op grond van deze terugkoppeling.' }),
    hervattingBetalingOp: veld('hervattingBetalingOp', `Afgesproken datum waarop de ${wie === 'huurder' ? 'huurbetaling' : 'betaling'} weer begint`, waarden, fouten,
      { hint: `Laat leeg als er geen datum is afgesproken. Niet meer dan ${HERVATTING_DAGEN_TERUG} dagen terug.` }),
  };
  const alle = [velden.opgepakt, velden.datumOpgepakt, velden.redenNietOpgepakt,
    ...velden.contactpogingen.flatMap((r) => [r.soort, r.bereikt, r.datum, r.dagdeel].map((v) => ({ ...v, label: `Contactpoging ${r.nummer}, ${v.label.toLowerCase()}` }))),
    velden.incassoHervatten, velden.hervattingBetalingOp];
  return { velden, fouten: samenvatting(alle, fouten) };
}

/** View model of the eindresultaat form: DDAS's fifteen outcomes, each with what the corporation will see. */
export function eindresultaatModel(waarden: Waarden = {}, fouten: Record<string, string> = {}) {
  const resultaat = kies('resultaat', 'Eindresultaat', waarden, fouten,
    EINDRESULTATEN.map((r) => [r, r, `De corporatie ziet: ${eindresultaatVoorCorporatie(r)}`] as const), { verplicht: 'verplicht' });
  return { resultaat, fouten: samenvatting([resultaat], fouten) };
}
