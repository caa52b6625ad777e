// The terugkoppeling form: exactly the fields of terugkoppelingSchema (004 Bijlage 2 §6, 003 fase D),
// no free text (the content of conversations may not be fed back). Radios for yes/no, date inputs,
// a select for nietOpgepakt. Validation is the schema's, so the form and the API accept the same.
import { terugkoppelingSchema, type Terugkoppeling } from '../../domain/terugkoppeling.js';

const VERPLICHT = ['contactGelegd', 'inBehandeling', 'incassoHervatten'] as const;
const OPTIONEEL = ['betalingsafspraak', 'wilHulp'] as const;
export const CONTACTPOGINGEN = 3;

const LABELS: Record<string, string> = {
  contactGelegd: 'Is er contact gelegd met de huurder?',
  inBehandeling: 'Is de melding in behandeling genomen?',
  incassoHervatten: 'Mag de corporatie de incasso hervatten?',
  hervattingBetalingOp: 'Afgesproken datum waarop de huurbetaling weer begint',
  contactpogingen: 'Contactpoging',
  betalingsafspraak: 'Is er een betalingsafspraak gemaakt?',
  wilHulp: 'Wil de huurder hulp?',
  nietOpgepakt: 'Niet opgepakt, omdat de huurder',
};

const janee = (v: string | null) => (v === 'ja' ? true : v === 'nee' ? false : v === 'onbekend' ? null : undefined);

/** Form fields as sent, to show them again next to their errors. */
export type Waarden = Record<string, string>;

export type Formulieruitkomst =
  | { ok: true; terugkoppeling: Terugkoppeling }
  | { ok: false; waarden: Waarden; fouten: Record<string, string> };

export function leesTerugkoppeling(form: URLSearchParams): Formulieruitkomst {
  const waarden: Waarden = {};
  for (const k of [...VERPLICHT, ...OPTIONEEL, 'hervattingBetalingOp', 'nietOpgepakt']) waarden[k] = form.get(k) ?? '';
  const pogingen = form.getAll('contactpogingen').slice(0, CONTACTPOGINGEN);
  pogingen.forEach((p, i) => (waarden[`contactpogingen-${i}`] = p));
  // Empty date inputs are left out; remember which input each date came from, to place its error.
  const ingevuld = pogingen.map((p, i) => [p.trim(), i] as const).filter(([p]) => p !== '');
  const invoer: Record<string, unknown> = {};
  for (const k of [...VERPLICHT, ...OPTIONEEL]) if (janee(form.get(k)) !== undefined) invoer[k] = janee(form.get(k));
  if (waarden.hervattingBetalingOp) invoer.hervattingBetalingOp = waarden.hervattingBetalingOp;
  if (ingevuld.length) invoer.contactpogingen = ingevuld.map(([p]) => p);
  invoer.nietOpgepakt = waarden.nietOpgepakt === '' ? null : waarden.nietOpgepakt;

  const r = terugkoppelingSchema.safeParse(invoer);
  if (r.success) return { ok: true, terugkoppeling: r.data };
  const fouten: Record<string, string> = {};
  for (const issue of r.error.issues) {
    const [veld, index] = issue.path as [string?, number?];
    if (!veld) continue;
    const id = veld === 'contactpogingen' && typeof index === 'number' ? `contactpogingen-${ingevuld[index]?.[1] ?? 0}` : veld;
    fouten[id] ??= foutTekst(veld, issue.code, invoer[veld]);
  }
  return { ok: false, waarden, fouten };
}

/** Plain Dutch per field instead of the schema's technical wording (WCAG 3.3.3: suggest a fix). */
function foutTekst(veld: string, code: string, waarde: unknown): string {
  if ((VERPLICHT as readonly string[]).includes(veld) && waarde === undefined) return 'Kies ja of nee.';
  if (veld === 'inBehandeling' && code === 'custom')
    return 'Een melding die niet is opgepakt (huurder verhuisd of overleden) kan niet in behandeling zijn.';
  if (veld === 'hervattingBetalingOp' || veld === 'contactpogingen') return 'Vul een bestaande datum in.';
  return 'Kies een van de mogelijkheden.';
}

/** "Is er contact gelegd?" reads on as a question; other labels get a colon. */
const label = (l: string) => (l.endsWith('?') ? l : `${l}:`);

interface Keuze { waarde: string; label: string; id: string; gekozen: boolean }

function veld(naam: string, id: string, label: string, waarden: Waarden, fouten: Record<string, string>, hint: string | null = null) {
  const fout = fouten[id] ?? null;
  const beschreven = [hint ? `${id}-hint` : '', fout ? `${id}-fout` : ''].filter(Boolean).join(' ');
  return { naam, id, label, hint, fout, waarde: waarden[id] ?? '', beschreven: beschreven || null };
}

function keuzes(naam: string, waarden: Waarden, opties: [string, string][]): Keuze[] {
  return opties.map(([waarde, label]) => ({ waarde, label, id: `${naam}-${waarde || 'geen'}`, gekozen: (waarden[naam] ?? '') === waarde }));
}

/** View model of the form for templates/portaal/bericht.hbs, with values and errors tied to fields. */
export function formulierModel(waarden: Waarden = {}, fouten: Record<string, string> = {}) {
  const jn: [string, string][] = [['ja', 'Ja'], ['nee', 'Nee']];
  const jno: [string, string][] = [...jn, ['onbekend', 'Weet ik niet']];
  const kies = (naam: string, opties: [string, string][], hint: string | null = null) =>
    ({ ...veld(naam, naam, LABELS[naam]!, waarden, fouten, hint), keuzes: keuzes(naam, waarden, opties), eersteId: `${naam}-${opties[0]![0]}` });
  const velden = {
    contactGelegd: kies('contactGelegd', jn),
    inBehandeling: kies('inBehandeling', jn, 'Ook als de melding niet in behandeling wordt genomen, krijgt de corporatie terugkoppeling (convenant art. 3.7).'),
    incassoHervatten: kies('incassoHervatten', jn),
    hervattingBetalingOp: veld('hervattingBetalingOp', 'hervattingBetalingOp', LABELS.hervattingBetalingOp!, waarden, fouten, 'Laat leeg als er geen datum is afgesproken.'),
    contactpogingen: Array.from({ length: CONTACTPOGINGEN }, (_, i) =>
      veld('contactpogingen', `contactpogingen-${i}`, `${LABELS.contactpogingen} ${i + 1}`, waarden, fouten)),
    betalingsafspraak: kies('betalingsafspraak', jno),
    wilHulp: kies('wilHulp', jno),
    nietOpgepakt: { ...veld('nietOpgepakt', 'nietOpgepakt', LABELS.nietOpgepakt!, waarden, fouten),
      keuzes: keuzes('nietOpgepakt', waarden, [['', 'niet van toepassing'], ['verhuisd', 'is verhuisd'], ['overleden', 'is overleden']]) },
  };
  // Error summary at the top (WCAG 3.3.1): each entry links to its field; radio groups to their first option.
  const opId = new Map<string, { label: string; anker: string }>();
  for (const v of Object.values(velden).flat()) opId.set(v.id, { label: v.label, anker: 'eersteId' in v ? v.eersteId : v.id });
  const samenvatting = Object.entries(fouten).map(([id, tekst]) => ({ href: `#${opId.get(id)?.anker ?? id}`, tekst: `${label(opId.get(id)?.label ?? id)} ${tekst}` }));
  return { velden, fouten: samenvatting.length ? samenvatting : null };
}
