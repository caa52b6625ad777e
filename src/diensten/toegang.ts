// Access to a melding through the portal's secure link (NTA 7516: two factors): a link from the
// notification mail, then a one-time code by a second channel (a separate mail, or an SMS), then a
// session bound to that link. A right code is single use; too many wrong ones lock the link and the
// sender sees that on its melding. Only keyed hashes of tokens, codes and sessions are stored.
import { randomBytes } from 'node:crypto';
import { codeMail, notificatieMail, portaalUrl, type SmsKanaal } from '../../adapters/beveiligde-link/index.js';
import type { Adressering } from '../../adapters/kanaal.js';
import type { SmtpTransport } from '../../adapters/smtp/transport.js';
import { gemeenteVan, type Config } from '../config.js';
import type { Casus } from '../domain/overgangen.js';
import { notificatieModel, toegangscodeModel } from '../domain/portaalberichten.js';
import type { Sjablonen } from '../sjablonen.js';
import type { Link, Linkrol, LinkStore } from '../store/links.js';
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
  const corporaties = new Map(config.organisaties.map((o) => [o.oin, o.naam]));

  /** Who reads through a link of this role: the melding's wijkteam, or the troubleshooter (art. 8.2). */
  function lezerVan(rol: Linkrol, meta: Casus): { id: string; naam: string; mailbox: string; telefoon?: string | undefined } {
    if (rol === 'troubleshooter') {
      // The troubleshooter of the melding's own gemeente (a regional hub has one per gemeente).
      const t = gemeenteVan(config, meta).troubleshooter;
      return { id: 'troubleshooter', naam: t.naam, mailbox: t.mailbox };
    }
    const w = wijkteams.get(meta.wijkteam);
    if (!w) throw new CodeNietVerstuurd(`wijkteam ${meta.wijkteam} staat niet (meer) in de configuratie`);
    return w;
  }

  /** A mail without personal data, apart from any other (a fresh Message-ID each time), with the neutral subject. */
  async function verstuurOnversleuteld(aan: { naam: string; mailbox: string }, bouw: (a: Adressering) => Buffer, meta: Casus): Promise<void> {
    if (!deps.smtp) throw new CodeNietVerstuurd('geen mailverbinding in deze rol');
    // From the melding's gemeente's own sender identity when it has one (a regional hub).
    const afzender = gemeenteVan(config, meta).afzender ?? config.afzender;
    const domein = afzender.mailbox.split('@')[1] ?? 'signaalbrug.invalid';
    const adressering: Adressering = {
      van: { naam: afzender.naam, adres: afzender.mailbox },
      aan: { naam: aan.naam, adres: aan.mailbox },
      // A fresh id per mail: every code mail is a new message, never a retry of an older one.
      messageId: `<${randomBytes(20).toString('hex')}@${domein}>`,
      datum: klok(),
      buitenOnderwerp: NEUTRAAL_ONDERWERP,
    };
    await deps.smtp.verstuur(bouw(adressering), { from: afzender.mailbox, to: aan.mailbox }, adressering.messageId);
  }

  async function verstuurCode(link: Link, meta: Casus, code: string): Promise<void> {
    const minuten = config.portal.codeGeldigMinuten;
    const lezer = lezerVan(link.rol, meta);
    // The troubleshooter has a mailbox only: its code always goes by mail.
    if (config.portal.codeKanaal === 'sms' && link.rol === 'wijkteam') {
      if (!deps.sms) throw new CodeNietVerstuurd('geen sms-kanaal geconfigureerd (portal.sms)');
      if (!lezer.telefoon) throw new CodeNietVerstuurd(`wijkteam ${lezer.id} heeft geen telefoon`);
      const m = toegangscodeModel(code, minuten, { meldingId: meta.id, herinnering: link.herinnering });
      await deps.sms.verstuur(lezer.telefoon,
        `Uw toegangscode voor Signaalbrug-bericht ${m.kenmerk}${m.herinnering ? ' (herinnering)' : ''}: ${code}. Geldig ${minuten} minuten, werkt één keer.`);
      return;
    }
    const inhoud = deps.sjablonen.render('toegangscode', toegangscodeModel(code, minuten, { meldingId: meta.id, herinnering: link.herinnering }));
    await verstuurOnversleuteld(lezer, (a) => codeMail(inhoud, a), meta);
  }

  async function maakLink(meldingId: string, rol: Linkrol, o: { herinnering?: boolean } = {}): Promise<string> {
    return links.maak(meldingId, new Date(klok().getTime() + config.portal.linkGeldigDagen * 86_400_000), rol, o);
  }

  return {
    /**
     * A fresh link for the melding and role (the URL for the notification or the encrypted mail); the
     * role's older link stops working, the other role's stays. `herinnering`: it comes with a reminder.
     */
    async nieuweLink(meldingId: string, rol: Linkrol = 'wijkteam', o: { herinnering?: boolean } = {}): Promise<string> {
      return portaalUrl(config.portal, await maakLink(meldingId, rol, o));
    },

    /**
     * A locked link, replaced on request by a fresh one sent to the role's own mailbox (never to the
     * visitor): whoever locked it learns nothing, the rightful reader gets in again with a new code.
     */
    async stuurNieuweLink(link: Link, meta: Casus): Promise<void> {
      const lezer = lezerVan(link.rol, meta);
      const url = portaalUrl(config.portal, await maakLink(meta.id, link.rol));
      const inhoud = deps.sjablonen.render('notificatie-beveiligd-bericht', notificatieModel(
        { id: meta.id, corporatie: corporaties.get(meta.oin) ?? 'de woningcorporatie', terugkoppelingUiterlijk: meta.terugkoppelingUiterlijk },
        url, { aanleiding: 'nieuwe-link', rol: link.rol, terugkoppelingVerwacht: !['teruggekoppeld', 'afgesloten'].includes(meta.status) }));
      await verstuurOnversleuteld(lezer, (a) => notificatieMail(inhoud, a), meta);
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
    bestemming(rol: Linkrol = 'wijkteam'): string {
      return config.portal.codeKanaal === 'sms' && rol === 'wijkteam'
        ? 'per sms naar het telefoonnummer dat bij ons bekend is'
        : 'per e-mail naar het adres waarop u de link ontving, in een aparte e-mail';
    },

    /** A new one-time code for the link, sent by the second channel; the code it replaces stops working. */
    async stuurCode(link: Link, meta: Casus): Promise<void> {
      lezerVan(link.rol, meta); // refuse before a code exists
      await verstuurCode(link, meta, await links.maakCode(link.hash));
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
    /** The keyed hash a portal rate limit counts an IP address or a link's token under (never the value itself). */
    tempoSleutel: (waarde: string) => links.tempoSleutel(waarde),

    /**
     * The wijkteam opens the melding: the first opening is the `gelezen` event, every later one a
     * logboek record of its own (every reading of personal data is logged). HEAD reads nothing.
     */
    async open(meta: Casus, extra: Record<string, string> = {}, rol: Linkrol = 'wijkteam') {
      const gelezen = { actie: 'melding-gelezen' as const, oin: meta.wijkteamOin, extra: { kanaal: 'portaal', ...(rol === 'wijkteam' ? {} : { rol }), ...extra } };
      // Only the wijkteam's first opening is `gelezen`; the troubleshooter's readings are logboek records.
      if (rol === 'wijkteam' && !extra.vorm && (await links.eersteOpening(meta.id))) {
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
