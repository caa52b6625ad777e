// The tenant's rights (AVG art. 15 and 17; 003 and 001 §6: answered within four weeks; 004 Bijlage 1
// art. 10). The case is found through the pseudonymous index written at intake, never by decrypting
// every case. Inzage gives everything held, with origin, recipients and purposes; erasure removes it
// the way retention does (and withdraws pending deliveries). Both are recorded in the logboek.
import type { Config } from '../config.js';
import { ARTIKEL, type Melding } from '../domain/melding.js';
import { nieuwSpoor, verwerking, type Verwerking } from '../domain/verwerking.js';
import { SignaalbrugError } from '../errors.js';
import type { Gebeurtenis } from '../domain/overgangen.js';
import type { Logboekfilter, LogboekStore } from '../store/logboek.js';
import type { MeldingenStore } from '../store/meldingen.js';
import type { Lezen } from './lezen.js';
import type { Opruimer } from './opruimen.js';

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
  store: Pick<MeldingenStore, 'meldingenVan'>;
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
    [config.troubleshooter.mailbox, config.troubleshooter.naam],
    ...config.organisaties.flatMap((o): [string, string][] => (o.terugkoppeling ? [[o.terugkoppeling.mailbox, o.naam]] : [])),
  ]);

  /** The data subject: a corporation of this convenant and its relatienummer, as its pseudonym. */
  function betrokkene(oin: string, relatienummer: string) {
    const corporatie = organisaties.get(oin);
    if (!corporatie || corporatie.rol !== 'corporatie')
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
        ? { op: g.op, organisatie: 'het sociaal wijkteam', kanaal: 'portaal', wat: 'bericht geopend in het portaal' }
        : { op: g.op, organisatie: (mailbox && mailboxen.get(mailbox)) ?? mailbox, mailbox, kanaal: g.kanaal, bericht: g.bericht,
          doel: DOEL[String(g.bericht)] ?? String(g.bericht) };
    });
  }

  /** Without a case to hang it on (nothing held), the request itself is still recorded. */
  async function losRecord(actie: Verwerking['name'], b: ReturnType<typeof betrokkene>, extra: Record<string, string>) {
    await logboek.schrijf(verwerking({ actie, spoor: nieuwSpoor(), register: config.privacy.verwerkingsregister, betrokkene: b.pseudoniem, oin: b.corporatie.oin, start: klok(), extra }));
  }

  async function inzage(oin: string, relatienummer: string) {
    const b = betrokkene(oin, relatienummer);
    const meldingen = [];
    for (const id of await store.meldingenVan(b.pseudoniem)) {
      const r = await lezen.melding(id);
      if (!r) continue;
      const gebeurtenissen = await lezen.gebeurtenissen(id);
      const tot = await deps.opruimer.gepland(id);
      meldingen.push({
        id, soort: r.soort, status: r.status, ontvangenOp: r.ontvangenOp, terugkoppelingUiterlijk: r.terugkoppelingUiterlijk,
        herkomst: { organisatie: organisaties.get(r.oin)?.naam ?? r.oin, oin: r.oin, kanaal: 'API met tweezijdig TLS (Digikoppeling)', op: r.ontvangenOp },
        doel: `vroegsignalering om huisuitzetting te voorkomen (${config.convenant.naam}, ${ARTIKEL[r.soort]})`,
        gegevens: r.gegevens satisfies Melding,
        terugkoppeling: (await lezen.terugkoppeling(id)) ?? null,
        ontvangers: ontvangers(gebeurtenissen), gebeurtenissen,
        bewaardUiterlijkTot: tot === undefined ? null : new Date(tot).toISOString(),
      });
      await lezen.vastleggen(id, { actie: 'inzage-verstrekt', oin, op: klok(), extra: { kanaal: 'cli' } });
    }
    if (!meldingen.length) await losRecord('inzage-verstrekt', b, { kanaal: 'cli' });
    const verwerkingen = [];
    for await (const v of logboek.lees({ betrokkene: b.pseudoniem })) verwerkingen.push(v);
    return { betrokkene: b, opgesteldOp: klok().toISOString(), meldingen, verwerkingen };
  }

  async function verwijder(oin: string, relatienummer: string) {
    const b = betrokkene(oin, relatienummer);
    const meldingen = [];
    for (const id of await store.meldingenVan(b.pseudoniem)) {
      // Who already has a copy: the request must be passed on to them (004 Bijlage 1 art. 10.3, 5 werkdagen).
      const alBezorgd = ontvangers(await lezen.gebeurtenissen(id)).filter((o) => o.kanaal !== 'portaal');
      const uitkomst = await deps.opruimer.wis(id, 'verzoek-betrokkene', { oin, kanaal: 'cli' });
      meldingen.push({ id, uitkomst, alBezorgdBij: alBezorgd.map(({ organisatie, mailbox, op }) => ({ organisatie, mailbox, op })) });
    }
    if (!meldingen.length) await losRecord('gegevens-verwijderd', b, { kanaal: 'cli', reden: 'verzoek-betrokkene', gevonden: 'niets' });
    return {
      betrokkene: { corporatie: b.corporatie, pseudoniem: b.pseudoniem }, verwijderdOp: klok().toISOString(), meldingen,
      doorsturen: meldingen.some((m) => m.alBezorgdBij.length)
        ? 'stuur het verzoek binnen 5 werkdagen door aan de organisaties in alBezorgdBij (004 Bijlage 1 art. 10.3)' : null,
    };
  }

  /** The logboek dataverwerkingen, filtered (by melding, activity, time, or one data subject). */
  async function* logboekVan(f: Omit<Logboekfilter, 'betrokkene'> & { corporatie?: string; relatienummer?: string }) {
    const betrokkene = f.corporatie ? deps.pseudoniem(f.corporatie, f.relatienummer!) : undefined;
    yield* logboek.lees({ ...f, betrokkene });
  }

  return { betrokkene, inzage, verwijder, logboek: logboekVan };
}
