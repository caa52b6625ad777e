// Prometheus metrics, one registry per process. Labels carry only routes, codes and soorten:
// never an id, a name or anything else that points to a person.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The operational state the gauges show, read by the report service (src/diensten/rapportage.ts). */
export interface Stand {
  perStatus: Record<string, number>;
  vandaagUiterlijk: number;
  overTijd: number;
  outbox: { lengte: number; oudsteLeeftijdSeconden: number };
  wachtrijen: Record<string, Record<string, number>>;
}

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'signaalbrug_' });
  // The gauges read the state once per scrape (the source caches it), when a source is attached.
  let bron: (() => Promise<Stand>) | undefined;
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[], zet: (g: Gauge<L>, s: Stand) => void) =>
    new Gauge<L>({
      name, help, labelNames, registers: [registry],
      async collect() {
        if (!bron) return;
        this.reset();
        zet(this, await bron());
      },
    });
  gauge('signaalbrug_meldingen_open', 'Cases not final (personal data still held), by status', ['status'] as const, (g, s) => {
    for (const [status, n] of Object.entries(s.perStatus)) g.set({ status }, n);
  });
  gauge('signaalbrug_meldingen_uiterlijk_vandaag', 'Cases whose feedback is owed and due today (Europe/Amsterdam)', [], (g, s) => g.set(s.vandaagUiterlijk));
  gauge('signaalbrug_meldingen_over_tijd', 'Cases whose feedback is owed and whose last day has passed', [], (g, s) => g.set(s.overTijd));
  gauge('signaalbrug_outbox_lengte', 'Outbox entries not yet relayed', [], (g, s) => g.set(s.outbox.lengte));
  gauge('signaalbrug_outbox_oudste_seconden', 'Age of the oldest outbox entry not yet relayed (0 when empty)', [], (g, s) => g.set(s.outbox.oudsteLeeftijdSeconden));
  gauge('signaalbrug_wachtrij_jobs', 'BullMQ jobs per queue and state', ['wachtrij', 'staat'] as const, (g, s) => {
    for (const [wachtrij, staten] of Object.entries(s.wachtrijen)) for (const [staat, n] of Object.entries(staten)) g.set({ wachtrij, staat }, n);
  });
  return {
    registry,
    /** Where the gauges read the operational state (the composition root attaches the report service). */
    koppelStand(f: () => Promise<Stand>): void {
      bron = f;
    },
    httpVerzoeken: new Counter({
      name: 'signaalbrug_http_verzoeken_total', help: 'HTTP requests by route and status',
      labelNames: ['route', 'methode', 'status'] as const, registers: [registry],
    }),
    httpDuur: new Histogram({
      name: 'signaalbrug_http_duur_seconden', help: 'HTTP request duration',
      labelNames: ['route', 'methode'] as const, registers: [registry], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    }),
    meldingenOntvangen: new Counter({
      name: 'signaalbrug_meldingen_ontvangen_total', help: 'Meldingen stored (201), by soort',
      labelNames: ['soort'] as const, registers: [registry],
    }),
    bezorgd: new Counter({
      name: 'signaalbrug_berichten_bezorgd_total', help: 'Encrypted messages accepted by the SMTP server',
      labelNames: ['kanaal', 'bericht'] as const, registers: [registry],
    }),
    bezorgingMislukt: new Counter({
      name: 'signaalbrug_bezorging_mislukt_total', help: 'Messages given up: an operator must act (alert on this)',
      labelNames: ['reden'] as const, registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
