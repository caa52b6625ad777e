// The corporation's pages (role corporatie-medewerker): its own meldingen, across its organisation
// and no further; a melding by hand with the API's schema and error messages; a melding's detail with
// what the corporation may see of the feedback (as GET /v1/meldingen/{id}); withdrawal and updates.
// A melding of another organisation does not exist here (404), whatever the id.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { eindresultaatVoorCorporatie } from '../../../domain/ddas.js';
import { invalidParams } from '../../../domain/invoerfouten.js';
import { meldingSchemaOp } from '../../../domain/melding.js';
import { isSignaal } from '../../../domain/signaal.js';
import { INTREKKING_LABELS } from '../../../domain/portaalberichten.js';
import { terugkoppelingVoorCorporatie } from '../../../domain/terugkoppeling.js';
import { INTREKKINGSREDENEN, type Intrekkingsreden } from '../../../diensten/intrekking.js';
import { SignaalbrugError } from '../../../errors.js';
import { aanvullingSchema } from '../../api/terugkoppelingen.js';
import { leesDatum } from '../../portaal/formulier.js';
import type { Gebruiker, Paginas } from '../context.js';
import {
  amsterdamDatum, bereikVan, datum, foutenUit, formulier, kenmerk, leesVastleggen, moment, param, regelModel, soortLabel, STATUS_LABELS,
} from './_werk.js';
import { meldingFormulierModel, meldingUitFormulier, waardenVan } from './_werk-melding.js';

const ROLLEN = ['corporatie-medewerker'] as const;
type Verzoek = FastifyRequest<{ Params: { id: string } }>;

const BERICHTEN: Record<string, string> = {
  ontvangen: 'De melding is ontvangen en gaat naar het wijkteam.',
  bestond: 'Deze melding had u al eerder gedaan, met dezelfde gegevens. Er is niets opnieuw verstuurd.',
  ingetrokken: 'De melding is ingetrokken. Het wijkteam krijgt bericht als de melding het al kan hebben bereikt.',
  'al-ingetrokken': 'De melding was al ingetrokken.',
  aanvulling: 'De aanvulling is ontvangen en gaat naar het wijkteam.',
  'aanvulling-bestond': 'Deze aanvulling had u al doorgegeven.',
};

const hoofdletter = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const JA_NEE = (v: boolean | null | undefined) => (v === true ? 'Ja' : v === false ? 'Nee' : 'Onbekend');

export default (async (app, ctx) => {
  const { sb } = ctx;
  const { werklijsten, lezen, intake, intrekking, aanvullingen } = sb.diensten;
  const basis = app.prefix;

  app.get('/meldingen', async (request, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    const soort = werklijsten.soorten.find((s) => s === param(request.query, 'soort'));
    const lijst = await werklijsten.lijst(bereikVan(g), { ...(soort ? { soort } : {}) });
    const vandaag = amsterdamDatum(sb.klok());
    return ctx.pagina(reply, request, 'corporatie/lijst', {
      titel: 'Meldingen', organisatie: werklijsten.naam(g.oin), nieuw: `${basis}/meldingen/nieuw`, actie: `${basis}/meldingen`,
      regels: lijst.regels.map((r) => ({ ...regelModel(r, { vandaag, link: `${basis}/meldingen/${r.id}`, wijkteam: werklijsten.wijkteamNaam(r.wijkteam) }),
        eindstand: r.status === 'ingetrokken' ? `Ingetrokken op ${moment(r.ingetrokkenOp ?? '')}` : r.status === 'afgesloten' ? `Afgesloten op ${moment(r.afgeslotenOp ?? '')}` : null })),
      leeg: lijst.regels.length === 0, gefilterd: Boolean(soort), totaal: lijst.totaal, afgekapt: lijst.afgekapt,
      soorten: werklijsten.soorten.map((s) => ({ waarde: s, label: soortLabel(s), gekozen: s === soort })),
    });
  });

  async function formulierPagina(reply: FastifyReply, request: FastifyRequest, status: number, waarden: Record<string, string> = {}, fouten: Record<string, string> = {}) {
    const model = meldingFormulierModel(waarden, fouten);
    return ctx.pagina(reply, request, 'corporatie/nieuw', {
      titel: `${model.fouten ? 'Fout: ' : ''}Nieuwe melding`, actie: `${basis}/meldingen`, terug: `${basis}/meldingen`, csrf: ctx.csrf(reply), ...model,
    }, status);
  }

  app.get('/meldingen/nieuw', async (request, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    return formulierPagina(reply, request, 200);
  });

  app.post('/meldingen', async (request, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    const f = formulier(request.body);
    const { invoer, fouten } = meldingUitFormulier(f);
    // Errors only the form can find stop it before the intake; the schema's own errors are listed with them.
    if (Object.keys(fouten).length) {
      const p = meldingSchemaOp(amsterdamDatum(sb.klok())).safeParse(invoer, { reportInput: true });
      return formulierPagina(reply, request, 400, waardenVan(f), { ...(p.success ? {} : foutenUit(invalidParams(p.error.issues))), ...fouten });
    }
    let id: string;
    let nieuw: boolean;
    try {
      const r = await intake.ontvang(g.oin, invoer);
      ({ nieuw } = r);
      id = r.record.id;
    } catch (err) {
      if (!(err instanceof SignaalbrugError)) throw err;
      if (err.code === 'SB_ONGELDIGE_INVOER' || err.code === 'SB_POSTCODE_BUITEN_WERKGEBIED')
        return formulierPagina(reply, request, 400, waardenVan(f), { ...foutenUit(err.invalidParams), ...fouten });
      if (err.code === 'SB_CONFLICT')
        return formulierPagina(reply, request, 409, waardenVan(f), { ...fouten, referentie: 'U hebt onder deze referentie al een andere melding gedaan. Kies een andere referentie.' });
      throw err;
    }
    return reply.code(303).header('Location', `${basis}/meldingen/${id}?bericht=${nieuw ? 'ontvangen' : 'bestond'}`).send();
  });

  /** The detail page: the melding (personal data, so a logboek record), its course, and what the corporation may see of the feedback. */
  async function detail(reply: FastifyReply, request: Verzoek, g: Gebruiker, w: { status?: number; fouten?: Record<string, string>; waarden?: Record<string, string>; melding?: string | null } = {}) {
    const regel = await werklijsten.casus(request.params.id, bereikVan(g));
    const r = await lezen.melding(regel.id);
    if (!r) throw new SignaalbrugError('SB_NIET_GEVONDEN', 'melding niet gevonden');
    await leesVastleggen(sb, request, r.id, g);
    const k = await lezen.terugkoppeling(r.id);
    const e = await lezen.eindresultaat(r.id);
    const zichtbaar = k && terugkoppelingVoorCorporatie(k);
    const eerdere = await aanvullingen.eerdere(r.id);
    const m = r.gegevens;
    // The werkplek is for corporations; a signal of another partner shows its customer all the same.
    const persoon = isSignaal(m) ? m.klant : m.huurder;
    const finaal = r.status === 'ingetrokken' || r.status === 'afgesloten';
    const fouten = w.fouten ?? {};
    const waarden = w.waarden ?? {};
    const veldfout = (naam: string) => fouten[naam] ?? null;
    const gebeurtenissen = (await lezen.gebeurtenissen(r.id)).filter((x) => VERLOOP[x.soort]);
    const bericht = w.melding ?? (BERICHTEN[param(request.query, 'bericht') ?? ''] ?? null);
    const samenvatting = Object.entries(fouten).map(([naam, tekst]) => ({ href: `#${naam === 'reden' ? 'reden' : naam === 'ontruimingsdatum' ? 'aanvulling-ontruimingsdatum' : 'aanvulling-soort-0'}`, tekst }));
    return ctx.pagina(reply, request, 'corporatie/melding', {
      titel: `${samenvatting.length ? 'Fout: ' : ''}Melding ${kenmerk(r.id)}`, kenmerk: kenmerk(r.id), terug: `${basis}/meldingen`, csrf: ctx.csrf(reply),
      bericht, fouten: samenvatting.length ? samenvatting : null,
      referentie: m.referentie, soort: soortLabel(r.soort), status: STATUS_LABELS[r.status], wijkteam: werklijsten.wijkteamNaam(r.wijkteam),
      ontvangen: moment(r.ontvangenOp), uiterlijk: datum(r.terugkoppelingUiterlijk),
      huurder: [persoon.voorletters, persoon.tussenvoegsel, persoon.achternaam].filter(Boolean).join(' '),
      relatienummer: isSignaal(m) ? m.klant.klantnummer : m.huurder.relatienummer,
      adres: `${m.adres.straatnaam} ${m.adres.huisnummer}${m.adres.huisnummertoevoeging ? ` ${m.adres.huisnummertoevoeging}` : ''}, ${m.adres.postcode.slice(0, 4)} ${m.adres.postcode.slice(4)} ${m.adres.woonplaats}`,
      verloop: gebeurtenissen.map((x) => ({ wat: VERLOOP[x.soort]!, op: moment(x.op) })),
      terugkoppeling: zichtbaar ? {
        ontvangen: moment(zichtbaar.ontvangenOp), opTijd: zichtbaar.opTijd ? 'Ja' : 'Nee, na de termijn',
        regels: [
          ...(zichtbaar.ddas ? [
            { vraag: 'Opgepakt door het wijkteam', antwoord: JA_NEE(zichtbaar.ddas.opgepakt) },
            ...(zichtbaar.ddas.datumOpgepakt ? [{ vraag: 'Datum opgepakt', antwoord: datum(zichtbaar.ddas.datumOpgepakt) }] : []),
            ...(zichtbaar.ddas.redenNietOpgepakt ? [{ vraag: 'Reden', antwoord: zichtbaar.ddas.redenNietOpgepakt }] : []),
            { vraag: 'Contactpogingen', antwoord: String(zichtbaar.ddas.contactpogingen.length) },
          ] : [
            { vraag: 'Contact gelegd met de huurder', antwoord: JA_NEE(zichtbaar.contactGelegd) },
            { vraag: 'In behandeling', antwoord: JA_NEE(zichtbaar.inBehandeling) },
          ]),
          { vraag: 'Incasso hervatten', antwoord: JA_NEE(zichtbaar.incassoHervatten) },
          { vraag: 'Hervatting huurbetaling op', antwoord: zichtbaar.hervattingBetalingOp ? datum(zichtbaar.hervattingBetalingOp) : 'geen datum afgesproken' },
        ],
      } : null,
      eindresultaat: e ? { resultaat: eindresultaatVoorCorporatie(e.resultaat), op: moment(e.ontvangenOp) } : null,
      aanvullingen: eerdere.length ? eerdere.map((a) => ({
        wat: a.aanvulling.soort === 'ontruimingsdatum' ? `Ontruimingsdatum ${datum(a.aanvulling.ontruimingsdatum ?? '')}` : 'Betalingsregeling verbroken',
        op: moment(a.aanvulling.ontvangenOp),
      })) : null,
      intrekking: finaal ? null : {
        actie: `${basis}/meldingen/${r.id}/intrekking`, fout: veldfout('reden'),
        redenen: INTREKKINGSREDENEN.map((x) => ({ waarde: x, label: hoofdletter(INTREKKING_LABELS[x] ?? x), gekozen: (waarden.reden ?? 'overig') === x })),
      },
      aanvulling: finaal ? null : {
        actie: `${basis}/meldingen/${r.id}/aanvulling`,
        soortFout: veldfout('soort'), datumFout: veldfout('ontruimingsdatum'), datum: waarden.ontruimingsdatum ?? '',
        keuzes: [['betalingsregeling-verbroken', 'De betalingsregeling is verbroken (convenant art. 3.9)'], ['ontruimingsdatum', 'Er is een ontruimingsdatum bekend (convenant art. 8.1)']]
          .map(([waarde, label], i) => ({ waarde: waarde!, label: label!, id: `aanvulling-soort-${i}`, gekozen: waarden.soort === waarde })),
      },
    }, w.status ?? 200);
  }

  app.get('/meldingen/:id', async (request: Verzoek, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    return detail(reply, request, g);
  });

  app.post('/meldingen/:id/intrekking', async (request: Verzoek, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    // Scope first: a melding of another organisation does not exist here.
    const regel = await werklijsten.casus(request.params.id, bereikVan(g));
    const f = formulier(request.body);
    const reden = INTREKKINGSREDENEN.find((x) => x === f.get('reden')) as Intrekkingsreden | undefined;
    if (!reden) return detail(reply, request, g, { status: 400, fouten: { reden: 'Kies waarom u de melding intrekt.' }, waarden: { reden: '' } });
    try {
      const r = await intrekking.trekIn(regel.id, { oin: g.oin, gebruiker: g.id, kanaal: 'werkplek' }, reden);
      return reply.code(303).header('Location', `${basis}/meldingen/${regel.id}?bericht=${r.nieuw ? 'ingetrokken' : 'al-ingetrokken'}`).send();
    } catch (err) {
      if (err instanceof SignaalbrugError && err.code === 'SB_CONFLICT')
        return detail(reply, request, g, { status: 409, melding: 'Deze melding kan niet meer worden ingetrokken: ze is afgesloten.' });
      throw err;
    }
  });

  app.post('/meldingen/:id/aanvulling', async (request: Verzoek, reply) => {
    const g = await ctx.gebruiker(request, reply, ROLLEN);
    if (!g) return reply;
    const regel = await werklijsten.casus(request.params.id, bereikVan(g));
    const f = formulier(request.body);
    const soort = f.get('soort') ?? '';
    const ruw = (f.get('ontruimingsdatum') ?? '').trim();
    const waarden = { soort, ontruimingsdatum: ruw };
    // The API's schema decides what an update is; a date typed as dd-mm-jjjj is read first.
    const p = aanvullingSchema.safeParse(soort === 'ontruimingsdatum' ? { soort, ontruimingsdatum: leesDatum(ruw) ?? ruw } : { soort });
    if (!p.success) {
      const fouten: Record<string, string> = {};
      if (soort !== 'ontruimingsdatum' && soort !== 'betalingsregeling-verbroken') fouten.soort = 'Kies wat u wilt doorgeven.';
      else fouten.ontruimingsdatum = ruw ? 'Vul een bestaande datum in, bijvoorbeeld 01-03-2027.' : 'Vul de ontruimingsdatum in.';
      return detail(reply, request, g, { status: 400, fouten, waarden });
    }
    try {
      const r = await aanvullingen.vulAan(regel.id, p.data, { oin: g.oin, gebruiker: g.id, kanaal: 'werkplek' });
      return reply.code(303).header('Location', `${basis}/meldingen/${regel.id}?bericht=${r.nieuw ? 'aanvulling' : 'aanvulling-bestond'}`).send();
    } catch (err) {
      if (!(err instanceof SignaalbrugError)) throw err;
      if (err.code === 'SB_ONGELDIGE_INVOER') return detail(reply, request, g, { status: 400, fouten: foutenUit(err.invalidParams), waarden });
      if (err.code === 'SB_CONFLICT') return detail(reply, request, g, { status: 409, melding: 'Deze melding is afgesloten of ingetrokken; een aanvulling is niet meer mogelijk.' });
      throw err;
    }
  });
}) satisfies Paginas;

/** The events a corporation follows its melding by, in its words. */
const VERLOOP: Record<string, string | undefined> = {
  ontvangen: 'Ontvangen door Signaalbrug',
  verzonden: 'Bezorgd bij het wijkteam',
  gelezen: 'Gelezen door het wijkteam',
  'bezorging-mislukt': 'Bezorging mislukt (de beheerder is gewaarschuwd)',
  'herinnering-verzonden': 'Herinnering aan het wijkteam',
  geescaleerd: 'Geëscaleerd naar de troubleshooter',
  teruggekoppeld: 'Terugkoppeling ontvangen',
  'terugkoppeling-gewijzigd': 'Terugkoppeling gewijzigd',
  aanvulling: 'Aanvulling doorgegeven',
  ingetrokken: 'Ingetrokken',
  afgesloten: 'Afgesloten',
  'gegevens-verwijderd': 'Persoonsgegevens verwijderd',
};
