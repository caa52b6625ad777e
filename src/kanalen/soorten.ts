// Every delivery channel by its name in the config (`bezorging`). Adding a channel: its folder under
// adapters/ (the message format and a kanaal.ts exporting a Kanaalsoort) and one line here; the
// config takes the names and each channel's required fields from this list.
import { beveiligdeLinkKanaal } from '../../adapters/beveiligde-link/kanaal.js';
import type { Kanaalsoort } from '../../adapters/kanaal.js';
import { pgpKanaal } from '../../adapters/pgp/kanaal.js';
import { smimeKanaal } from '../../adapters/smime/kanaal.js';

export const KANAALSOORTEN = {
  smime: smimeKanaal,
  pgp: pgpKanaal,
  'beveiligde-link': beveiligdeLinkKanaal,
} as const satisfies Record<string, Kanaalsoort>;

export type Kanaalnaam = keyof typeof KANAALSOORTEN;
export const KANAALNAMEN = Object.keys(KANAALSOORTEN) as [Kanaalnaam, ...Kanaalnaam[]];
