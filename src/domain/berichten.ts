// View models for the message templates: exactly the data the convenant lets each recipient see
// (004 Bijlage 2 §1 for the wijkteam; art. 8 for the troubleshooter). Pure: no I/O.
import { ARTIKEL, type Soort } from './melding.js';
import { isSignaal, partnerVanSoort, type Gegevens } from './signaal.js';
import { BETROKKENE_NOEMER, PARTNER_OMSCHRIJVING } from './signaalpartner.js';
import type { Terugkoppeling } from './terugkoppeling.js';
import { amsterdamDatum } from './werkdagen.js';

/** Every kind of message, each with its template (templates/<soort>.hbs). */
export const BERICHTSOORTEN = [
  'melding-aan-wijkteam',
  'herinnering',
  'escalatie',
  'ontruimingsdatum',
  'intrekking',
  'terugkoppeling',
  'notificatie-beveiligd-bericht',
  'toegangscode',
  'aanvulling',
] as const;
export type Berichtsoort = (typeof BERICHTSOORTEN)[number];

/** Every template file: a message kind, or a signal partner's own first message to the wijkteam. */
export const SJABLONEN = [...BERICHTSOORTEN, 'signaal-aan-wijkteam'] as const;
export type Sjabloonnaam = (typeof SJABLONEN)[number];

/** The template of a message about this case: a signal of another partner has its own first message. */
export function sjabloonVan(bericht: Berichtsoort, gegevens: Gegevens): Sjabloonnaam {
  return bericht === 'melding-aan-wijkteam' && isSignaal(gegevens) ? 'signaal-aan-wijkteam' : bericht;
}

/** `tweede-escalatie`: where an escalation goes that the troubleshooter did not take up in time. */
export type Ontvangerrol = 'wijkteam' | 'troubleshooter' | 'corporatie' | 'tweede-escalatie';

/** One message to send: ids only, so it can travel in a job payload. */
export interface BezorgOpdracht {
  meldingId: string;
  bericht: Berichtsoort;
  ontvanger: Ontvangerrol;
  /** Escalation only: how many werkdagen late (not personal). */
  werkdagenTeLaat?: number;
  /** A message that can come more than once (amended feedback, an update): which one, as a moment in ms. */
  versie?: string;
  /** An earlier SLA warning stage (config `convenant.waarschuwingen`); unset: the last werkdag's reminder. */
  fase?: string;
  /** The kind of the corporation's update (art. 3.9, 8.1). */
  aanvulling?: string;
}

/** Which messages an outbox entry asks for. */
export function berichtenVoor(meldingId: string, soort: Soort, actie: string, velden: Record<string, string> = {}): BezorgOpdracht[] {
  switch (actie) {
    case 'bezorgen': {
      const opdrachten: BezorgOpdracht[] = [{ meldingId, bericht: 'melding-aan-wijkteam', ontvanger: 'wijkteam' }];
      // convenant art. 8.1: as soon as an eviction date is known the troubleshooter is told.
      if (soort === 'ontruimingsdatum-bekend') opdrachten.push({ meldingId, bericht: 'ontruimingsdatum', ontvanger: 'troubleshooter' });
      return opdrachten;
    }
    case 'herinneren':
      return [{ meldingId, bericht: 'herinnering', ontvanger: 'wijkteam', ...(velden.fase ? { fase: velden.fase } : {}) }];
    case 'escaleren':
      return [{ meldingId, bericht: 'escalatie', ontvanger: 'troubleshooter', werkdagenTeLaat: Number(velden.werkdagenTeLaat ?? 0) }];
    case 'tweede-escaleren':
      return [{ meldingId, bericht: 'escalatie', ontvanger: 'tweede-escalatie' }];
    case 'intrekken':
      return [{ meldingId, bericht: 'intrekking', ontvanger: 'wijkteam' }];
    case 'terugkoppelen':
      return [{ meldingId, bericht: 'terugkoppeling', ontvanger: 'corporatie', ...(velden.versie ? { versie: velden.versie } : {}) }];
    case 'aanvullen': {
      const o = { meldingId, bericht: 'aanvulling' as const, versie: velden.versie ?? '0', aanvulling: velden.aanvulling ?? '' };
      // convenant art. 8.1: an eviction date reaches the troubleshooter as well.
      return [{ ...o, ontvanger: 'wijkteam' }, ...(velden.aanvulling === 'ontruimingsdatum' ? [{ ...o, ontvanger: 'troubleshooter' as const }] : [])];
    }
    default:
      return [];
  }
}

/**
 * The messages of a case that carry a version or stage (amended feedback, updates, warning stages),
 * read from its events: with the fixed ones, every delivery a case can have (retention removes their markers).
 */
export function berichtenMetVersie(meldingId: string, gebeurtenissen: readonly { soort: string; [k: string]: unknown }[]): BezorgOpdracht[] {
  return gebeurtenissen.flatMap((g): BezorgOpdracht[] => {
    if (g.soort === 'terugkoppeling-gewijzigd' && typeof g.versie === 'string')
      return [{ meldingId, bericht: 'terugkoppeling', ontvanger: 'corporatie', versie: g.versie }];
    if (g.soort === 'aanvulling' && typeof g.versie === 'string')
      return (['wijkteam', 'troubleshooter'] as const).map((ontvanger) => ({ meldingId, bericht: 'aanvulling', ontvanger, versie: g.versie as string }));
    if (g.soort === 'waarschuwing' && typeof g.fase === 'string') return [{ meldingId, bericht: 'herinnering', ontvanger: 'wijkteam', fase: g.fase }];
    return [];
  });
}

export interface Casus {
  id: string;
  soort: Soort;
  ontvangenOp: string;
  terugkoppelingUiterlijk: string;
  corporatie: string;
  wijkteam: string;
  gegevens: Gegevens;
  /** The convenant of the melding's gemeente (a regional hub) and its article for this soort; default 004's. */
  convenant?: string;
  artikel?: string;
}

const SOORT_OMSCHRIJVING: Record<Soort, string> = {
  huurachterstand: 'Huurachterstand',
  'meer-dan-huurachterstand': 'Meer dan huurachterstand (signalen van overlast of andere problemen)',
  'complexe-problematiek': 'Vermoeden van complexe problematiek, met toestemming van de huurder',
  'betalingsregeling-niet-nagekomen': 'Betalingsregeling niet nagekomen',
  'ontruimingsdatum-bekend': 'Ontruimingsdatum bekend',
  'betalingsachterstand-energie': 'Betalingsachterstand op de energierekening (elektriciteit, gas of warmte)',
  'betalingsachterstand-water': 'Betalingsachterstand op de drinkwaterrekening',
  'premieachterstand-zorgverzekering': 'Achterstand in de premie van de zorgverzekering',
};

/** The person the case is about: the tenant, or another partner's customer (relatienummer is then the klantnummer). */
function huurder(m: Gegevens) {
  const h = isSignaal(m) ? { ...m.klant, relatienummer: m.klant.klantnummer } : m.huurder;
  return {
    naam: [h.voorletters, h.tussenvoegsel, h.achternaam].filter(Boolean).join(' '),
    relatienummer: h.relatienummer,
    geboortedatum: h.geboortedatum ?? null,
    telefoonnummer: h.telefoonnummer ?? null,
    emailadres: h.emailadres ?? null,
  };
}

function adres(m: Gegevens) {
  const a = m.adres;
  return {
    regel1: `${a.straatnaam} ${a.huisnummer}${a.huisnummertoevoeging ? ` ${a.huisnummertoevoeging}` : ''}`,
    regel2: `${a.postcode.slice(0, 4)} ${a.postcode.slice(4)} ${a.woonplaats}`,
  };
}

function kern(c: Casus) {
  const partner = partnerVanSoort(c.soort);
  return {
    // How the person is called in the message: huurder, klant or verzekerde.
    betrokkene: BETROKKENE_NOEMER[partner].enkelvoud,
    Betrokkene: BETROKKENE_NOEMER[partner].hoofdletter,
    signaalpartner: partner,
    signaal: partner !== 'Huur',
    // The number the partner knows the person by: a corporation's relatienummer, another partner's klantnummer.
    nummer: partner === 'Huur' ? 'relatienummer' : 'klantnummer',
    partnersoort: PARTNER_OMSCHRIJVING[partner],
    id: c.id,
    referentie: c.gegevens.referentie,
    soort: SOORT_OMSCHRIJVING[c.soort],
    artikel: c.artikel ?? ARTIKEL[c.soort],
    convenant: c.convenant ?? null,
    corporatie: c.corporatie,
    wijkteam: c.wijkteam,
    ontvangenOp: c.ontvangenOp,
    terugkoppelingUiterlijk: c.terugkoppelingUiterlijk,
  };
}

/**
 * `terugkoppelLink`: the wijkteam's personal link to the feedback page of this melding in the portal
 * (only inside an encrypted message; null where the message is itself read in the portal).
 */
export function meldingAanWijkteamModel(c: Casus, terugkoppelLink: string | null = null, herhaling: Herhaling | null = null) {
  const m = c.gegevens;
  if (isSignaal(m)) return signaalAanWijkteamModel(c, m, terugkoppelLink, herhaling);
  return {
    ...kern(c),
    terugkoppelLink,
    herhaling: herhaling ? herhalingModel(herhaling) : null,
    huurder: huurder(m),
    adres: adres(m),
    huishouden: { aantalBewoners: m.huishouden.aantalBewoners, kinderenOnder18: m.huishouden.kinderenOnder18 ?? null },
    achterstand: m.achterstand ?? null,
    toestemming: m.toestemming ?? null,
    ontruimingsdatum: m.ontruimingsdatum ?? null,
    vorigeMelding: m.vorigeMelding ?? null,
  };
}

/** A signal of an energy, water or health insurance company (templates/signaal-aan-wijkteam.hbs). */
function signaalAanWijkteamModel(c: Casus, m: Extract<Gegevens, { signaalpartner: string }>, terugkoppelLink: string | null, herhaling: Herhaling | null) {
  return {
    ...kern(c),
    terugkoppelLink,
    herhaling: herhaling ? herhalingModel(herhaling) : null,
    klant: huurder(m),
    adres: adres(m),
    achterstand: m.achterstand,
    stappen: {
      herinneringVerstuurdOp: m.stappen.herinneringVerstuurdOp,
      contactpogingen: m.stappen.contactpogingen ?? [],
      betalingsregelingAangeboden: m.stappen.betalingsregelingAangeboden ?? null,
    },
    energie: m.signaalpartner === 'Energie',
    water: m.signaalpartner === 'Water',
    zorg: m.signaalpartner === 'Zorg',
  };
}

/** `fase`: an earlier SLA warning stage (the deadline is not today yet); unset: the last werkdag. */
export function herinneringModel(c: Casus, terugkoppelLink: string | null = null, fase: string | null = null) {
  return { ...kern(c), terugkoppelLink, fase, huurder: { naam: huurder(c.gegevens).naam } };
}

/**
 * `opnameLink`: the troubleshooter's link to the page where it confirms take-up (art. 8.2).
 * `tweede`: the second escalation, to the second mailbox, after `opnemenWerkdagen` without take-up.
 */
export function escalatieModel(c: Casus, werkdagenTeLaat: number, o: { opnameLink?: string | null; tweede?: { werkdagen: number; troubleshooter: string } } = {}) {
  const m = c.gegevens;
  return { ...kern(c), werkdagenTeLaat, huurder: { naam: huurder(c.gegevens).naam }, adres: adres(m), achterstand: m.achterstand ?? null,
    opnameLink: o.opnameLink ?? null, tweede: o.tweede ?? null };
}

export function ontruimingsdatumModel(c: Casus, opnameLink: string | null = null) {
  const m = c.gegevens;
  return { ...kern(c), opnameLink, huurder: huurder(m), adres: adres(m), achterstand: m.achterstand ?? null, ontruimingsdatum: isSignaal(m) ? null : m.ontruimingsdatum ?? null };
}

/**
 * DDAS "herhaalde melding": the earlier melding of the same tenant within the window, as intake found
 * it, with both arrears (stored encrypted on the new case).
 */
export interface Herhaling {
  vorigeMelding: string;
  vorigeOntvangenOp: string;
  vorigeBedragInCenten: number | null;
  bedragInCenten: number | null;
}

export function herhalingVan(vorige: { id: string; ontvangenOp: string; gegevens: Gegevens }, nieuw: Gegevens): Herhaling {
  return { vorigeMelding: vorige.id, vorigeOntvangenOp: vorige.ontvangenOp,
    vorigeBedragInCenten: vorige.gegevens.achterstand?.bedragInCenten ?? null, bedragInCenten: nieuw.achterstand?.bedragInCenten ?? null };
}

/** For the wijkteam: when the earlier melding came, and whether the arrears grew since. */
function herhalingModel(h: Herhaling) {
  const { vorigeBedragInCenten: a, bedragInCenten: b } = h;
  const verloop = a === null || b === null ? 'onbekend' : b > a ? 'gestegen' : b < a ? 'gedaald' : 'gelijk';
  return { vorigeMelding: h.vorigeMelding, vorigeDatum: amsterdamDatum(new Date(h.vorigeOntvangenOp)), vorigeBedragInCenten: a, verloop,
    gestegen: verloop === 'gestegen', gedaald: verloop === 'gedaald', gelijk: verloop === 'gelijk' };
}

/** What the corporation reported on an open case (decrypted by the service). */
export interface Aanvulling {
  soort: 'betalingsregeling-verbroken' | 'ontruimingsdatum';
  ontruimingsdatum?: string;
  ontvangenOp: string;
}

const AANVULLING_OMSCHRIJVING: Record<Aanvulling['soort'], string> = {
  'betalingsregeling-verbroken': 'De betalingsregeling is niet nagekomen',
  ontruimingsdatum: 'Er is een ontruimingsdatum bekend',
};

/** The corporation's update to the wijkteam (and, for an eviction date, the troubleshooter, with its take-up link). */
export function aanvullingModel(c: Casus, a: Aanvulling, opnameLink: string | null = null) {
  return { ...kern(c), huurder: { naam: huurder(c.gegevens).naam }, adres: adres(c.gegevens),
    aanvulling: { omschrijving: AANVULLING_OMSCHRIJVING[a.soort], ontruimingsdatum: a.ontruimingsdatum ?? null, ontvangenOp: a.ontvangenOp }, opnameLink };
}

/** To the corporation (004 Bijlage 2 §6): the identifying data of its melding and the structured answer. */
export function terugkoppelingModel(c: Casus, k: Terugkoppeling & { opTijd: boolean }) {
  return {
    ...kern(c),
    huurder: { naam: huurder(c.gegevens).naam, relatienummer: huurder(c.gegevens).relatienummer },
    adres: adres(c.gegevens),
    k: {
      contactGelegd: k.contactGelegd, inBehandeling: k.inBehandeling, incassoHervatten: k.incassoHervatten,
      hervattingBetalingOp: k.hervattingBetalingOp ?? null, contactpogingen: k.contactpogingen ?? [],
      betalingsafspraak: k.betalingsafspraak ?? null, wilHulp: k.wilHulp ?? null, nietOpgepakt: k.nietOpgepakt ?? null, opTijd: k.opTijd,
    },
  };
}

/** `reden`: why the corporation withdrew it, as the wijkteam reads it. */
export function intrekkingModel(c: Casus, reden: string | null = null) {
  return { ...kern(c), reden };
}
