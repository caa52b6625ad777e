// Every change of a case, computed here and nowhere else: a pure function turns (case, event, now,
// rules) into a typed transition: the new status, the event to record, the timers to claim, cancel or
// plan, the fields to set, the outbox entry, the corporation's feed entry, the logboek record and the
// retention moment. Services call it and hand the result to the store, which executes it atomically
// (compare-and-set on the status) and knows none of these rules.
import type { Ontvangerrol } from './berichten.js';
import { verwijderNaEinde, verwijderUiterlijk, type Bewaarbeleid } from './bewaartermijn.js';
import type { Soort } from './melding.js';
import { isFinaal, OPEN, volgendeStatus, type Gebeurtenissoort, type Status } from './status.js';
import { alleTimers, opTijd, termijnLid, timerMomenten, tweedeEscalatieMoment, werkdagenTeLaat, type ExtraTermijn, type Termijnactie, type Termijnregels } from './termijnen.js';
import { nieuwSpoor, verwerking, type Actie, type Spoor, type Verwerking } from './verwerking.js';

/** A case as the rules see it: metadata and pseudonyms only, never personal data. */
export interface Casus {
  id: string;
  oin: string;
  wijkteam: string;
  wijkteamOin: string;
  /** CBS code of the gemeente whose convenant the case falls under (a regional hub); unset: the only one. */
  gemeente?: string;
  soort: Soort;
  status: Status;
  ontvangenOp: string;
  terugkoppelingUiterlijk: string;
  /** The data subject's keyed pseudonym (logboek). */
  betrokkene: string;
  /** The trace the intake started (logboek records of later actions join it). */
  traceId?: string;
  spanId?: string;
  /** Milestones that happen once per case (see `Overgang.eenmalig`). */
  geescaleerdOp?: string;
  opgepaktOp?: string;
  uitkomstOp?: string;
  tweedeEscalatieOp?: string;
  /** The corporation reported an eviction date for this case (art. 8.1). */
  ontruimingsdatumOp?: string;
}

/** The case fields that record a once-only milestone. */
export type Mijlpaal = 'geescaleerdOp' | 'opgepaktOp' | 'uitkomstOp' | 'tweedeEscalatieOp' | 'ontruimingsdatumOp';

/** The corporation's own updates on an open case (art. 3.9 "vice versa", art. 8.1). */
export const AANVULLINGSOORTEN = ['betalingsregeling-verbroken', 'ontruimingsdatum'] as const;
export type Aanvullingsoort = (typeof AANVULLINGSOORTEN)[number];

export interface Gebeurtenis {
  soort: Gebeurtenissoort;
  op: string;
  [detail: string]: unknown;
}

/** The rules a transition needs: the convenant's terms, retention, and the processing register. */
export interface Regels extends Termijnregels {
  privacy: Bewaarbeleid;
  /** Base URI of the register of processing activities (logboek). */
  register: string;
  extraTermijnen: readonly ExtraTermijn[];
}

export type { Ontvangerrol };
/** Who acted: the organisation, the trace, and in the werkplek the person (pseudonymous user id). */
type Door = { oin: string; spoor?: Spoor; gebruiker?: string };

/** What happened, as a service reports it. */
export type Voorval =
  | { soort: 'verzonden'; bericht: string; ontvanger: Ontvangerrol; mailbox: string; bezorging: string; poging: number;
      smtpAntwoord: string; messageId: string; markering: string }
  | { soort: 'bezorgpoging-mislukt'; bericht: string; poging: number; smtpCode: number | null; fout: string; tijdelijk: boolean }
  | { soort: 'bezorging-mislukt'; bericht: string; ontvanger: Ontvangerrol; reden: string }
  | { soort: 'gelezen'; kanaal: 'portaal' | 'werkplek'; door?: Door }
  | { soort: 'link-vergrendeld'; pogingen: number }
  | { soort: 'termijn'; actie: Termijnactie }
  | { soort: 'teruggekoppeld'; door: Door; kanaal: 'api' | 'portaal' | 'werkplek'; versleuteld: string; wilHulp?: boolean | null;
      /** Amend feedback already given (the portal), rather than refuse a second answer. */ wijziging?: boolean }
  | { soort: 'escalatie-opgepakt'; door: Door; kanaal: 'portaal' | 'werkplek' | 'cli' }
  | { soort: 'escalatie-uitkomst'; door: Door; kanaal: 'portaal' | 'werkplek' | 'cli'; /** Encrypted by the service. */ versleuteld: string }
  | { soort: 'aanvulling'; door: Door; kanaal: 'api' | 'werkplek'; aanvulling: Aanvullingsoort; /** Encrypted by the service. */ versleuteld: string }
  | { soort: 'ingetrokken'; door: Door; kanaal: 'api' | 'werkplek' | 'cli'; reden: string }
  | { soort: 'afgesloten'; door: Door; kanaal: 'api' | 'portaal' | 'werkplek' | 'cli'; reden: string; /** The DDAS outcome, encrypted by the service. */ eindresultaat?: string };

export interface Overgang {
  meldingId: string;
  /** Compare-and-set: the status the case must still have. */
  van: Status;
  naar: Status;
  gebeurtenis: Gebeurtenis;
  /** A timer that must still be pending: claimed (removed) in the same step, or nothing happens. */
  poort?: string;
  /** A milestone field that must still be empty: set to the moment in the same step, or the case moved (compute again). */
  eenmalig?: Mijlpaal;
  stop: string[];
  plan: [string, number][];
  /** Case fields to set (already encrypted where personal). */
  velden: Record<string, string>;
  /** What the outbox relay must do next. */
  outbox?: Record<string, string>;
  /** An entry in the sending corporation's feed. */
  feed?: { oin: string; velden: Record<string, string> };
  logboek?: Verwerking;
  /** Mark this delivery (job id) done in the same step. */
  bezorgd?: string;
  /** The case ended: its personal data goes at this moment (ms) at the latest; the earliest moment wins. */
  verwijderUiterlijk?: number;
}

/** A transition the rules refuse: the case is in a status where this cannot happen (any more). */
export interface Weigering {
  geweigerd: string;
  status: Status;
}

export const isWeigering = (x: Overgang | Weigering): x is Weigering => 'geweigerd' in x;

function spoorVan(c: Casus, spoor?: Spoor): Spoor {
  return spoor ?? (c.traceId ? { traceId: c.traceId, ...(c.spanId ? { parentSpanId: c.spanId } : {}) } : nieuwSpoor());
}

/** A logboek record about this case: its subject and trace come from the case. */
export function logboekrecord(c: Casus, regels: Pick<Regels, 'register'>, a: { actie: Actie; oin: string; op: Date; spoor?: Spoor; start?: Date; extra?: Record<string, string | undefined> }): Verwerking {
  return verwerking({ actie: a.actie, oin: a.oin, register: regels.register, betrokkene: c.betrokkene, meldingId: c.id,
    spoor: spoorVan(c, a.spoor), start: a.start ?? a.op, eind: a.op, extra: a.extra });
}

/** Only from these statuses; otherwise a refusal naming the status. */
function vanuit(c: Casus, toegestaan: readonly Status[], detail: string): Weigering | undefined {
  return toegestaan.includes(c.status) ? undefined : { geweigerd: detail.replace('{status}', c.status), status: c.status };
}

export function overgang(c: Casus, v: Voorval, nu: Date, regels: Regels): Overgang | Weigering {
  const op = nu.toISOString();
  const basis = (soort: Gebeurtenissoort, detail: Record<string, unknown> = {}): Overgang => ({
    meldingId: c.id, van: c.status, naar: volgendeStatus(c.status, soort), gebeurtenis: { soort, op, ...detail }, stop: [], plan: [], velden: {},
  });
  switch (v.soort) {
    case 'verzonden': {
      // Only the melding itself moves the case to verzonden; other messages are events.
      const soort = v.bericht === 'melding-aan-wijkteam' ? 'verzonden' : 'bericht-verzonden';
      return {
        ...basis(soort, { bericht: v.bericht, kanaal: v.bezorging, ontvanger: v.mailbox, poging: v.poging, smtpAntwoord: v.smtpAntwoord.slice(0, 200),
          tls: 'STARTTLS (TLS 1.2+ vereist, certificaat gecontroleerd)', messageId: v.messageId }),
        bezorgd: v.markering,
        // The service delivers on behalf of the corporation that sent the melding.
        logboek: logboekrecord(c, regels, { actie: 'melding-bezorgd', oin: c.oin, op: nu,
          extra: { kanaal: 'werker', bericht: v.bericht, ontvanger: v.ontvanger, bezorging: v.bezorging } }),
      };
    }
    case 'bezorgpoging-mislukt':
      return basis('bezorgpoging-mislukt', { bericht: v.bericht, poging: v.poging, smtpCode: v.smtpCode, fout: v.fout, tijdelijk: v.tijdelijk });
    case 'bezorging-mislukt':
      return basis('bezorging-mislukt', { bericht: v.bericht, ontvanger: v.ontvanger, reden: v.reden });
    case 'gelezen':
      return { ...basis('gelezen', { kanaal: v.kanaal }),
        logboek: logboekrecord(c, regels, { actie: 'melding-gelezen', oin: v.door?.oin ?? c.wijkteamOin, spoor: v.door?.spoor, op: nu,
          extra: { kanaal: v.kanaal, gebruiker: v.door?.gebruiker } }) };
    case 'link-vergrendeld':
      return basis('link-vergrendeld', { pogingen: v.pogingen });
    case 'termijn':
      return termijnVerstreken(c, v.actie, nu, regels);
    case 'teruggekoppeld': {
      if (isFinaal(c.status)) return { geweigerd: `de melding is ${c.status}; terugkoppeling is niet meer mogelijk`, status: c.status };
      if (c.status === 'teruggekoppeld' && v.wijziging) {
        // The wijkteam amends its answer: the corporation hears of it again (a message of its own).
        const versie = String(nu.getTime());
        return {
          ...basis('terugkoppeling-gewijzigd', { kanaal: v.kanaal, versie }),
          velden: { terugkoppeling: v.versleuteld },
          outbox: { melding: c.id, actie: 'terugkoppelen', versie },
          feed: { oin: c.oin, velden: { melding: c.id, soort: 'terugkoppeling' } },
          logboek: logboekrecord(c, regels, { actie: 'terugkoppeling-gewijzigd', oin: v.door.oin, spoor: v.door.spoor, op: nu, extra: { kanaal: v.kanaal, gebruiker: v.door.gebruiker } }),
          verwijderUiterlijk: verwijderNaEinde(regels.privacy, nu, { wilHulp: v.wilHulp }),
        };
      }
      const w = vanuit(c, OPEN, 'op deze melding is al teruggekoppeld');
      if (w) return w;
      const tijdig = opTijd(c.terugkoppelingUiterlijk, nu);
      return {
        ...basis('teruggekoppeld', { opTijd: tijdig, kanaal: v.kanaal }),
        stop: alleTimers(c.id, regels),
        velden: { terugkoppeling: v.versleuteld },
        outbox: { melding: c.id, actie: 'terugkoppelen' },
        feed: { oin: c.oin, velden: { melding: c.id, soort: 'terugkoppeling' } },
        logboek: logboekrecord(c, regels, { actie: 'terugkoppeling-ontvangen', oin: v.door.oin, spoor: v.door.spoor, op: nu, extra: { kanaal: v.kanaal, gebruiker: v.door.gebruiker } }),
        // The case ended with feedback: its personal data goes after the retention term.
        verwijderUiterlijk: verwijderNaEinde(regels.privacy, nu, { wilHulp: v.wilHulp }),
      };
    }
    case 'ingetrokken': {
      const w = vanuit(c, [...OPEN, 'teruggekoppeld'], 'de melding is {status}');
      if (w) return w;
      return {
        ...basis('ingetrokken', { reden: v.reden }),
        stop: alleTimers(c.id, regels),
        outbox: { melding: c.id, actie: 'intrekken' },
        logboek: logboekrecord(c, regels, { actie: 'melding-ingetrokken', oin: v.door.oin, spoor: v.door.spoor, op: nu, extra: { kanaal: v.kanaal, gebruiker: v.door.gebruiker, reden: v.reden } }),
        verwijderUiterlijk: verwijderNaEinde(regels.privacy, nu),
      };
    }
    case 'escalatie-opgepakt': {
      // convenant art. 8.2: the troubleshooter says it acted, on an escalation or an eviction date.
      if (c.status === 'ingetrokken') return { geweigerd: 'de melding is ingetrokken', status: c.status };
      if (!c.geescaleerdOp && !c.ontruimingsdatumOp && c.soort !== 'ontruimingsdatum-bekend')
        return { geweigerd: 'de melding is niet bij de troubleshooter gemeld', status: c.status };
      if (c.opgepaktOp) return { geweigerd: `de troubleshooter heeft deze melding al opgepakt (${c.opgepaktOp})`, status: c.status };
      return {
        ...basis('escalatie-opgepakt', { kanaal: v.kanaal }),
        eenmalig: 'opgepaktOp',
        stop: [termijnLid(c.id, 'tweede-escalatie')],
        logboek: logboekrecord(c, regels, { actie: 'escalatie-opgepakt', oin: v.door.oin, spoor: v.door.spoor, op: nu, extra: { kanaal: v.kanaal, gebruiker: v.door.gebruiker } }),
      };
    }
    case 'escalatie-uitkomst': {
      if (!c.opgepaktOp) return { geweigerd: 'de troubleshooter heeft deze melding nog niet opgepakt', status: c.status };
      if (c.uitkomstOp) return { geweigerd: `de uitkomst is al vastgelegd (${c.uitkomstOp})`, status: c.status };
      return {
        ...basis('escalatie-uitkomst', { kanaal: v.kanaal }),
        eenmalig: 'uitkomstOp',
        // The outcome itself only encrypted on the case (it says something about a person).
        velden: { troubleshooterUitkomst: v.versleuteld },
        logboek: logboekrecord(c, regels, { actie: 'escalatie-uitkomst', oin: v.door.oin, spoor: v.door.spoor, op: nu, extra: { kanaal: v.kanaal, gebruiker: v.door.gebruiker } }),
      };
    }
    case 'aanvulling': {
      const w = vanuit(c, [...OPEN, 'teruggekoppeld'], 'de melding is {status}; een aanvulling kan alleen op een lopende melding');
      if (w) return w;
      const versie = String(nu.getTime());
      const ontruiming = v.aanvulling === 'ontruimingsdatum';
      return {
        ...basis('aanvulling', { aanvulling: v.aanvulling, versie, kanaal: v.kanaal }),
        // Each update its own encrypted field: an earlier one is never overwritten.
        velden: { [`aanvulling:${versie}`]: v.versleuteld, ...(ontruiming ? { ontruimingsdatumOp: op } : {}) },
        outbox: { melding: c.id, actie: 'aanvullen', versie, aanvulling: v.aanvulling },
        logboek: logboekrecord(c, regels, { actie: 'aanvulling-ontvangen', oin: v.door.oin, spoor: v.door.spoor, op: nu, extra: { kanaal: v.kanaal, gebruiker: v.door.gebruiker, aanvulling: v.aanvulling } }),
      };
    }
    case 'afgesloten': {
      // A case ends once it was answered or escalated; its retention term starts here.
      const w = vanuit(c, ['teruggekoppeld', 'geescaleerd'], 'de melding is {status}; alleen een beantwoorde of geëscaleerde melding kan worden afgesloten');
      if (w) return w;
      return {
        ...basis('afgesloten', { reden: v.reden, kanaal: v.kanaal }),
        stop: alleTimers(c.id, regels),
        // The outcome itself only encrypted on the case, never in the event (the sender reads the events).
        ...(v.eindresultaat ? { velden: { eindresultaat: v.eindresultaat }, feed: { oin: c.oin, velden: { melding: c.id, soort: 'eindresultaat' } } } : {}),
        logboek: logboekrecord(c, regels, { actie: 'melding-afgesloten', oin: v.door.oin, spoor: v.door.spoor, op: nu, extra: { kanaal: v.kanaal, gebruiker: v.door.gebruiker, reden: v.reden } }),
        verwijderUiterlijk: verwijderNaEinde(regels.privacy, nu),
      };
    }
  }
}

/** A timer that came due: claimed atomically (poort), so it acts exactly once. */
function termijnVerstreken(c: Casus, actie: Termijnactie, nu: Date, regels: Regels): Overgang | Weigering {
  const op = nu.toISOString();
  const lid = termijnLid(c.id, actie);
  const w = vanuit(c, OPEN, 'de melding is {status}; deze termijn loopt niet meer');
  if (w) return w;
  if (actie === 'tweede-escalatie') {
    // Not taken up within the werkdagen the convenant gives the troubleshooter: raised once more.
    if (c.opgepaktOp) return { geweigerd: 'de troubleshooter heeft de melding al opgepakt', status: c.status };
    return {
      meldingId: c.id, van: c.status, naar: c.status, gebeurtenis: { soort: 'tweede-escalatie', op, geescaleerdOp: c.geescaleerdOp ?? null },
      poort: lid, eenmalig: 'tweedeEscalatieOp', stop: [], plan: [], velden: {},
      outbox: { melding: c.id, actie: 'tweede-escaleren' },
    };
  }
  const basis = (soort: Gebeurtenissoort, detail: Record<string, unknown>): Overgang => ({
    meldingId: c.id, van: c.status, naar: volgendeStatus(c.status, soort), gebeurtenis: { soort, op, ...detail },
    poort: lid, stop: [], plan: [], velden: {},
  });
  if (actie.startsWith('extra:')) {
    const e = regels.extraTermijnen.find((x) => `extra:${x.naam}` === actie);
    return basis('termijn-verstreken', { termijn: e?.naam ?? actie.slice(6), artikel: e?.artikel ?? null });
  }
  if (actie === 'herinnering') return { ...basis('herinnering-verzonden', {}), outbox: { melding: c.id, actie: 'herinneren' } };
  if (actie.startsWith('waarschuwing:')) {
    // An earlier SLA stage: the wijkteam is reminded ahead of the last werkdag, each stage once.
    const fase = actie.slice('waarschuwing:'.length);
    return { ...basis('waarschuwing', { fase, termijn: c.terugkoppelingUiterlijk }), outbox: { melding: c.id, actie: 'herinneren', fase } };
  }
  // The feedback term passed: the troubleshooter hears of it (escalation), exactly once per case.
  const teLaat = werkdagenTeLaat(c.terugkoppelingUiterlijk, nu, { extraVrijeDagen: regels.extraVrijeDagen });
  return {
    ...basis('geescaleerd', { werkdagenTeLaat: teLaat, termijn: c.terugkoppelingUiterlijk }),
    stop: [termijnLid(c.id, 'herinnering')],
    velden: { geescaleerdOp: op },
    // The troubleshooter has this many werkdagen to take it up before it is raised again.
    plan: regels.opnemenWerkdagen !== undefined
      ? [[termijnLid(c.id, 'tweede-escalatie'), tweedeEscalatieMoment(nu, regels.opnemenWerkdagen, { extraVrijeDagen: [...(regels.extraVrijeDagen ?? [])] })]] : [],
    outbox: { melding: c.id, actie: 'escaleren', werkdagenTeLaat: String(teLaat) },
    logboek: logboekrecord(c, regels, { actie: 'melding-geescaleerd', oin: c.oin, op: nu, extra: { kanaal: 'werker', werkdagenTeLaat: String(teLaat) } }),
  };
}

/** A new case: its first event, every timer, its outbox entry, its logboek record and the retention cap. */
export interface NieuweCasus {
  casus: Casus;
  gebeurtenis: Gebeurtenis;
  plan: [string, number][];
  outbox: Record<string, string>;
  logboek: Verwerking;
  verwijderUiterlijk: number;
}

/** `herhalingVan`: the earlier melding of the same tenant this one repeats (DDAS herhaalde melding). */
export function nieuweCasus(c: Omit<Casus, 'status' | 'traceId' | 'spanId'>, spoor: Spoor | undefined, regels: Regels, herhalingVan?: string): NieuweCasus {
  const ontvangen = new Date(c.ontvangenOp);
  const logboek = verwerking({ actie: 'melding-ontvangen', spoor: spoor ?? nieuwSpoor(), register: regels.register, betrokkene: c.betrokkene,
    oin: c.oin, meldingId: c.id, start: ontvangen, extra: { soort: c.soort, wijkteam: c.wijkteam } });
  return {
    casus: { ...c, status: 'ontvangen', traceId: logboek.traceId, spanId: logboek.spanId },
    gebeurtenis: { soort: 'ontvangen', op: c.ontvangenOp, ...(herhalingVan ? { herhalingVan } : {}) },
    plan: timerMomenten(c, regels).map(([actie, op]) => [termijnLid(c.id, actie), op]),
    outbox: { melding: c.id, actie: 'bezorgen' },
    logboek,
    // No personal data kept forever, also when a case never ends.
    verwijderUiterlijk: verwijderUiterlijk(regels.privacy, ontvangen),
  };
}

type Profiel = Termijnregels & { extraTermijnen: readonly ExtraTermijn[]; bewaartermijn?: Partial<Bewaarbeleid> };

/** The rules of a deployment, from its config (one convenant). */
export function regelsUit(config: { convenant: Profiel; privacy: Bewaarbeleid & { verwerkingsregister: string } }): Regels {
  const { bewaartermijn, ...convenant } = config.convenant;
  const privacy = { ...config.privacy };
  for (const [k, w] of Object.entries(bewaartermijn ?? {})) if (w !== undefined) (privacy as Record<string, unknown>)[k] = w;
  return { ...convenant, privacy, register: config.privacy.verwerkingsregister };
}

/** Each gemeente's rules (a regional hub): a case follows the convenant of the gemeente it was routed to. */
export interface Regelboek {
  /** The rules of the case's gemeente: by its code, else by its wijkteam, else the first gemeente's. */
  voor(c: { gemeente?: string; wijkteam?: string }): Regels;
  /** Every gemeente's rules (e.g. to cancel whatever timers a case may have). */
  alle: readonly Regels[];
}

export function regelboekUit(config: {
  gemeenten: readonly { code: string; convenant: Profiel; wijkteams: readonly { id: string }[] }[];
  privacy: Bewaarbeleid & { verwerkingsregister: string };
}): Regelboek {
  const perCode = new Map<string, Regels>();
  const perWijkteam = new Map<string, Regels>();
  const alle = config.gemeenten.map((g) => {
    const r = regelsUit({ convenant: g.convenant, privacy: config.privacy });
    perCode.set(g.code, r);
    for (const w of g.wijkteams) perWijkteam.set(w.id, r);
    return r;
  });
  return {
    voor: (c) => (c.gemeente !== undefined ? perCode.get(c.gemeente) : undefined) ?? (c.wijkteam !== undefined ? perWijkteam.get(c.wijkteam) : undefined) ?? alle[0]!,
    alle,
  };
}
