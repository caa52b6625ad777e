// The S/MIME channel for one recipient: renders the content and envelopes it with the recipient's
// certificate. Key material comes from the context's cache at build time, so a reload counts at once.
import type { Kanaalsoort } from '../kanaal.js';
import { smime } from './index.js';

export const smimeKanaal: Kanaalsoort = {
  vereist: ['certificaat'],
  maak: (ontvanger, ctx) => ({
    naam: 'smime',
    slaatOver: () => undefined,
    async bouw(u, adressering) {
      const inhoud = await u.inhoud();
      return smime.bouw(inhoud, adressering, {
        ontvangerCertificaat: ctx.lees(ontvanger.certificaat), afzenderCertificaat: ctx.lees(ctx.afzender.certificaat),
        afzenderSleutel: ctx.lees(ctx.afzender.sleutel), ca: ctx.smimePki.ca.map((p) => ctx.lees(p)), crl: ctx.smimePki.crl.map((p) => ctx.lees(p)),
        keyTransport: ontvanger.keyTransport, inhoud: ontvanger.inhoudVersleuteling, nu: ctx.klok(),
      });
    },
  }),
};
