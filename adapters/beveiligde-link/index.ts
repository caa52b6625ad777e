// The beveiligde-link channel (NTA 7516; how Zivver and ZorgMail reach recipients without keys): an
// ordinary, unencrypted mail that only says a secure message waits, from which corporation, by when
// feedback is due, and the link. It carries no personal data by construction: its content comes from
// notificatieModel (or toegangscodeModel for the code mail), which holds nothing about the tenant,
// and its headers come from the Adressering only, with the neutral outer subject (docs/contract.md "Mail").
import type { Adressering, Bezorgkanaal, Inhoud } from '../kanaal.js';
import { buitenBericht, contentKop, nieuweGrens, tekstDeel } from '../mime.js';

export { httpSms, SmsFout, type SmsKanaal } from './sms.js';

const CRLF = '\r\n';

/** multipart/alternative (RFC 2046 5.1.4), text first so the HTML is the preferred rendering. */
function onversleuteld(inhoud: Inhoud, adressering: Adressering): Buffer {
  const grens = nieuweGrens();
  return buitenBericht(adressering, {
    contentType: contentKop('Content-Type', 'multipart/alternative', { boundary: grens }),
    body: [`--${grens}`, tekstDeel('text/plain', inhoud.tekst), `--${grens}`, tekstDeel('text/html', inhoud.html), `--${grens}--`, ''].join(CRLF),
  });
}

/** The notification mail. `inhoud.onderwerp` is not used: the outer subject is always the neutral one. */
export const beveiligdeLink: Bezorgkanaal<Record<string, never>> = {
  naam: 'beveiligde-link',
  async bouw(inhoud, adressering) {
    return onversleuteld(inhoud, adressering);
  },
};

/** The one-time code mail (second factor, sent apart from the link as ZorgMail does); same shape. */
export function codeMail(inhoud: Inhoud, adressering: Adressering): Buffer {
  return onversleuteld(inhoud, adressering);
}

/** A notification the portal sends itself (a new link for a locked one); the same mail as the channel's. */
export function notificatieMail(inhoud: Inhoud, adressering: Adressering): Buffer {
  return onversleuteld(inhoud, adressering);
}

/** The link in the notification: the portal's public URL, or the local listener in development. */
export function portaalUrl(portal: { publiekeUrl?: string; host: string; port: number }, token: string): string {
  const basis = portal.publiekeUrl ?? `https://localhost:${portal.port}`;
  return `${basis.replace(/\/+$/, '')}/b/${encodeURIComponent(token)}`;
}
