// The beveiligde-link channel for one wijkteam (NTA 7516 / Zivver style): the content stays in the
// portal; the mail only notifies, without personal data. Each notification carries a fresh link
// (older links stop working), so a reminder re-notifies. It never renders the content itself.
import { KanaalFout, type Kanaalsoort } from '../kanaal.js';
import { beveiligdeLink } from './index.js';

/** The kinds a notification stands for; the rest (escalation, eviction date, ...) needs a key. */
const BERICHTEN = ['melding-aan-wijkteam', 'herinnering', 'aanvulling', 'intrekking'];

export const beveiligdeLinkKanaal: Kanaalsoort = {
  vereist: [], alleenWijkteams: true,
  maak: (_ontvanger, ctx) => ({
    naam: 'beveiligde-link',
    slaatOver: () => undefined,
    async bouw(u, adressering) {
      if (!BERICHTEN.includes(u.bericht)) throw new KanaalFout('SB_SLEUTEL_ONGESCHIKT', `${u.bericht} kan niet via beveiligde-link`);
      // A withdrawal is announced without a link: there is nothing left to open, nor feedback to give.
      if (u.bericht === 'intrekking') return beveiligdeLink.bouw(u.kennisgeving(null), adressering, {});
      // A reminder's link says so in its code mail too.
      const url = await ctx.nieuweLink(u.meldingId, { herinnering: u.bericht === 'herinnering' });
      return beveiligdeLink.bouw(u.kennisgeving(url), adressering, {});
    },
  }),
};
