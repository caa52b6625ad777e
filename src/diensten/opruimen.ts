// Retention: the personal data of every case whose time has come is removed with everything that
// leads to it (secure links, queued deliveries, timers and their alarms), and the logboek is trimmed
// to its configured years. The same removal serves the tenant's request for erasure.
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { logboekrecord, type Regelboek } from '../domain/overgangen.js';
import { alleTimers } from '../domain/termijnen.js';
import type { Spoor } from '../domain/verwerking.js';
import { berichtenMetVersie } from '../domain/berichten.js';
import { BERICHTSOORTEN } from '../sjablonen.js';
import type { LinkStore } from '../store/links.js';
import type { LogboekStore } from '../store/logboek.js';
import type { MeldingenStore } from '../store/meldingen.js';
import { jobId } from '../store/wachtrijen.js';
import type { Wisreden, WisStore, Wisuitkomst } from '../store/wissen.js';
import type { Ontvangerrol } from '../domain/overgangen.js';

const ROLLEN: Ontvangerrol[] = ['wijkteam', 'troubleshooter', 'corporatie', 'tweede-escalatie'];

export interface OpruimDeps {
  config: Config;
  /** Every gemeente's rules: a case's timers are whatever its gemeente's convenant sets. */
  regelboek: Regelboek;
  store: Pick<MeldingenStore, 'casus' | 'gebeurtenissen'>;
  wisser: WisStore;
  links: Pick<LinkStore, 'verwijder'>;
  logboek: Pick<LogboekStore, 'trim'>;
  /** Queued or delayed jobs of a case are withdrawn with it (ids only, but they would still act on it). */
  wachtrijen: () => { bezorging: Pick<Queue, 'remove'> };
  klok: () => Date;
  log: Logger;
}

export function createOpruimer(deps: OpruimDeps) {
  const { config, regelboek, wisser, klok } = deps;
  const regels = regelboek.alle[0]!;
  /** Every delivery a case can have: job ids, which are also its delivered-markers. */
  const vast = (id: string) => BERICHTSOORTEN.flatMap((bericht) => ROLLEN.map((ontvanger) => jobId({ meldingId: id, bericht, ontvanger })));
  const berichten = async (id: string) => [...vast(id), ...berichtenMetVersie(id, await deps.store.gebeurtenissen(id)).map(jobId)];

  /** Remove the case's personal data and every way to it. Idempotent: a retry finishes what a crash left. */
  async function wis(id: string, reden: Wisreden, door: { oin?: string; spoor?: Spoor; kanaal: 'werker' | 'cli' | 'werkplek'; gebruiker?: string }): Promise<Wisuitkomst> {
    const op = klok();
    const c = await deps.store.casus(id);
    const casus = c ?? { id, betrokkene: 'onbekend', oin: 'onbekend' } as NonNullable<typeof c>;
    // Who acted: by default the corporation that sent the melding (the controller).
    const logboek = logboekrecord(casus, regels, { actie: 'gegevens-verwijderd', oin: door.oin ?? casus.oin, spoor: door.spoor, op, extra: { kanaal: door.kanaal, reden, gebruiker: door.gebruiker } });
    const markers = await berichten(id);
    const uitkomst = await wisser.wis(id, { reden, op, logboek, timers: [...new Set(regelboek.alle.flatMap((r) => alleTimers(id, r)))], markers });
    await deps.links.verwijder(id);
    // A job running right now is locked (remove gives 0); it finds no melding and skips.
    const q = deps.wachtrijen();
    await Promise.all(markers.map((j) => q.bezorging.remove(j)));
    await wisser.klaar(id);
    return uitkomst;
  }

  /** One round: every case due now, then the logboek beyond its years. */
  async function ruimOp(): Promise<{ gewist: number; logboekIngekort: number }> {
    const nu = klok();
    let gewist = 0;
    for (let ronde = 0; ronde < 1000; ronde++) {
      const ids = await wisser.verlopen(nu, 100);
      if (!ids.length) break;
      for (const id of ids) if ((await wis(id, 'bewaartermijn', { kanaal: 'werker' })) === 'gewist') gewist++;
    }
    const grens = new Date(nu);
    grens.setUTCFullYear(grens.getUTCFullYear() - config.privacy.logboekJaren);
    const logboekIngekort = await deps.logboek.trim(grens);
    if (gewist || logboekIngekort) deps.log.info({ gewist, logboekIngekort }, 'bewaartermijn: persoonsgegevens verwijderd');
    return { gewist, logboekIngekort };
  }

  return { wis, ruimOp, gepland: (id: string) => wisser.gepland(id) };
}

export type Opruimer = ReturnType<typeof createOpruimer>;
