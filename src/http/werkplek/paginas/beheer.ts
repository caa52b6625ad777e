// The beheerder's page (role beheerder): the operational state at a glance, from the same reading as
// the Prometheus gauges (open cases per status, feedback due today and overdue, the outbox and its
// oldest entry, the BullMQ queues), and the partners and wijkteams in the config. No secrets: names,
// OINs, postcode ranges and channel kinds only; never key material, paths or mailboxes' credentials.
import { STATUSSEN, isFinaal } from '../../../domain/status.js';
import type { Paginas } from '../context.js';
import { tijdstip } from './_privacy.js';

const ROLLEN = ['beheerder'] as const;
const WACHTRIJ_STATEN = ['waiting', 'delayed', 'active', 'failed', 'prioritized'] as const;

/** Seconds as people read an age: "2 uur 5 min", "40 s". */
export function leeftijd(seconden: number): string {
  const s = Math.round(seconden);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ${s % 60} s`;
  const uur = Math.floor(min / 60);
  if (uur < 48) return `${uur} uur ${min % 60} min`;
  return `${Math.floor(uur / 24)} dagen ${uur % 24} uur`;
}

export default (async (app, ctx) => {
  const { sb } = ctx;
  const { config } = sb;

  app.get('/beheer', async (request, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    const t = await sb.diensten.rapportage.toestand();
    const gemeenten = new Map(config.organisaties.map((o) => [o.oin, o.naam]));
    // In a regional hub the beheerder's own gemeente's convenant and troubleshooter; otherwise the only ones.
    const eigen = config.gemeenten.find((x) => x.oin === g.oin) ?? config.gemeenten[0]!;
    reply.header('Cache-Control', 'no-store');
    return ctx.pagina(reply, request, 'beheer/overzicht', {
      titel: 'Beheer: overzicht',
      gelezen: tijdstip(sb.klok()),
      convenant: eigen.convenant.naam, werkdagen: eigen.convenant.werkdagenTerugkoppeling,
      perStatus: STATUSSEN.filter((s) => !isFinaal(s)).map((s) => ({ status: s, aantal: t.perStatus[s] ?? 0 })),
      openTotaal: Object.values(t.perStatus).reduce((a, b) => a + b, 0),
      vandaag: t.vandaagUiterlijk, overTijd: t.overTijd,
      outbox: { lengte: t.outbox.lengte, leeftijd: t.outbox.lengte ? leeftijd(t.outbox.oudsteLeeftijdSeconden) : 'leeg' },
      staten: WACHTRIJ_STATEN,
      wachtrijen: Object.entries(t.wachtrijen).map(([naam, telling]) => ({ naam, aantallen: WACHTRIJ_STATEN.map((s) => telling[s] ?? 0) })),
      organisaties: config.organisaties.map((o) => ({
        naam: o.naam, oin: o.oin, rol: o.rol === 'corporatie' ? 'Woningcorporatie' : o.rol === 'signaalpartner' ? `Signaalpartner (${o.signaalpartner})` : 'Gemeente', terugkoppeling: o.terugkoppeling ? 'Ja' : 'Nee',
      })),
      wijkteams: config.wijkteams.map((w) => ({
        id: w.id, naam: w.naam, gemeente: gemeenten.get(w.organisatie) ?? w.organisatie, postcodes: w.postcodes.map((r) => (r.van === r.tot ? String(r.van) : `${r.van}-${r.tot}`)).join(', '), bezorging: w.bezorging,
      })),
      troubleshooter: { naam: eigen.troubleshooter.naam, bezorging: eigen.troubleshooter.bezorging },
    });
  });
}) satisfies Paginas;
