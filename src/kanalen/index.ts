// The delivery channels behind one interface: `voor(ontvanger)` gives the Kanaal of a recipient's
// bezorging, built once and kept. Adding a channel: its folder under adapters/ and one line in
// KANAALSOORTEN (./soorten.ts).
import { KanaalFout, type Kanaal, type KanaalContext, type Ontvanger } from '../../adapters/kanaal.js';
import type { Config } from '../config.js';
import type { Sleutelmateriaal } from './materiaal.js';
import { KANAALSOORTEN } from './soorten.js';

export { Sleutelmateriaal, sleutelbestanden } from './materiaal.js';

export interface KanalenDeps {
  config: Config;
  materiaal: Sleutelmateriaal;
  klok: () => Date;
  /** A fresh secure link to the portal for the melding (the URL); older links of it stop working. */
  nieuweLink(meldingId: string, rol?: 'wijkteam', o?: { herinnering?: boolean }): Promise<string>;
}

export function maakKanalen(deps: KanalenDeps): { voor(o: Ontvanger, afzender?: KanaalContext['afzender']): Kanaal } {
  const basis: KanaalContext = {
    lees: (pad) => deps.materiaal.lees(pad),
    afzender: deps.config.afzender,
    smimePki: deps.config.smimePki,
    klok: deps.klok,
    nieuweLink: (meldingId, o) => deps.nieuweLink(meldingId, 'wijkteam', o),
  };
  const kanalen = new Map<string, Kanaal>();
  return {
    voor(o, afzender = basis.afzender) {
      // Per mailbox and bezorging; the key paths and choices belong to the key too, should two
      // parties share a mailbox with different material. A gemeente with its own sender identity signs with its keys.
      const ctx = afzender === basis.afzender ? basis : { ...basis, afzender };
      const sleutel = JSON.stringify([o.mailbox, o.bezorging, o.certificaat, o.pgpSleutel, o.keyTransport, o.inhoudVersleuteling,
        afzender.certificaat, afzender.sleutel, afzender.pgpSleutel]);
      let kanaal = kanalen.get(sleutel);
      if (!kanaal) {
        const soort = Object.hasOwn(KANAALSOORTEN, o.bezorging) ? KANAALSOORTEN[o.bezorging as keyof typeof KANAALSOORTEN] : undefined;
        if (!soort) throw new KanaalFout('SB_SLEUTEL_ONGESCHIKT', `onbekend kanaal ${o.bezorging}`);
        kanalen.set(sleutel, (kanaal = soort.maak(o, ctx)));
      }
      return kanaal;
    },
  };
}
