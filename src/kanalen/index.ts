// The delivery channels behind one interface: `voor(ontvanger)` gives the Kanaal of a recipient's
// bezorging, built once and kept. Adding a channel: its folder under adapters/ and one line in MAKERS.
import { beveiligdeLinkKanaal } from '../../adapters/beveiligde-link/kanaal.js';
import { KanaalFout, type Kanaal, type KanaalContext, type KanaalMaker, type Ontvanger } from '../../adapters/kanaal.js';
import { pgpKanaal } from '../../adapters/pgp/kanaal.js';
import { smimeKanaal } from '../../adapters/smime/kanaal.js';
import type { Config } from '../config.js';
import type { Sleutelmateriaal } from './materiaal.js';

export { Sleutelmateriaal, sleutelbestanden } from './materiaal.js';

const MAKERS: Record<string, KanaalMaker> = { smime: smimeKanaal, pgp: pgpKanaal, 'beveiligde-link': beveiligdeLinkKanaal };

export interface KanalenDeps {
  config: Config;
  materiaal: Sleutelmateriaal;
  klok: () => Date;
  /** A fresh secure link to the portal for the melding (the URL); older links of it stop working. */
  nieuweLink(meldingId: string): Promise<string>;
}

export function maakKanalen(deps: KanalenDeps): { voor(o: Ontvanger): Kanaal } {
  const ctx: KanaalContext = {
    lees: (pad) => deps.materiaal.lees(pad),
    afzender: deps.config.afzender,
    smimePki: deps.config.smimePki,
    klok: deps.klok,
    nieuweLink: (meldingId) => deps.nieuweLink(meldingId),
  };
  const kanalen = new Map<string, Kanaal>();
  return {
    voor(o) {
      // Per mailbox and bezorging; the key paths and choices belong to the key too, should two
      // parties share a mailbox with different material.
      const sleutel = JSON.stringify([o.mailbox, o.bezorging, o.certificaat, o.pgpSleutel, o.keyTransport, o.inhoudVersleuteling]);
      let kanaal = kanalen.get(sleutel);
      if (!kanaal) {
        const maker = Object.hasOwn(MAKERS, o.bezorging) ? MAKERS[o.bezorging] : undefined;
        if (!maker) throw new KanaalFout('SB_SLEUTEL_ONGESCHIKT', `onbekend kanaal ${o.bezorging}`);
        kanalen.set(sleutel, (kanaal = maker(o, ctx)));
      }
      return kanaal;
    },
  };
}
