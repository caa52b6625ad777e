// The `signaalbrug` command: serve, certs --dev, termijn, sleutels, the privacy commands (logboek,
// inzage, verwijder, datalek, sleutel) and the reports (rapport, ddas) in src/cli/.
// Each command imports what it needs inside its own branch (the service, Fastify, BullMQ), so `termijn`
// starts in a tenth of the time. The development tools (`certs --dev`, `dev-smtp`) are in dev/cli.ts.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isGeldigeDatum, werkdagenNa } from './domain/werkdagen.js';
import { GebruikFout } from './cli/gebruik.js';

/** The environment of the operator commands (config, keyring, Redis), loaded when one runs. */
const omgeving = async () => (await import('./cli/omgeving.js')).omgeving();

const HULP = `signaalbrug <opdracht>

  serve [--roles api]               start de rollen (standaard: alle); config uit SIGNAALBRUG_CONFIG
  certs --dev [--dir certs/dev]     maak de ontwikkel-PKI aan (overschrijft nooit bestaande sleutels)
  termijn <ISO-8601> [werkdagen]    uiterste datum voor terugkoppeling bij ontvangst op dat moment
  sleutels nieuw <bestand>          maak een nieuwe sleutelring voor versleuteling in rust
  sleutel toevoegen | roteer | status
                                    nieuwe actieve sleutel; alles opnieuw versleutelen; telling per sleutel
  logboek [--sinds <ISO>] [--tot <ISO>] [--melding <id>] [--activiteit <naam>]
                                    het logboek dataverwerkingen als JSON-regels
  inzage --corporatie <OIN> --relatienummer <nr>
                                    alles wat over deze huurder is opgeslagen (recht op inzage)
  verwijder --corporatie <OIN> --relatienummer <nr>
                                    wis de persoonsgegevens van deze huurder (recht op verwijdering)
  datalek registreer | bijwerken | lijst | getroffen
                                    register van datalekken (004 Bijlage 1 art. 9.3)
  rapport --van <datum> --tot <datum> [--formaat json|csv] [--gemeente <OIN> | --corporatie <OIN>]
                                    evaluatiecijfers van een periode (convenant art. 9.5); kleine aantallen als "< 5"
  ddas --van <datum> --tot <datum> --gemeentecode <0392> [--gemeente <OIN>] [--leverancier <code>] [--uit <bestand>]
                                    DDAS-levering van de gemeente (Uitwisselmodel v0.9), gecontroleerd tegen het schema
  dev-smtp [--port 2525] [--dir var/mail] [--certs certs/dev]
                                    ontwikkel-SMTP-server met STARTTLS die elk bericht als .eml bewaart
`;


/** Receipt moment: an instant with offset, or a plain date/date-time read as Europe/Amsterdam. */
export function ontvangstmoment(s: string): Date {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
  if (!m || !isGeldigeDatum(m[1]!)) throw new GebruikFout(`geen geldige ISO-8601 datum of tijd: ${s}`);
  if (m[2] !== undefined && (Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4] ?? 0) > 59))
    throw new GebruikFout(`geen geldige tijd: ${s}`);
  // Only the Amsterdam date matters; noon at either Dutch offset falls on that same date.
  if (!m[5]) return new Date(`${m[1]}T12:00:00+01:00`);
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new GebruikFout(`geen geldig tijdstip: ${s}`);
  return d;
}

async function main(argv: string[]): Promise<number> {
  const [opdracht, ...rest] = argv;
  switch (opdracht) {
    case 'serve': {
      const { values } = parseArgs({ args: rest, options: { roles: { type: 'string' } }, strict: true });
      const [{ createLogger }, { loadConfig }, { parseRollen, start, stopBijSignaal }] =
        await Promise.all([import('./logger.js'), import('./config.js'), import('./server.js')]);
      const log = createLogger();
      const config = loadConfig(process.env.SIGNAALBRUG_CONFIG);
      const draaiend = await start({ config, rollen: parseRollen(values.roles), log });
      stopBijSignaal(draaiend, log);
      return -1; // keep running
    }
    case 'termijn': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true });
      const [moment, aantal = '5'] = positionals;
      if (!moment || positionals.length > 2) throw new GebruikFout('gebruik: signaalbrug termijn <ISO-8601> [werkdagen]');
      if (!/^[1-9]\d{0,2}$/.test(aantal)) throw new GebruikFout(`werkdagen moet een positief geheel getal zijn: ${aantal}`);
      console.log(werkdagenNa(ontvangstmoment(moment), Number(aantal)));
      return 0;
    }
    case 'sleutels': {
      const [sub, bestand] = rest;
      if (sub !== 'nieuw') return (await import('./cli/sleutel.js')).sleutel(rest, omgeving);
      const { nieuweSleutelring } = await import('./diensten/sleutelbeheer.js');
      if (!bestand) throw new GebruikFout('gebruik: signaalbrug sleutels nieuw <bestand>');
      if (existsSync(bestand)) throw new GebruikFout(`${bestand} bestaat al; een sleutelring wordt nooit overschreven`);
      mkdirSync(path.dirname(path.resolve(bestand)), { recursive: true });
      writeFileSync(bestand, nieuweSleutelring(), { mode: 0o600, flag: 'wx' });
      console.log(`${bestand}: nieuwe sleutelring`);
      return 0;
    }
    case 'logboek':
      return (await import('./cli/rechten.js')).logboek(rest, omgeving);
    case 'inzage':
    case 'verwijder':
      return (await import('./cli/rechten.js')).rechten(opdracht, rest, omgeving);
    case 'datalek':
      return (await import('./cli/datalek.js')).datalek(rest, omgeving);
    case 'sleutel':
      return (await import('./cli/sleutel.js')).sleutel(rest, omgeving);
    case 'rapport':
      return (await import('./cli/rapport.js')).rapport(rest, omgeving);
    case 'ddas':
      return (await import('./cli/rapport.js')).ddas(rest, omgeving);
    case 'certs':
    case 'dev-smtp':
      // Development tools live in dev/ (never imported by the service); bin/signaalbrug.js runs them.
      throw new GebruikFout(`${opdracht} is een ontwikkelopdracht: start hem met bin/signaalbrug.js`);
    case undefined:
    case 'help':
    case '--help':
      console.log(HULP);
      return opdracht ? 0 : 2;
    default:
      throw new GebruikFout(`onbekende opdracht: ${opdracht}\n\n${HULP}`);
  }
}

export async function run(argv: string[], opdracht: (argv: string[]) => Promise<number> = main): Promise<void> {
  try {
    const code = await opdracht(argv);
    if (code >= 0) process.exitCode = code;
  } catch (err) {
    const bekend = err instanceof GebruikFout || (err as { code?: string }).code === 'SB_CONFIG' || (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
    console.error(`signaalbrug: ${(err as Error).message}`);
    if (!bekend && process.env.DEBUG) console.error(err);
    process.exitCode = bekend ? 2 : 1;
  }
}
