// The DDAS export: a gemeente's vroegsignalering data for one period in the Uitwisselmodel of DDAS
// Vroegsignalering v0.9 (VNG Realisatie; vendor/ddas/), which gemeenten deliver to the CBS. Pure: the
// service reads and decrypts the cases, this module shapes them, and the service validates the result
// against the official schema before anything is written.
//
// Only what the standard asks for and we actually hold. A field our data cannot fill is left out, as
// the schema allows (it requires only `ID`, `client` and `signaalpartner` of a vroegsignaal), rather
// than invented: we never hold a BSN, do not know whether a signal was a warm handover
// (`warmeOverdracht`), and hold no matching dates of the CBS. Once retention removed a case's personal
// data its vroegsignaal keeps only what the metadata says (an empty `client`).
import type { Eindresultaat, RedenNietOpgepakt } from './ddas.js';
import { isSignaal, partnerVanSoort, type Gegevens } from './signaal.js';
import type { Signaalpartner } from './signaalpartner.js';
import type { TerugkoppelingMetDdas } from './terugkoppeling.js';
import type { CasusFeiten, Periode } from './rapportage.js';
import { amsterdamDatum } from './werkdagen.js';

/** What the export needs of one case; the personal parts are absent once they were removed. */
export interface DdasCasus {
  casus: CasusFeiten;
  melding?: Gegevens;
  terugkoppeling?: TerugkoppelingMetDdas;
  eindresultaat?: Eindresultaat;
}

type Signaalstatus = 'Nog niet opgepakt' | RedenNietOpgepakt;

export interface Vroegsignaal {
  ID: string;
  crisissignaal?: boolean;
  warmeOverdracht?: boolean;
  bedrag?: number;
  ontstaansdatum?: string;
  signaaldatum?: string;
  status?: Signaalstatus;
  signaalpartner: { type: Signaalpartner };
  client: Partial<Record<'Voorletters' | 'Voorvoegsel' | 'Achternaam' | 'Geboortedatum' | 'Straatnaam' | 'Postcode' | 'Huisnummer' | 'Huisnummertoevoeging' | 'Plaatsnaam', string>>;
}

export interface Contactpoging {
  soort?: string;
  bereikt?: boolean;
  datum?: string;
  dagdeel?: string;
}

export interface Vroegsignaalzaak {
  resultaat?: Eindresultaat;
  datum_opgepakt?: string;
  vroegsignalen: { ID: string }[];
  contactpogingen?: Contactpoging[];
}

export interface Uitwisselmodel {
  startdatumLevering: string;
  einddatumLevering: string;
  aanleverdatumEnTijd: string;
  codeGegevensleverancier: string;
  leveringen: {
    teller: number;
    gemeentecode: string;
    aanleverende_organisatie: { naam: string };
    vroegsignalen: Vroegsignaal[];
    vroegsignaalzaken: Vroegsignaalzaak[];
  }[];
}

/** A gemeentecode as the CBS writes it: four digits. */
export const GEMEENTECODE = /^\d{4}$/;

/** The vroegsignaal's status (EnumSignaalstatus): known only while not picked up or not picked up for a reason. */
function signaalstatus(d: DdasCasus): Signaalstatus | undefined {
  const k = d.terugkoppeling;
  if (!k) {
    // Withdrawn before any feedback: the signal was never picked up, but not for one of DDAS's reasons.
    return d.casus.gebeurtenissen.some((g) => g.soort === 'ingetrokken') ? undefined : 'Nog niet opgepakt';
  }
  if (k.ddas) return k.ddas.opgepakt ? undefined : k.ddas.redenNietOpgepakt;
  // The convenant's own shape knows "overleden"; "verhuisd" need not mean out of the gemeente.
  return k.nietOpgepakt === 'overleden' ? 'Inwoner is overleden' : undefined;
}

function vroegsignaal(d: DdasCasus): Vroegsignaal {
  const m = d.melding;
  const status = signaalstatus(d);
  const client: Vroegsignaal['client'] = {};
  if (m) {
    // Identity as DDAS's Client has it, for the CBS to match: never a BSN (we hold none).
    const p = isSignaal(m) ? m.klant : m.huurder;
    client.Voorletters = p.voorletters;
    if (p.tussenvoegsel) client.Voorvoegsel = p.tussenvoegsel;
    client.Achternaam = p.achternaam;
    if (p.geboortedatum) client.Geboortedatum = p.geboortedatum;
    client.Straatnaam = m.adres.straatnaam;
    client.Postcode = m.adres.postcode;
    client.Huisnummer = String(m.adres.huisnummer);
    if (m.adres.huisnummertoevoeging) client.Huisnummertoevoeging = m.adres.huisnummertoevoeging;
    client.Plaatsnaam = m.adres.woonplaats;
  }
  return {
    ID: d.casus.id,
    // An eviction date known (convenant art. 8) is the one soort that is a crisis by definition.
    crisissignaal: d.casus.soort === 'ontruimingsdatum-bekend',
    ...(m?.achterstand ? { bedrag: Math.round(m.achterstand.bedragInCenten / 100), ontstaansdatum: m.achterstand.ontstaanOp } : {}),
    // The corporation sends at once: the date it sent is the date we received it (Amsterdam).
    signaaldatum: amsterdamDatum(new Date(d.casus.ontvangenOp)),
    ...(status ? { status } : {}),
    // The partner type (EnumSignaalpartner) follows from the soort: each soort belongs to one partner.
    signaalpartner: { type: partnerVanSoort(d.casus.soort) },
    client,
  };
}

/** A vroegsignaalzaak exists once the gemeente did something with the signal: feedback or an outcome. */
function vroegsignaalzaak(d: DdasCasus): Vroegsignaalzaak | undefined {
  const k = d.terugkoppeling;
  if (!k && !d.eindresultaat) return undefined;
  const pogingen: Contactpoging[] = k?.ddas
    ? k.ddas.contactpogingen.map((p) => ({ soort: p.soort, bereikt: p.bereikt, datum: p.datum, ...(p.dagdeel ? { dagdeel: p.dagdeel } : {}) }))
    // The convenant's shape holds only the dates: how and whether it reached the tenant is unknown.
    : (k?.contactpogingen ?? []).map((datum) => ({ datum }));
  return {
    ...(d.eindresultaat ? { resultaat: d.eindresultaat } : {}),
    ...(k?.ddas?.datumOpgepakt ? { datum_opgepakt: k.ddas.datumOpgepakt } : {}),
    vroegsignalen: [{ ID: d.casus.id }],
    ...(pogingen.length ? { contactpogingen: pogingen } : {}),
  };
}

export interface ExportInvoer {
  periode: Periode;
  nu: Date;
  codeGegevensleverancier: string;
  gemeentecode: string;
  /** The organisation that delivers: the gemeente itself. */
  organisatie: { naam: string };
  casussen: readonly DdasCasus[];
}

/** The Uitwisselmodel of one gemeente for one period: one levering, its signals and cases. */
export function uitwisselmodel(i: ExportInvoer): Uitwisselmodel {
  const casussen = [...i.casussen].sort((a, b) => a.casus.ontvangenOp.localeCompare(b.casus.ontvangenOp) || a.casus.id.localeCompare(b.casus.id));
  return {
    startdatumLevering: i.periode.van,
    einddatumLevering: i.periode.tot,
    aanleverdatumEnTijd: `${i.nu.toISOString().slice(0, 19)}Z`,
    codeGegevensleverancier: i.codeGegevensleverancier,
    leveringen: [{
      teller: 1,
      gemeentecode: i.gemeentecode,
      aanleverende_organisatie: { naam: i.organisatie.naam },
      vroegsignalen: casussen.map(vroegsignaal),
      vroegsignaalzaken: casussen.flatMap((d) => vroegsignaalzaak(d) ?? []),
    }],
  };
}
