// Key material of the delivery channels (recipient certificates and PGP keys, the sender's signing
// material, the S/MIME CAs and CRLs): read once, served from memory, and re-read on a timer and as
// soon as a file changes (fs.watch), as TlsMateriaal does for TLS. A file that cannot be read is kept
// as an error for its path, not thrown: only the deliveries that need it fail (fail closed).
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { KanaalFout } from '../../adapters/kanaal.js';
import type { Config } from '../config.js';

/** A file's contents, or the errno code that kept it from being read. */
type Stand = { tekst: string } | { fout: string };

export interface MateriaalOpties {
  /** Seconds between re-reads of every file; 0: no timer (fs.watch still notices changes). */
  herlaadSeconden: number;
  log: Logger;
  leesBestand?: (pad: string) => string;
}

export class Sleutelmateriaal {
  private readonly stand = new Map<string, Stand>();
  private aantal = 0;
  private timer: NodeJS.Timeout | undefined;
  private uitstel: NodeJS.Timeout | undefined;
  private watchers: FSWatcher[] = [];
  private readonly leesBestand: (pad: string) => string;

  constructor(paden: string[], private readonly o: MateriaalOpties) {
    this.leesBestand = o.leesBestand ?? ((pad) => readFileSync(pad, 'utf8'));
    for (const pad of new Set(paden)) this.zet(pad, this.leesEen(pad));
  }

  private leesEen(pad: string): Stand {
    this.aantal++;
    try {
      return { tekst: this.leesBestand(pad) };
    } catch (err) {
      return { fout: (err as NodeJS.ErrnoException).code ?? 'onleesbaar' };
    }
  }

  /** Store a new state; says whether the contents changed. A file that becomes unreadable is logged once. */
  private zet(pad: string, nieuw: Stand): boolean {
    const oud = this.stand.get(pad);
    this.stand.set(pad, nieuw);
    if ('fout' in nieuw) {
      if (!oud || !('fout' in oud) || oud.fout !== nieuw.fout)
        this.o.log.error({ alarm: 'sleutelmateriaal', pad, code: nieuw.fout }, 'sleutelbestand onleesbaar: bezorging met deze sleutel mislukt');
      return false;
    }
    return oud !== undefined && !('tekst' in oud && oud.tekst === nieuw.tekst);
  }

  /** The contents of a registered file, from memory. */
  lees(pad: string | undefined): string {
    if (!pad) throw new KanaalFout('SB_SLEUTEL_ONTBREEKT', 'geen sleutelbestand geconfigureerd');
    const s = this.stand.get(pad);
    if (!s) throw new Error(`${pad} is geen geregistreerd sleutelbestand`);
    if ('fout' in s) throw new KanaalFout('SB_SLEUTEL_ONTBREEKT', `${pad}: ${s.fout}`);
    return s.tekst;
  }

  /** File reads so far (each path once at construction, then once per path per reload). */
  get gelezen(): number {
    return this.aantal;
  }

  /** Re-read every file. A file gone is a key gone: its error replaces the old contents. */
  herlaad(): void {
    const veranderd = [...this.stand.keys()].filter((pad) => this.zet(pad, this.leesEen(pad)));
    if (veranderd.length) this.o.log.info({ paden: veranderd }, 'sleutelmateriaal herladen');
  }

  start(): void {
    this.stop();
    if (this.o.herlaadSeconden > 0) {
      this.timer = setInterval(() => this.herlaad(), this.o.herlaadSeconden * 1000);
      this.timer.unref();
    }
    const perMap = new Map<string, Set<string>>();
    for (const pad of this.stand.keys()) {
      const map = path.dirname(pad);
      perMap.set(map, (perMap.get(map) ?? new Set()).add(path.basename(pad)));
    }
    for (const [map, namen] of perMap) {
      try {
        const w = watch(map, { persistent: false }, (_soort, naam) => {
          // No name (some platforms), or a Kubernetes secret mount swapping its `..data` link: re-read too.
          if (naam && !namen.has(naam) && !naam.startsWith('..')) return;
          clearTimeout(this.uitstel);
          this.uitstel = setTimeout(() => this.herlaad(), 100);
          this.uitstel.unref();
        });
        w.on('error', (err) => this.o.log.debug({ map, err: err.message }, 'fs.watch op sleutelmap gestopt'));
        this.watchers.push(w);
      } catch (err) {
        this.o.log.debug({ map, err: (err as Error).message }, 'fs.watch op sleutelmap niet mogelijk; alleen de timer herlaadt');
      }
    }
  }

  stop(): void {
    clearInterval(this.timer);
    clearTimeout(this.uitstel);
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }
}

/** Every key file the config names, each once. */
export function sleutelbestanden(config: Config): string[] {
  const ontvangers = [...config.wijkteams, ...config.gemeenten.flatMap((g) => [g.troubleshooter, ...(g.tweedeEscalatie ? [g.tweedeEscalatie] : [])]),
    ...config.organisaties.flatMap((o) => (o.terugkoppeling ? [o.terugkoppeling] : []))];
  const afzenders = [config.afzender, ...config.gemeenten.flatMap((g) => (g.afzender ? [g.afzender] : []))];
  const paden = [
    ...ontvangers.flatMap((o) => [o.certificaat, o.pgpSleutel]),
    ...afzenders.flatMap((a) => [a.certificaat, a.sleutel, a.pgpSleutel]),
    ...config.smimePki.ca, ...config.smimePki.crl,
  ];
  return [...new Set(paden.filter((p): p is string => !!p))];
}
