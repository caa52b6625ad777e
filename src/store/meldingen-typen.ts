// The shapes MeldingenRepo reads and writes: the case, its events, and the options of a state change.
import type { Melding, Soort } from '../domain/melding.js';
import type { Gebeurtenissoort, Status } from '../domain/status.js';
import type { Actie, Spoor } from '../domain/verwerking.js';

export interface Gebeurtenis {
  soort: Gebeurtenissoort;
  op: string;
  [detail: string]: unknown;
}

export interface MeldingRecord {
  id: string;
  oin: string;
  wijkteam: string;
  wijkteamOin: string;
  soort: Soort;
  status: Status;
  ontvangenOp: string;
  terugkoppelingUiterlijk: string;
  gegevens: Melding;
}

export type BewaarUitkomst =
  | { nieuw: true; record: MeldingRecord }
  | { nieuw: false; id: string; zelfdeInhoud: boolean };

export interface RegistreerOpties {
  /** Mark one message as delivered (by its job id) in the same step. */
  bezorgd?: string;
  /** A timer that must still be pending; it is claimed (removed), or nothing happens (returns undefined). */
  poort?: string;
  /** Timers to cancel, e.g. on feedback or withdrawal. */
  stop?: string[];
  /** Timers to plan: member and due time (ms). */
  plan?: [string, number][];
  /** Extra case fields (already encrypted where personal). */
  velden?: Record<string, string>;
  /** An outbox entry: what the relay must do next (e.g. send the escalation). */
  outbox?: Record<string, string>;
  /** Only from these statuses; otherwise SB_CONFLICT (checked under the same compare-and-set). */
  alleenVanuit?: readonly Status[];
  /** An entry in the sending corporation's feed (GET /v1/terugkoppelingen). */
  feed?: { oin: string; velden: Record<string, string> };
  /** The logboek record of this action, written in the same step (Logboek dataverwerkingen). */
  logboek?: Logboekactie;
  /** The case ended: its personal data must go at this moment (ms) at the latest. */
  verwijderUiterlijk?: number;
}

export interface Logboekactie {
  actie: Actie;
  /** The organisation that acted. */
  oin: string;
  /** The caller's trace (traceparent); otherwise the trace the intake started. */
  spoor?: Spoor;
  start?: Date;
  extra?: Record<string, string | undefined>;
}

export interface BewaarOpties {
  spoor?: Spoor;
  /** 003: no personal data kept forever, also when a case never ends (ms). */
  verwijderUiterlijk?: number;
}
