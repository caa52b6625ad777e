// Transactional outbox: a state change writes its outbox entry in the same atomic step; this relay
// turns entries into BullMQ jobs and only then acknowledges
// them. A crash in between re-plans the same deterministic job ids, which BullMQ ignores, so nothing
// is lost and nothing is sent twice.
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { berichtenVoor, type BezorgOpdracht } from '../domain/berichten.js';
import type { Casus } from '../domain/overgangen.js';

/** The outbox stream as the relay reads it (a consumer group; store: `outbox`). */
export interface OutboxLezer {
  maakGroep(): Promise<void>;
  /** New entries for this consumer, waiting up to `blokMs` for them. */
  lees(consumer: string, aantal: number, blokMs: number): Promise<[string, Record<string, string>][]>;
  /** Entries another consumer read but never acknowledged for `minIdleMs`. */
  claim(consumer: string, minIdleMs: number, aantal: number): Promise<[string, Record<string, string>][]>;
  bevestig(ids: string[]): Promise<void>;
  stop(): void;
}

export interface RelayDeps {
  outbox: OutboxLezer;
  meta(id: string): Promise<Casus | undefined>;
  bezorgingen: Queue<BezorgOpdracht>;
  jobId(o: BezorgOpdracht): string;
  log: Logger;
}

export class OutboxRelay {
  private gestopt = false;
  private lus: Promise<void> | undefined;
  private readonly consumer = `relay-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(private readonly deps: RelayDeps) {}

  async start(): Promise<void> {
    await this.deps.outbox.maakGroep();
    this.lus = this.draai();
  }

  /** One batch: read the cases, plan the jobs of all of them at once, then acknowledge. */
  private async verwerk(entries: [string, Record<string, string>][]): Promise<void> {
    if (!entries.length) return;
    const opdrachten = await Promise.all(entries.map(async ([, v]) => {
      const meta = v.melding ? await this.deps.meta(v.melding) : undefined;
      if (!meta) return [];
      const actie = v.actie ?? 'bezorgen';
      const gepland = berichtenVoor(meta.id, meta.soort, actie, v);
      if (!gepland.length) this.deps.log.warn({ meldingId: meta.id, actie }, 'outbox-relay: onbekende actie overgeslagen');
      return gepland;
    }));
    const jobs = opdrachten.flat().map((data) => ({ name: data.bericht, data, opts: { jobId: this.deps.jobId(data) } }));
    if (jobs.length) await this.deps.bezorgingen.addBulk(jobs);
    await this.deps.outbox.bevestig(entries.map(([id]) => id));
  }

  private async draai(): Promise<void> {
    let laatsteClaim = 0;
    let stil: { sinds: number; pogingen: number } | undefined;
    while (!this.gestopt) {
      try {
        // Entries a crashed relay had read but not acknowledged are taken over after 30 s.
        if (Date.now() - laatsteClaim > 10_000) {
          laatsteClaim = Date.now();
          await this.verwerk(await this.deps.outbox.claim(this.consumer, 30_000, 100));
        }
        await this.verwerk(await this.deps.outbox.lees(this.consumer, 100, 1000));
        if (stil) {
          this.deps.log.info({ ms: Date.now() - stil.sinds, pogingen: stil.pogingen }, 'outbox-relay: loopt weer');
          stil = undefined;
        }
      } catch (err) {
        if (this.gestopt) break;
        // Nothing is lost (entries stay unacknowledged), but nothing moves either: alarm the operator,
        // once per standstill (a Redis outage would otherwise raise it every second).
        if (stil) stil.pogingen++;
        else {
          stil = { sinds: Date.now(), pogingen: 1 };
          this.deps.log.error({ alarm: 'outbox-relay', err: (err as Error).message }, 'outbox-relay: staat stil, opnieuw elke seconde');
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  async stop(): Promise<void> {
    this.gestopt = true;
    this.deps.outbox.stop();
    await this.lus;
  }
}
