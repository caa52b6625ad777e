// Intake of a melding: validated against the convenant on the service's own day, routed by postcode,
// its deadline computed, and stored with everything that belongs to it in one step. Idempotent on
// (corporation, referentie): the same melding again is a replay, a different one under the same
// referentie a conflict.
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import { invalidParams } from '../domain/invoerfouten.js';
import { herhalingVan } from '../domain/berichten.js';
import { meldingSchemaOp } from '../domain/melding.js';
import { nieuweCasus, type Regelboek } from '../domain/overgangen.js';
import { buitenSelectie, routeer } from '../domain/routering.js';
import { isSignaal, parseSignaal, type Gegevens } from '../domain/signaal.js';
import type { Spoor } from '../domain/verwerking.js';
import { amsterdamDatum, werkdagenNa } from '../domain/werkdagen.js';
import { SignaalbrugError } from '../errors.js';
import type { MeldingenStore } from '../store/meldingen.js';
import { canoniek } from '../store/opslag.js';
import type { Sleutelring } from '../store/sleutelring.js';
import { CONTEXT, type Lezen, type MeldingRecord } from './lezen.js';

export interface IntakeDeps {
  config: Config;
  store: MeldingenStore;
  sleutels: Sleutelring;
  lezen: Lezen;
  /** Each gemeente's rules: the melding gets those of the gemeente its postcode lies in. */
  regelboek: Regelboek;
  klok: () => Date;
}

export type Intakeuitkomst = { nieuw: boolean; record: MeldingRecord };

/**
 * Rounds in which the intake links a repeat signal to the very latest melding of the tenant; each
 * round one of the tenant's concurrent meldingen is kept. In the last round the link stands as it
 * is: to an earlier melding in the window, which under a flood of meldingen for one tenant may not
 * be the latest (as before the lookup moved into the store's script). A melding is never refused for it.
 */
const RONDES = 8;

export function createIntake({ config, store, sleutels, lezen, regelboek, klok }: IntakeDeps) {
  const gemeenteVan = new Map(config.gemeenten.flatMap((g) => g.wijkteams.map((w) => [w.id, g] as const)));
  const partners = new Map(config.partners.map((p) => [p.oin, p]));

  /** The data subject's keyed pseudonym: (corporation OIN, relatienummer), never reversible without the key. */
  const betrokkene = (oin: string, relatienummer: string) => sleutels.pseudoniem('betrokkene', oin, relatienummer);

  async function ontvang(oin: string, invoer: unknown, spoor?: Spoor): Promise<Intakeuitkomst> {
    const nu = klok();
    // Dates are checked against the service's own day (Europe/Amsterdam), not the host's.
    // The caller's partner type picks the data set: a corporation's melding, or another partner's signal.
    const partner = partners.get(oin);
    const partnertype = partner?.signaalpartner ?? 'Huur';
    const vandaag = amsterdamDatum(nu);
    let melding: Gegevens;
    if (partnertype === 'Huur') {
      const parsed = meldingSchemaOp(vandaag).safeParse(invoer, { reportInput: true });
      if (!parsed.success)
        throw new SignaalbrugError('SB_ONGELDIGE_INVOER', 'de melding voldoet niet aan het convenant; zie invalidParams', invalidParams(parsed.error.issues));
      melding = parsed.data;
    } else {
      const parsed = parseSignaal(partnertype, invoer, vandaag);
      if (!parsed.success)
        throw new SignaalbrugError('SB_ONGELDIGE_INVOER', `het signaal voldoet niet aan de gegevensset van signaalpartner ${partnertype}; zie invalidParams`, invalidParams(parsed.issues));
      melding = parsed.data;
    }
    const wijkteam = routeer(melding.adres.postcode, config.wijkteams);
    if (!wijkteam)
      throw new SignaalbrugError('SB_POSTCODE_BUITEN_WERKGEBIED', 'geen wijkteam in dit convenant werkt in deze postcode', [
        { name: 'adres.postcode', reason: 'valt buiten het werkgebied van alle wijkteams' },
      ]);
    // The postcode picked the gemeente: its convenant must be signed by the partner, and take this melding.
    const gemeente = gemeenteVan.get(wijkteam.id)!;
    const wie = gemeente.code ? `${gemeente.naam} (${gemeente.code})` : gemeente.naam;
    if (partner?.gemeenten && !partner.gemeenten.includes(gemeente.code))
      throw new SignaalbrugError('SB_GEEN_CONVENANT', `de postcode ligt in ${wie}; ${partner.naam} heeft het convenant van ${wie} niet getekend`, [
        { name: 'adres.postcode', reason: `ligt in ${wie}, waarmee geen convenant is` },
      ]);
    // Selection criteria are the convenant's rules for housing meldingen; a signal partner's own rules
    // (e.g. the Regeling afsluitbeleid) are in its data set.
    const buiten = isSignaal(melding) ? undefined : buitenSelectie(melding, gemeente.convenant);
    if (buiten)
      throw new SignaalbrugError('SB_BUITEN_SELECTIE', `${gemeente.convenant.naam} van ${wie} ${buiten.reden}`, buiten.velden);
    const regels = regelboek.voor({ gemeente: gemeente.code, wijkteam: wijkteam.id });
    const kalender = { extraVrijeDagen: gemeente.convenant.extraVrijeDagen };
    if (!isSignaal(melding) && melding.vorigeMelding) {
      const vorige = await lezen.melding(melding.vorigeMelding);
      if (!vorige || vorige.oin !== oin)
        throw new SignaalbrugError('SB_ONGELDIGE_INVOER', 'vorigeMelding bestaat niet', [{ name: 'vorigeMelding', reason: 'onbekende melding van deze corporatie' }]);
    }
    const id = randomUUID();
    // A signal's customer number plays the part of the tenant's relatienummer (per partner, as per corporation).
    const pseudoniem = betrokkene(oin, isSignaal(melding) ? melding.klant.klantnummer : melding.huurder.relatienummer);
    // The validated melding's JSON is canonical: the schema builds it in its own key order, whatever
    // order the request had. The prefix tells it from fingerprints of sorted JSON (canoniek) written
    // by earlier versions, which a replay still matches below.
    const json = JSON.stringify(melding);
    const vingerafdruk = `j:${sleutels.pseudoniem('vingerafdruk', json)}`;
    // The melding in the compact format: deflated with its dictionary, then encrypted.
    const gegevens = sleutels.versleutelCompact(json, CONTEXT.gegevens(id));
    const idem = sleutels.pseudoniem('idem', oin, melding.referentie);
    // DDAS herhaalde melding: linked to the tenant's latest melding within the window. The store
    // looks that up as it keeps the case; only when there is one (or another came in meanwhile) does
    // it send the case back to be linked, so a first melding costs one round trip.
    const vensterMs = gemeente.convenant.herhalingVensterDagen * 86_400_000;
    const casus = {
      id, oin, wijkteam: wijkteam.id, wijkteamOin: wijkteam.organisatie, ...(gemeente.code ? { gemeente: gemeente.code } : {}),
      soort: melding.soort, ontvangenOp: nu.toISOString(),
      // The feedback term: N werkdagen after receipt (the day of receipt does not count), per the gemeente's convenant.
      terugkoppelingUiterlijk: werkdagenNa(nu, gemeente.convenant.werkdagenTerugkoppeling, kalender),
      betrokkene: pseudoniem,
    };
    let vorigeId: string | undefined;
    for (let poging = 1; ; poging++) {
      const vorige = vorigeId ? await lezen.melding(vorigeId) : undefined;
      const herhaling = vorige ? herhalingVan(vorige, melding) : undefined;
      const n = nieuweCasus(casus, spoor, regels, herhaling?.vorigeMelding);
      const uitkomst = await store.bewaar({
        ...n, gegevens, idem, vingerafdruk, herhalingVanaf: nu.getTime() - vensterMs, ...(vorigeId ? { vorige: vorigeId } : {}),
        ...(herhaling ? { herhaling: sleutels.versleutelCompact(JSON.stringify(herhaling), CONTEXT.herhaling(id)) } : {}),
        ...(poging === RONDES ? { vorigeVast: true } : {}),
      });
      if (uitkomst.uitkomst === 'nieuw') return { nieuw: true, record: { ...n.casus, gegevens: melding } };
      if (uitkomst.uitkomst === 'bestaand') return herhaald(uitkomst, melding, vingerafdruk);
      // Another melding of this tenant is the latest now: link to that one.
      vorigeId = uitkomst.laatste;
    }
  }

  /** The same idempotency entry: a replay answers with the case it made, a different melding is a conflict. */
  async function herhaald(uitkomst: { id: string; vingerafdruk: string | undefined }, melding: Gegevens, vingerafdruk: string): Promise<Intakeuitkomst> {
    const zelfdeInhoud = uitkomst.vingerafdruk?.startsWith('j:')
      ? uitkomst.vingerafdruk === vingerafdruk
      : uitkomst.vingerafdruk === sleutels.pseudoniem('vingerafdruk', canoniek(melding));
    if (!zelfdeInhoud) throw new SignaalbrugError('SB_CONFLICT', 'deze referentie is al gebruikt voor een melding met een andere inhoud');
    const bestaand = await lezen.melding(uitkomst.id);
    if (!bestaand) throw new SignaalbrugError('SB_OPSLAG_ONBEREIKBAAR', 'melding tijdelijk niet leesbaar');
    return { nieuw: false, record: bestaand };
  }

  return { ontvang, betrokkene };
}

export type Intake = ReturnType<typeof createIntake>;
