// The tenant's rights (AVG art. 15 and 17; 003 and 001 §6: answered within four weeks; 004 Bijlage 1
// art. 10). The case is found through the pseudonymous index written at intake, never by decrypting
// every case. Inzage gives everything held, with origin, recipients and purposes; erasure removes it
// the way retention does (and withdraws pending deliveries). Both are recorded in the logboek.
import { gemeenteVan, isMelder, type Config } from '../config.js';
import { ARTIKEL } from '../domain/melding.js';
import { partnerVanSoort, type Gegevens } from '../domain/signaal.js';
import { nieuwSpoor, verwerking, type Verwerking } from '../domain/verwerking.js';
import { SignaalbrugError } from '../errors.js';
import type { Gebeurtenis } from '../domain/overgangen.js';
import type { Logboekfilter, LogboekStore } from '../store/logboek.js';
import type { MeldingenStore } from '../store/meldingen.js';
import type { Lezen } from './lezen.js';
import type { Opruimer } from './opruimen.js';

/**
 * Who handles a request in the werkplek: a privacy officer of one organisation (a corporation or a
 * gemeente). Such a request sees only the cases of that organisation (sent by it, or routed to its
 * wijkteams), and the logboek records name that organisation and the user's pseudonymous id.
 * Without it (the CLI), the operator sees everything.
 */
export interface Verzoeker {
  organisatie: string;
  /** The user's pseudonymous id (never a name). */
  gebruiker: string;
}

/** The metadata of a case found for a data subject: enough to confirm an erasure, no personal data. */
export interface GevondenCasus {
  id: string;
  soort: string;
  status: string;
  ontvangenOp: string;
  /** Set when its personal data is already gone. */
  verwijderdOp?: string;
}

/** Why each message went where it went (convenant 004), for the tenant's overview. */
const DOEL: Record<string, string> = {
  'melding-aan-wijkteam': 'contact en hulp door het sociaal wijkteam (convenant art. 3.4 en 3.5)',
  herinnering: 'herinnering aan het wijkteam: de termijn voor terugkoppeling loopt af (art. 3.7)',
  escalatie: 'escalatie naar de troubleshooter: geen terugkoppeling binnen de termijn (art. 2.2.3 en 3.7)',
  ontruimingsdatum: 'de troubleshooter bij een bekende ontruimingsdatum (art. 8.1)',
  intrekking: 'bericht aan het wijkteam dat de melding is ingetrokken',
  terugkoppeling: 'terugkoppeling aan de woningcorporatie (art. 3.7, Bijlage 2 §6)',
};

export interface RechtenDeps {
  config: Config;
  store: Pick<MeldingenStore, 'meldingenVan' | 'casus'>;
  lezen: Pick<Lezen, 'melding' | 'gebeurtenissen' | 'terugkoppeling' | 'vastleggen'>;
  logboek: Pick<LogboekStore, 'lees' | 'schrijf'>;
  /** Erasure, and when the case's personal data is planned to go. */
  opruimer: Pick<Opruimer, 'wis' | 'gepland'>;
  /** The data subject's keyed pseudonym (the intake's). */
  pseudoniem(oin: string, relatienummer: string): string;
  klok: () => Date;
}

export function createRechten(deps: RechtenDeps) {
  const { config, store, lezen, logboek, klok } = deps;
  const organisaties = new Map(config.organisaties.map((o) => [o.oin, o]));
  const mailboxen = new Map<string, string>([
    ...config.wijkteams.map((w): [string, string] => [w.mailbox, w.naam]),
    ...config.gemeenten.map((g): [string, string] => [g.troubleshooter.mailbox, g.troubleshooter.naam]),
    ...config.organisaties.flatMap((o): [string, string][] => (o.terugkoppeling ? [[o.terugkoppeling.mailbox, o.naam]] : [])),
  ]);

  /** The data subject: a corporation of this convenant and its relatienummer, as its pseudonym. */
  function betrokkene(oin: string, relatienummer: string) {
    const corporatie = organisaties.get(oin);
    // A signal partner's customer (klantnummer) is a data subject the same way a tenant is.
    if (!corporatie || !isMelder(corporatie))
      throw new SignaalbrugError('SB_ONGELDIGE_INVOER', `${oin} is geen woningcorporatie in dit convenant`);
    if (!/^[A-Za-z0-9-]{1,32}$/.test(relatienummer))
      throw new SignaalbrugError('SB_ONGELDIGE_INVOER', 'een relatienummer is letters, cijfers en -, hoogstens 32 tekens');
    return { corporatie: { oin, naam: corporatie.naam }, relatienummer, pseudoniem: deps.pseudoniem(oin, relatienummer) };
  }

  /** Messages that reached someone: from the events, which name the mailbox, channel and moment. */
  function ontvangers(gebeurtenissen: Gebeurtenis[]) {
    return gebeurtenissen.filter((g) => g.soort === 'verzonden' || g.soort === 'bericht-verzonden' || g.soort === 'gelezen').map((g) => {
      const mailbox = typeof g.ontvanger === 'string' ? g.ontvanger : undefined;
      return g.soort === 'gelezen'
        ? { op: g.op, organisatie: 'het sociaal wijkteam', kanaal: g.kanaal === 'werkplek' ? 'werkplek' : 'portaal',
          wat: g.kanaal === 'werkplek' ? 'melding geopend in de werkplek' : 'bericht geopend in het portaal' }
        : { op: g.op, organisatie: (mailbox && mailboxen.get(mailbox)) ?? mailbox, mailbox, kanaal: g.kanaal, bericht: g.bericht,
          doel: DOEL[String(g.bericht)] ?? String(g.bericht) };
    });
  }

  /** Without a case to hang it on (nothing held), the request itself is still recorded. */
  async function losRecord(actie: Verwerking['name'], b: ReturnType<typeof betrokkene>, oin: string, extra: Record<string, string>) {
    await logboek.schrijf(verwerking({ actie, spoor: nieuwSpoor(), register: config.privacy.verwerkingsregister, betrokkene: b.pseudoniem, oin, start: klok(), extra }));
  }

  /** Whether a case belongs to the requesting organisation (judged on metadata; no decryption). */
  async function vanVerzoeker(id: string, door: Verzoeker | undefined): Promise<boolean> {
    if (!door) return true;
    const c = await store.casus(id);
    return Boolean(c && (c.oin === door.organisatie || c.wijkteamOin === door.organisatie));
  }

  /** The ids of the data subject's cases that the requester may see. */
  async function idsVan(pseudoniem: string, door: Verzoeker | undefined): Promise<string[]> {
    const ids = [];
    for (const id of await store.meldingenVan(pseudoniem)) if (await vanVerzoeker(id, door)) ids.push(id);
    return ids;
  }

  /** Who acted, for the logboek: the CLI on behalf of the corporation, or the werkplek user's organisation. */
  const door = (oin: string, v: Verzoeker | undefined): { oin: string; extra: Record<string, string> } =>
    v ? { oin: v.organisatie, extra: { kanaal: 'werkplek', gebruiker: v.gebruiker } } : { oin, extra: { kanaal: 'cli' } };

  /** A logboek filter as a generator that keeps only the records about the requester's cases. */
  async function* alleenVan(records: AsyncIterable<Verwerking>, v: Verzoeker | undefined) {
    const eigen = new Map<string, boolean>();
    for await (const r of records) {
      if (!v) { yield r; continue; }
      const id = r.attributes['dpl.signaalbrug.melding_id'];
      if (id === undefined) {
        // A record without a case (e.g. an inzage that found nothing) belongs to whoever acted.
        if (r.attributes['dpl.signaalbrug.organisatie_oin'] === v.organisatie) yield r;
        continue;
      }
      if (!eigen.has(id)) eigen.set(id, await vanVerzoeker(id, v));
      if (eigen.get(id)) yield r;
    }
  }

  async function inzage(oin: string, relatienummer: string, verzoeker?: Verzoeker) {
    const b = betrokkene(oin, relatienummer);
    const wie = door(oin, verzoeker);
    const meldingen = [];
    for (const id of await idsVan(b.pseudoniem, verzoeker)) {
      const r = await lezen.melding(id);
      if (!r) continue;
      const gebeurtenissen = await lezen.gebeurtenissen(id);
      const tot = await deps.opruimer.gepland(id);
      meldingen.push({
        id, soort: r.soort, status: r.status, ontvangenOp: r.ontvangenOp, terugkoppelingUiterlijk: r.terugkoppelingUiterlijk,
        herkomst: { organisatie: organisaties.get(r.oin)?.naam ?? r.oin, oin: r.oin, kanaal: 'API met tweezijdig TLS (Digikoppeling)', op: r.ontvangenOp },
        doel: `${partnerVanSoort(r.soort) === 'Huur' ? 'vroegsignalering om huisuitzetting te voorkomen' : 'vroegsignalering van schulden'} (${gemeenteVan(config, r).convenant.naam}, ${ARTIKEL[r.soort]})`,
        gegevens: r.gegevens satisfies Gegevens,
        terugkoppeling: (await lezen.terugkoppeling(id)) ?? null,
        ontvangers: ontvangers(gebeurtenissen), gebeurtenissen,
        bewaardUiterlijkTot: tot === undefined ? null : new Date(tot).toISOString(),
      });
      await lezen.vastleggen(id, { actie: 'inzage-verstrekt', oin: wie.oin, op: klok(), extra: wie.extra });
    }
    if (!meldingen.length) await losRecord('inzage-verstrekt', b, wie.oin, wie.extra);
    const verwerkingen = [];
    for await (const v of alleenVan(logboek.lees({ betrokkene: b.pseudoniem }), verzoeker)) verwerkingen.push(v);
    return { betrokkene: b, opgesteldOp: klok().toISOString(), meldingen, verwerkingen };
  }

  async function verwijder(oin: string, relatienummer: string, verzoeker?: Verzoeker) {
    const b = betrokkene(oin, relatienummer);
    const wie = door(oin, verzoeker);
    const meldingen = [];
    for (const id of await idsVan(b.pseudoniem, verzoeker)) {
      // Who already has a copy: the request must be passed on to them (004 Bijlage 1 art. 10.3, 5 werkdagen).
      const alBezorgd = ontvangers(await lezen.gebeurtenissen(id)).filter((o) => o.kanaal !== 'portaal' && o.kanaal !== 'werkplek');
      // The werkplek's erasure is recorded as the werkplek's, with the person who asked for it.
      const uitkomst = await deps.opruimer.wis(id, 'verzoek-betrokkene', verzoeker
        ? { oin: wie.oin, kanaal: 'werkplek', gebruiker: verzoeker.gebruiker } : { oin: wie.oin, kanaal: 'cli' });
      meldingen.push({ id, uitkomst, alBezorgdBij: alBezorgd.map(({ organisatie, mailbox, op }) => ({ organisatie, mailbox, op })) });
    }
    if (!meldingen.length) await losRecord('gegevens-verwijderd', b, wie.oin, { ...wie.extra, reden: 'verzoek-betrokkene', gevonden: 'niets' });
    return {
      betrokkene: { corporatie: b.corporatie, pseudoniem: b.pseudoniem }, verwijderdOp: klok().toISOString(), meldingen,
      doorsturen: meldingen.some((m) => m.alBezorgdBij.length)
        ? 'stuur het verzoek binnen 5 werkdagen door aan de organisaties in alBezorgdBij (004 Bijlage 1 art. 10.3)' : null,
    };
  }

  /**
   * The logboek dataverwerkingen, filtered (by melding, activity, time, or one data subject: by
   * corporation and relatienummer or by its pseudonym); for a werkplek requester only the records
   * about its organisation's cases.
   */
  async function* logboekVan(f: Logboekfilter & { corporatie?: string; relatienummer?: string }, verzoeker?: Verzoeker) {
    const { corporatie, relatienummer, ...rest } = f;
    const betrokkene = corporatie ? deps.pseudoniem(corporatie, relatienummer!) : f.betrokkene;
    yield* alleenVan(logboek.lees({ ...rest, betrokkene }), verzoeker);
  }

  /** The data subject's cases the requester may see, as metadata only: to confirm an erasure before it runs. */
  async function gevonden(oin: string, relatienummer: string, verzoeker?: Verzoeker): Promise<GevondenCasus[]> {
    const b = betrokkene(oin, relatienummer);
    const uit: GevondenCasus[] = [];
    for (const id of await idsVan(b.pseudoniem, verzoeker)) {
      const c = await store.casus(id);
      if (c) uit.push({ id, soort: c.soort, status: c.status, ontvangenOp: c.ontvangenOp, ...(c.verwijderdOp ? { verwijderdOp: c.verwijderdOp } : {}) });
    }
    return uit;
  }

  /** Whether a melding exists and belongs to the requester (metadata only): a werkplek page's 404 otherwise. */
  async function meldingVan(id: string, verzoeker: Verzoeker): Promise<boolean> {
    return /^[A-Za-z0-9-]{1,64}$/.test(id) && vanVerzoeker(id, verzoeker);
  }

  return { betrokkene, inzage, verwijder, logboek: logboekVan, gevonden, meldingVan };
}
