// Transactional outbox: the intake writes a case and its outbox entry in one atomic step; this relay
// turns entries into BullMQ jobs and only then acknowledges them. A crash in between re-plans the
// same deterministic job ids, which BullMQ ignores, so nothing is lost and nothing is sent twice.
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { MeldingenRepo, MeldingRecord } from '../store/meldingen.js';
import { jobId, type BezorgOpdracht } from './bezorging.js';

const GROEP = 'relay';

/** Which messages an outbox entry asks for. */
export function plan(meldingId: string, soort: string, actie: string, velden: Record<string, string> = {}): BezorgOpdracht[] {
  switch (actie) {
    case 'bezorgen': {
      const opdrachten: BezorgOpdracht[] = [{ meldingId, bericht: 'melding-aan-wijkteam', ontvanger: 'wijkteam' }];
      // convenant art. 8.1: as soon as an eviction date is known the troubleshooter is told.
      if (soort === 'ontruimingsdatum-bekend') opdrachten.push({ meldingId, bericht: 'ontruimingsdatum', ontvanger: 'troubleshooter' });
      return opdrachten;
    }
    case 'herinneren':
      return [{ meldingId, bericht: 'herinnering', ontvanger: 'wijkteam' }];
    case 'escaleren':
      return [{ meldingId, bericht: 'escalatie', ontvanger: 'troubleshooter', werkdagenTeLaat: Number(velden.werkdagenTeLaat ?? 0) }];
    case 'intrekken':
      return [{ meldingId, bericht: 'intrekking', ontvanger: 'wijkteam' }];
    case 'terugkoppelen':
      return [{ meldingId, bericht: 'terugkoppeling', ontvanger: 'corporatie' }];
    default:
      return [];
  }
}

export class OutboxRelay {
  private gestopt = false;
  private lus: Promise<void> | undefined;
  private readonly consumer = `relay-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(
    private readonly redis: Redis, // dedicated: XREADGROUP BLOCK holds the connection
    private readonly repo: MeldingenRepo,
    private readonly queue: Queue<BezorgOpdracht>,
    private readonly log: Logger,
    /** Plans the deadline timers of a new melding. */
    private readonly nieuweMelding: (meta: Omit<MeldingRecord, 'gegevens'>) => Promise<void>,
  ) {}

  async start(): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.repo.outboxKey, GROEP, '0', 'MKSTREAM');
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
    this.lus = this.draai();
  }

  /** One batch: read the cases, plan timers and jobs for all of them at once, then acknowledge. */
  private async verwerk(entries: [string, string[]][]): Promise<void> {
    if (!entries.length) return;
    const opdrachten = await Promise.all(entries.map(async ([, velden]) => {
      const v: Record<string, string> = Object.fromEntries(velden.flatMap((x, i) => (i % 2 ? [] : [[x, velden[i + 1]!]])));
      const meta = v.melding ? await this.repo.haalMeta(v.melding) : undefined;
      if (!meta) return [];
      const actie = v.actie ?? 'bezorgen';
      if (actie === 'bezorgen') await this.nieuweMelding(meta);
      const gepland = plan(meta.id, meta.soort, actie, v);
      if (!gepland.length) this.log.warn({ meldingId: meta.id, actie }, 'outbox-relay: onbekende actie overgeslagen');
      return gepland;
    }));
    const jobs = opdrachten.flat().map((data) => ({ name: data.bericht, data, opts: { jobId: jobId(data) } }));
    if (jobs.length) await this.queue.addBulk(jobs);
    const ids = entries.map(([id]) => id);
    await this.redis.multi().xack(this.repo.outboxKey, GROEP, ...ids).xdel(this.repo.outboxKey, ...ids).exec();
  }

  private async draai(): Promise<void> {
    let laatsteClaim = 0;
    let stil: { sinds: number; pogingen: number } | undefined;
    while (!this.gestopt) {
      try {
        // Entries a crashed relay had read but not acknowledged are taken over after 30 s.
        if (Date.now() - laatsteClaim > 10_000) {
          laatsteClaim = Date.now();
          const [, geclaimd] = (await this.redis.xautoclaim(this.repo.outboxKey, GROEP, this.consumer, 30_000, '0-0', 'COUNT', 100)) as [string, [string, string[]][]];
          await this.verwerk(geclaimd.filter((e) => e && e[1]));
        }
        const res = (await this.redis.xreadgroup('GROUP', GROEP, this.consumer, 'COUNT', 100, 'BLOCK', 1000, 'STREAMS', this.repo.outboxKey, '>')) as
          [string, [string, string[]][]][] | null;
        if (res) await this.verwerk(res[0]![1]);
        if (stil) {
          this.log.info({ ms: Date.now() - stil.sinds, pogingen: stil.pogingen }, 'outbox-relay: loopt weer');
          stil = undefined;
        }
      } catch (err) {
        if (this.gestopt) break;
        // Nothing is lost (entries stay unacknowledged), but nothing moves either: alarm the operator,
        // once per standstill (a Redis outage would otherwise raise it every second).
        if (stil) stil.pogingen++;
        else {
          stil = { sinds: Date.now(), pogingen: 1 };
          this.log.error({ alarm: 'outbox-relay', err: (err as Error).message }, 'outbox-relay: staat stil, opnieuw elke seconde');
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  async stop(): Promise<void> {
    this.gestopt = true;
    this.redis.disconnect();
    await this.lus;
  }
}
