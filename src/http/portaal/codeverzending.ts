// The one-time code travels by a second channel, apart from the link (NTA 7516 two factors; ZorgMail
// sends it by SMS or e-mail): a separate mail to the wijkteam mailbox by default, or an SMS to the
// mailbox's configured phone number. Neither carries anything about the melding: only the code.
import { randomBytes } from 'node:crypto';
import { codeMail } from '../../../adapters/beveiligde-link/index.js';
import type { Adressering } from '../../../adapters/kanaal.js';
import type { Wijkteam } from '../../config.js';
import { toegangscodeModel } from '../../domain/berichten.js';
import type { PortaalDeps } from './context.js';

export const NEUTRAAL_ONDERWERP = 'Beveiligd bericht via Signaalbrug';

export class CodeNietVerstuurd extends Error {
  constructor(readonly reden: string) {
    super(`toegangscode niet verstuurd: ${reden}`);
  }
}

/** Where the code went, in words for the page (no address or number: those stay out of pages). */
export function bestemming(deps: Pick<PortaalDeps, 'config'>): string {
  return deps.config.portal.codeKanaal === 'sms'
    ? 'per sms naar het telefoonnummer dat bij ons bekend is'
    : 'per e-mail naar het adres waarop u de link ontving, in een aparte e-mail';
}

export async function verstuurCode(deps: PortaalDeps, wijkteam: Wijkteam, code: string): Promise<void> {
  const { config } = deps;
  const minuten = config.portal.codeGeldigMinuten;
  if (config.portal.codeKanaal === 'sms') {
    if (!deps.sms) throw new CodeNietVerstuurd('geen sms-kanaal geconfigureerd (portal.sms)');
    if (!wijkteam.telefoon) throw new CodeNietVerstuurd(`wijkteam ${wijkteam.id} heeft geen telefoon`);
    await deps.sms.verstuur(wijkteam.telefoon, `Uw toegangscode voor Signaalbrug: ${code}. Geldig ${minuten} minuten, werkt één keer.`);
    return;
  }
  const domein = config.afzender.mailbox.split('@')[1] ?? 'signaalbrug.invalid';
  const adressering: Adressering = {
    van: { naam: config.afzender.naam, adres: config.afzender.mailbox },
    aan: { naam: wijkteam.naam, adres: wijkteam.mailbox },
    // A fresh id per code: every code mail is a new message, never a retry of an older one.
    messageId: `<${randomBytes(20).toString('hex')}@${domein}>`, // opaque: names no kind of message
    datum: deps.klok(),
    buitenOnderwerp: NEUTRAAL_ONDERWERP,
  };
  const raw = codeMail(deps.sjablonen.render('toegangscode', toegangscodeModel(code, minuten)), adressering);
  await deps.smtp.verstuur(raw, { from: config.afzender.mailbox, to: wijkteam.mailbox }, adressering.messageId);
}
