// The PGP/MIME channel for one recipient: renders the content and encrypts it to the recipient's
// public key. Key material comes from the context's cache at build time, so a reload counts at once.
import type { Kanaalsoort } from '../kanaal.js';
import { pgp } from './index.js';

export const pgpKanaal: Kanaalsoort = {
  vereist: ['pgpSleutel'],
  maak: (ontvanger, ctx) => ({
    naam: 'pgp',
    slaatOver: () => undefined,
    async bouw(u, adressering) {
      const inhoud = await u.inhoud();
      return pgp.bouw(inhoud, adressering, {
        ontvangerSleutel: ctx.lees(ontvanger.pgpSleutel), afzenderSleutel: ctx.lees(ctx.afzender.pgpSleutel), nu: ctx.klok(),
      });
    },
  }),
};
