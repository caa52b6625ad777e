// The case state machine, in one place. Events (gebeurtenissen) are always recorded; some move the
// status. A status never moves backwards, and the final ones (ingetrokken, afgesloten) never move.
export const STATUSSEN = [
  'ontvangen', 'verzonden', 'gelezen', 'teruggekoppeld', 'geescaleerd', 'bezorging-mislukt', 'ingetrokken', 'afgesloten',
] as const;
export type Status = (typeof STATUSSEN)[number];

export const GEBEURTENISSEN = [
  'ontvangen',
  'verzonden', // the SMTP server accepted the melding for the wijkteam
  'bericht-verzonden', // any other message accepted (reminder, escalation, feedback mail, ...)
  'bezorgpoging-mislukt', // one attempt failed; another follows
  'bezorging-mislukt', // given up (key material, or all attempts used): an operator must act
  'gelezen',
  'herinnering-verzonden',
  'waarschuwing', // an earlier SLA warning stage before the deadline (the reminder is the last one)
  'termijn-verstreken', // a further term of the convenant passed without feedback
  'link-vergrendeld', // too many wrong one-time codes: the portal link locks (moves no status)
  'teruggekoppeld',
  'terugkoppeling-gewijzigd', // the wijkteam amended its feedback (moves no status)
  'geescaleerd',
  'escalatie-opgepakt', // the troubleshooter confirmed it took the case up (art. 8.2; moves no status)
  'escalatie-uitkomst', // the troubleshooter recorded what came of it (moves no status)
  'tweede-escalatie', // not taken up in time: raised again to the second mailbox (moves no status)
  'aanvulling', // the corporation's own update on an open case (art. 3.9, 8.1; moves no status)
  'ingetrokken',
  'afgesloten',
  'gegevens-verwijderd', // personal data removed (retention or the tenant's request); moves no status
] as const;
export type Gebeurtenissoort = (typeof GEBEURTENISSEN)[number];

const FINAAL: ReadonlySet<Status> = new Set(['ingetrokken', 'afgesloten']);

/** Statuses in which the wijkteam still owes feedback: timers run only here. */
export const OPEN: readonly Status[] = ['ontvangen', 'verzonden', 'gelezen', 'geescaleerd', 'bezorging-mislukt'];

/** Which statuses an event may move a case out of, and to what. */
const OVERGANGEN: Partial<Record<Gebeurtenissoort, { van: readonly Status[]; naar: Status }>> = {
  verzonden: { van: ['ontvangen', 'bezorging-mislukt'], naar: 'verzonden' },
  'bezorging-mislukt': { van: ['ontvangen'], naar: 'bezorging-mislukt' },
  gelezen: { van: ['ontvangen', 'verzonden'], naar: 'gelezen' },
  // convenant art. 3.7: late feedback is accepted (and marked late) also after escalation.
  teruggekoppeld: { van: ['ontvangen', 'verzonden', 'gelezen', 'geescaleerd', 'bezorging-mislukt'], naar: 'teruggekoppeld' },
  geescaleerd: { van: ['ontvangen', 'verzonden', 'gelezen', 'bezorging-mislukt'], naar: 'geescaleerd' },
  ingetrokken: { van: STATUSSEN.filter((s) => !FINAAL.has(s)), naar: 'ingetrokken' },
  afgesloten: { van: ['teruggekoppeld', 'geescaleerd'], naar: 'afgesloten' },
};

/** The status after `gebeurtenis`, or the same status when the event does not move it. */
export function volgendeStatus(huidig: Status, gebeurtenis: Gebeurtenissoort): Status {
  const o = OVERGANGEN[gebeurtenis];
  return o && o.van.includes(huidig) ? o.naar : huidig;
}

export function isFinaal(s: Status): boolean {
  return FINAAL.has(s);
}
