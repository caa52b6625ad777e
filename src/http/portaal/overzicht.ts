// What the portal tells a reader about where a case stands, and what was sent: from the case's events
// (no personal data, so also before the code) and, behind the code, from the stored feedback itself.
import type { Gebeurtenis } from '../../domain/overgangen.js';
import { redenVoorCorporatie } from '../../domain/ddas.js';
import type { OpgeslagenTerugkoppeling } from '../../diensten/lezen.js';
import { datum } from './paginas.js';

export interface Stand {
  /** When the eerste terugkoppeling was given, and when last amended (ISO moments). */
  teruggekoppeldOp: string | null;
  gewijzigdOp: string | null;
  opTijd: boolean | null;
  afgeslotenOp: string | null;
  geescaleerdOp: string | null;
  werkdagenTeLaat: number;
}

export function standVan(gebeurtenissen: readonly Gebeurtenis[]): Stand {
  const laatste = (soort: string) => gebeurtenissen.filter((g) => g.soort === soort).at(-1);
  const t = laatste('teruggekoppeld');
  const e = laatste('geescaleerd');
  return {
    teruggekoppeldOp: t?.op ?? null,
    gewijzigdOp: laatste('terugkoppeling-gewijzigd')?.op ?? null,
    opTijd: typeof t?.opTijd === 'boolean' ? t.opTijd : null,
    afgeslotenOp: laatste('afgesloten')?.op ?? null,
    geescaleerdOp: e?.op ?? null,
    werkdagenTeLaat: typeof e?.werkdagenTeLaat === 'number' ? e.werkdagenTeLaat : 0,
  };
}

const jaNee = (v: boolean | null | undefined) => (v === true ? 'Ja' : v === false ? 'Nee' : 'Weet ik niet');

/** The feedback as sent, question by question, in the form's words; and what the corporation sees where that differs. */
/** `betrokkene`: how the person is called (huurder; klant or verzekerde for another signal partner's signal). */
export function terugkoppelingOverzicht(k: OpgeslagenTerugkoppeling, betrokkene = 'huurder') {
  const regels: { vraag: string; antwoord: string }[] = [];
  const pogingen: { dag: string; dagdeel: string; soort: string; bereikt: string }[] = [];
  let corporatieZiet: string | null = null;
  if (k.ddas) {
    regels.push({ vraag: 'Is de melding opgepakt?', antwoord: jaNee(k.ddas.opgepakt) });
    if (k.ddas.datumOpgepakt) regels.push({ vraag: 'Datum opgepakt', antwoord: datum(k.ddas.datumOpgepakt) });
    if (k.ddas.redenNietOpgepakt) {
      regels.push({ vraag: 'Waarom niet opgepakt', antwoord: k.ddas.redenNietOpgepakt });
      const gezien = redenVoorCorporatie(k.ddas.redenNietOpgepakt);
      if (gezien !== k.ddas.redenNietOpgepakt) corporatieZiet = `De corporatie ziet alleen: ${gezien}.`;
    }
    for (const p of k.ddas.contactpogingen)
      pogingen.push({ dag: datum(p.datum), dagdeel: p.dagdeel ?? 'dagdeel onbekend', soort: p.soort, bereikt: p.bereikt ? 'bereikt' : 'niet bereikt' });
  } else {
    regels.push({ vraag: `Is er contact gelegd met de ${betrokkene}?`, antwoord: jaNee(k.contactGelegd) });
    regels.push({ vraag: 'Is de melding in behandeling genomen?', antwoord: jaNee(k.inBehandeling) });
    for (const d of k.contactpogingen ?? []) pogingen.push({ dag: datum(d), dagdeel: '', soort: 'Contactpoging', bereikt: '' });
  }
  regels.push({ vraag: 'Mag de corporatie de incasso hervatten?', antwoord: jaNee(k.incassoHervatten) });
  regels.push({ vraag: betrokkene === 'huurder' ? 'Hervatting huurbetaling op' : 'Hervatting betaling op', antwoord: k.hervattingBetalingOp ? datum(k.hervattingBetalingOp) : 'geen datum afgesproken' });
  return { regels, pogingen: pogingen.length ? pogingen : null, corporatieZiet };
}
