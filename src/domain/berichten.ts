// View models for the message templates: exactly the data the convenant lets each recipient see
// (004 Bijlage 2 §1 for the wijkteam; art. 8 for the troubleshooter). Pure: no I/O.
import { ARTIKEL, type Melding, type Soort } from './melding.js';
import type { Terugkoppeling } from './terugkoppeling.js';

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
] as const;
export type Berichtsoort = (typeof BERICHTSOORTEN)[number];

export type Ontvangerrol = 'wijkteam' | 'troubleshooter' | 'corporatie';

/** One message to send: ids only, so it can travel in a job payload. */
export interface BezorgOpdracht {
  meldingId: string;
  bericht: Berichtsoort;
  ontvanger: Ontvangerrol;
  /** Escalation only: how many werkdagen late (not personal). */
  werkdagenTeLaat?: number;
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

export interface Casus {
  id: string;
  soort: Soort;
  ontvangenOp: string;
  terugkoppelingUiterlijk: string;
  corporatie: string;
  wijkteam: string;
  gegevens: Melding;
}

const SOORT_OMSCHRIJVING: Record<Soort, string> = {
  huurachterstand: 'Huurachterstand',
  'meer-dan-huurachterstand': 'Meer dan huurachterstand (signalen van overlast of andere problemen)',
  'complexe-problematiek': 'Vermoeden van complexe problematiek, met toestemming van de huurder',
  'betalingsregeling-niet-nagekomen': 'Betalingsregeling niet nagekomen',
  'ontruimingsdatum-bekend': 'Ontruimingsdatum bekend',
};

function huurder(m: Melding) {
  const h = m.huurder;
  return {
    naam: [h.voorletters, h.tussenvoegsel, h.achternaam].filter(Boolean).join(' '),
    relatienummer: h.relatienummer,
    geboortedatum: h.geboortedatum,
    telefoonnummer: h.telefoonnummer ?? null,
    emailadres: h.emailadres ?? null,
  };
}

function adres(m: Melding) {
  const a = m.adres;
  return {
    regel1: `${a.straatnaam} ${a.huisnummer}${a.huisnummertoevoeging ? ` ${a.huisnummertoevoeging}` : ''}`,
    regel2: `${a.postcode.slice(0, 4)} ${a.postcode.slice(4)} ${a.woonplaats}`,
  };
}

function kern(c: Casus) {
  return {
    id: c.id,
    referentie: c.gegevens.referentie,
    soort: SOORT_OMSCHRIJVING[c.soort],
    artikel: ARTIKEL[c.soort],
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
export function meldingAanWijkteamModel(c: Casus, terugkoppelLink: string | null = null) {
  const m = c.gegevens;
  return {
    ...kern(c),
    terugkoppelLink,
    huurder: huurder(m),
    adres: adres(m),
    huishouden: { aantalBewoners: m.huishouden.aantalBewoners, kinderenOnder18: m.huishouden.kinderenOnder18 ?? null },
    achterstand: m.achterstand ?? null,
    toestemming: m.toestemming ?? null,
    ontruimingsdatum: m.ontruimingsdatum ?? null,
    vorigeMelding: m.vorigeMelding ?? null,
  };
}

export function herinneringModel(c: Casus, terugkoppelLink: string | null = null) {
  return { ...kern(c), terugkoppelLink, huurder: { naam: huurder(c.gegevens).naam } };
}

export function escalatieModel(c: Casus, werkdagenTeLaat: number) {
  const m = c.gegevens;
  return { ...kern(c), werkdagenTeLaat, huurder: { naam: huurder(c.gegevens).naam }, adres: adres(m), achterstand: m.achterstand ?? null };
}

export function ontruimingsdatumModel(c: Casus) {
  const m = c.gegevens;
  return { ...kern(c), huurder: huurder(m), adres: adres(m), achterstand: m.achterstand ?? null, ontruimingsdatum: m.ontruimingsdatum ?? null };
}

/** To the corporation (004 Bijlage 2 §6): the identifying data of its melding and the structured answer. */
export function terugkoppelingModel(c: Casus, k: Terugkoppeling & { opTijd: boolean }) {
  return {
    ...kern(c),
    huurder: { naam: huurder(c.gegevens).naam, relatienummer: c.gegevens.huurder.relatienummer },
    adres: adres(c.gegevens),
    k: {
      contactGelegd: k.contactGelegd, inBehandeling: k.inBehandeling, incassoHervatten: k.incassoHervatten,
      hervattingBetalingOp: k.hervattingBetalingOp ?? null, contactpogingen: k.contactpogingen ?? [],
      betalingsafspraak: k.betalingsafspraak ?? null, wilHulp: k.wilHulp ?? null, nietOpgepakt: k.nietOpgepakt ?? null, opTijd: k.opTijd,
    },
  };
}

export function intrekkingModel(c: Casus) {
  return { ...kern(c) };
}

/** No personal data at all: this mail travels unencrypted (NTA 7516 notification). */
export function notificatieModel(c: Pick<Casus, 'corporatie' | 'terugkoppelingUiterlijk'>, link: string) {
  return { corporatie: c.corporatie, terugkoppelingUiterlijk: c.terugkoppelingUiterlijk, link };
}

export function toegangscodeModel(code: string, geldigMinuten: number) {
  return { code, geldigMinuten };
}
