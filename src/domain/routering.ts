// Routing by postcode: each wijkteam serves PC4 ranges (config); ranges never overlap (checked at start),
// also across the gemeenten of a regional hub, so the postcode picks the gemeente and its wijkteam.
import type { Wijkteam } from '../config.js';
import { pc4, type Melding, type Selectiegrond, type Soort } from './melding.js';

export function routeer(postcode: string, wijkteams: readonly Wijkteam[]): Wijkteam | undefined {
  const n = pc4(postcode);
  return wijkteams.find((w) => w.postcodes.some((r) => r.van <= n && n <= r.tot));
}

/** What a convenant takes (config `convenant.soorten` and `convenant.selectie`). */
export interface Selectieregels {
  soorten?: readonly Soort[];
  selectie?: { minimaleAchterstandMaanden?: number; gronden: readonly Selectiegrond[]; artikel?: string };
}

/**
 * Why the convenant does not take this melding, or undefined when it does. Criteria are checked where
 * the melding carries the facts: a stated ground the convenant lists selects it; otherwise, when it
 * states the months of arrears, they must reach the convenant's minimum (003 Hilversum: 2 months).
 */
export function buitenSelectie(m: Pick<Melding, 'soort' | 'achterstand' | 'selectiegrond'>, r: Selectieregels):
  { reden: string; velden: { name: string; reason: string }[] } | undefined {
  if (r.soorten && !r.soorten.includes(m.soort))
    return { reden: `neemt geen meldingen van soort ${m.soort}; wel: ${r.soorten.join(', ')}`, velden: [{ name: 'soort', reason: `niet in dit convenant: ${r.soorten.join(', ')}` }] };
  const s = r.selectie;
  if (!s || s.minimaleAchterstandMaanden === undefined) return undefined;
  if (m.selectiegrond && s.gronden.includes(m.selectiegrond)) return undefined;
  if (!m.achterstand || m.achterstand.aantalMaanden >= s.minimaleAchterstandMaanden) return undefined;
  const gronden = s.gronden.length ? `, of een van de selectiegronden ${s.gronden.join(', ')}` : '';
  return {
    reden: `selecteert bij ten minste ${s.minimaleAchterstandMaanden} maanden huurachterstand${gronden}${s.artikel ? ` (${s.artikel})` : ''}`,
    velden: [
      { name: 'achterstand.aantalMaanden', reason: `minder dan ${s.minimaleAchterstandMaanden} maanden` },
      ...(s.gronden.length ? [{ name: 'selectiegrond', reason: m.selectiegrond ? 'geen selectiegrond van dit convenant' : `geef een van: ${s.gronden.join(', ')}` }] : []),
    ],
  };
}
