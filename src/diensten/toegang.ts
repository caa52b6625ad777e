// Access to a melding through the portal's secure link (NTA 7516: two factors): a link from the
// notification mail, then a one-time code by a second channel (a separate mail, or an SMS), then a
// session bound to that link. A right code is single use; too many wrong ones lock the link and the
// sender sees that on its melding. Only keyed hashes of tokens, codes and sessions are stored.
import { randomBytes } from 'node:crypto';
import { codeMail, portaalUrl, type SmsKanaal } from '../../adapters/beveiligde-link/index.js';
import type { Adressering } from '../../adapters/kanaal.js';
import type { SmtpTransport } from '../../adapters/smtp/transport.js';
import type { Config, Wijkteam } from '../config.js';
import { toegangscodeModel } from '../domain/berichten.js';
import type { Casus } from '../domain/overgangen.js';
import type { Sjablonen } from '../sjablonen.js';
import type { Link, LinkStore } from '../store/links.js';
import type { Casussen } from './casussen.js';
import type { Lezen } from './lezen.js';

export const NEUTRAAL_ONDERWERP = 'Beveiligd bericht via Signaalbrug';

export class CodeNietVerstuurd extends Error {
  constructor(readonly reden: string) {
    super(`toegangscode niet verstuurd: ${reden}`);
  }
}

export type Oordeel =
  | { soort: 'niet-gevonden' }
  | { soort: 'ingetrokken' }
  | { soort: 'vergrendeld'; link: Link; meta: Casus }
  | { soort: 'open'; link: Link; meta: Casus };

export interface ToegangDeps {
  config: Config;
  links: LinkStore;
  casussen: Casussen;
  lezen: Lezen;
  sjablonen: Pick<Sjablonen, 'render'>;
  /** Only for sending codes (the portal role). */
  smtp?: Pick<SmtpTransport, 'verstuur'>;
  sms?: SmsKanaal;
  klok: () => Date;
}

export function createToegang(deps: ToegangDeps) {
  const { config, links, casussen, lezen, klok } = deps;
  const wijkteams = new Map(config.wijkteams.map((w) => [w.id, w]));

  async function verstuurCode(wijkteam: Wijkteam, code: string): Promise<void> {
    const minuten = config.portal.codeGeldigMinuten;
    if (config.portal.codeKanaal === 'sms') {
      if (!deps.sms) throw new CodeNietVerstuurd('geen sms-kanaal geconfigureerd (portal.sms)');
      if (!wijkteam.telefoon) throw new CodeNietVerstuurd(`wijkteam ${wijkteam.id} heeft geen telefoon`);
      await deps.sms.verstuur(wijkteam.telefoon, `Uw toegangscode voor Signaalbrug: ${code}. Geldig ${minuten} minuten, werkt één keer.`);
      return;
    }
    if (!deps.smtp) throw new CodeNietVerstuurd('geen mailverbinding in deze rol');
    const domein = config.afzender.mailbox.split('@')[1] ?? 'signaalbrug.invalid';
    const adressering: Adressering = {
      van: { naam: config.afzender.naam, adres: config.afzender.mailbox },
      aan: { naam: wijkteam.naam, adres: wijkteam.mailbox },
      // A fresh id per code: every code mail is a new message, never a retry of an older one.
      messageId: `<${randomBytes(20).toString('hex')}@${domein}>`,
      datum: klok(),
      buitenOnderwerp: NEUTRAAL_ONDERWERP,
    };
    const raw = codeMail(deps.sjablonen.render('toegangscode', toegangscodeModel(code, minuten)), adressering);
    await deps.smtp.verstuur(raw, { from: config.afzender.mailbox, to: wijkteam.mailbox }, adressering.messageId);
  }

  return {
    /** A fresh link for the melding (the notification mail's URL); any older link of it stops working. */
    async nieuweLink(meldingId: string): Promise<string> {
      const token = await links.maak(meldingId, new Date(klok().getTime() + config.portal.linkGeldigDagen * 86_400_000));
      return portaalUrl(config.portal, token);
    },

    /** Every token costs one hash and one Redis read before any answer (no cheaper path for guesses). */
    async beoordeel(token: string): Promise<Oordeel> {
      const link = await links.zoek(token);
      if (!link) return { soort: 'niet-gevonden' };
      if (link.ingetrokken) return { soort: 'ingetrokken' };
      const meta = await casussen.meta(link.meldingId);
      if (!meta) return { soort: 'niet-gevonden' }; // removed after retention: as if it never was
      if (meta.status === 'ingetrokken') return { soort: 'ingetrokken' };
      return { soort: link.vergrendeld ? 'vergrendeld' : 'open', link, meta };
    },

    /** Where the code goes, in words for the page (no address or number: those stay out of pages). */
    bestemming(): string {
      return config.portal.codeKanaal === 'sms'
        ? 'per sms naar het telefoonnummer dat bij ons bekend is'
        : 'per e-mail naar het adres waarop u de link ontving, in een aparte e-mail';
    },

    /** A new one-time code for the link, sent by the second channel. */
    async stuurCode(link: Link, meta: Casus): Promise<void> {
      const wijkteam = wijkteams.get(meta.wijkteam);
      if (!wijkteam) throw new CodeNietVerstuurd(`wijkteam ${meta.wijkteam} staat niet (meer) in de configuratie`);
      await verstuurCode(wijkteam, await links.maakCode(link.hash));
    },

    /** Check a code; the try that locks the link is recorded on the melding (the sender sees it). */
    async controleerCode(link: Link, code: string) {
      const r = await links.controleerCode(link.hash, code);
      if (r.uitkomst === 'vergrendeld-nu') await casussen.pasToe(link.meldingId, { soort: 'link-vergrendeld', pogingen: r.pogingen });
      return r;
    },

    maakSessie: (link: Link) => links.maakSessie(link.hash, link.meldingId),
    sessie: (id: string) => links.sessie(id),
    beeindigSessie: (id: string) => links.beeindigSessie(id),
    tempo: (soort: string, sleutel: string, max: number, venster: number) => links.tempo(soort, sleutel, max, venster),

    /**
     * The wijkteam opens the melding: the first opening is the `gelezen` event, every later one a
     * logboek record of its own (every reading of personal data is logged). HEAD reads nothing.
     */
    async open(meta: Casus, extra: Record<string, string> = {}) {
      const gelezen = { actie: 'melding-gelezen' as const, oin: meta.wijkteamOin, extra: { kanaal: 'portaal', ...extra } };
      if (!extra.vorm && (await links.eersteOpening(meta.id))) {
        try {
          await casussen.pasToe(meta.id, { soort: 'gelezen', kanaal: 'portaal' });
        } catch (err) {
          await links.vergeetOpening(meta.id); // so the next opening records it
          throw err;
        }
      } else await lezen.vastleggen(meta.id, gelezen);
    },
  };
}

export type Toegang = ReturnType<typeof createToegang>;
