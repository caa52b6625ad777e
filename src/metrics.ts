// Prometheus metrics, one registry per process. Labels carry only routes, codes and soorten:
// never an id, a name or anything else that points to a person.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'signaalbrug_' });
  return {
    registry,
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
