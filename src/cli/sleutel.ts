// `signaalbrug sleutel`: a new active key in the keyring file, the re-encryption of everything in
// Redis with it while the service runs, and a count of ciphertexts per key id.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { metNieuweSleutel } from '../diensten/sleutelbeheer.js';
import { GebruikFout } from './gebruik.js';
import type { Omgeving } from './omgeving.js';

const GEBRUIK = `signaalbrug sleutel toevoegen          nieuwe actieve sleutel in versleuteling.sleutelbestand
  signaalbrug sleutel roteer [--batch 200] [--pauze-ms 0]   alles in Redis opnieuw versleutelen met de actieve sleutel
  signaalbrug sleutel status             aantal versleutelde velden per sleutel`;

export async function sleutel(args: string[], omgeving: () => Promise<Omgeving>): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'toevoegen') {
    const bestand = loadConfig(process.env.SIGNAALBRUG_CONFIG).versleuteling.sleutelbestand;
    if (!bestand || process.env.SIGNAALBRUG_SLEUTELS) throw new GebruikFout('toevoegen werkt op versleuteling.sleutelbestand; met SIGNAALBRUG_SLEUTELS beheert u de ring zelf');
    const { tekst, kid } = metNieuweSleutel(readFileSync(bestand, 'utf8'), bestand);
    writeFileSync(`${bestand}.nieuw`, tekst, { mode: 0o600 });
    renameSync(`${bestand}.nieuw`, bestand); // atomic: a running service never reads half a file
    console.log(`${bestand}: sleutel ${kid} toegevoegd en actief; draaiende diensten nemen hem over binnen versleuteling.herlaadSeconden; daarna: signaalbrug sleutel roteer`);
    return 0;
  }
  if (sub !== 'roteer' && sub !== 'status') throw new GebruikFout(`gebruik: ${GEBRUIK}`);
  const { values } = parseArgs({ args: rest, strict: true, options: { batch: { type: 'string' }, 'pauze-ms': { type: 'string' } } });
  const getal = (s: string | undefined, naam: string, standaard: number) => {
    if (s === undefined) return standaard;
    if (!/^\d{1,6}$/.test(s)) throw new GebruikFout(`--${naam}: een geheel getal, niet ${s}`);
    return Number(s);
  };
  const batch = Math.max(1, getal(values.batch, 'batch', 200));
  const pauzeMs = getal(values['pauze-ms'], 'pauze-ms', 0);
  const o = await omgeving();
  try {
    const beheer = o.sb.diensten.sleutelbeheer;
    if (sub === 'status') {
      console.log(JSON.stringify({ actief: beheer.actief, perSleutel: await beheer.status() }));
      return 0;
    }
    const verslag = await beheer.roteer({ batch, pauzeMs });
    const oud = Object.entries(verslag.perSleutel).filter(([kid]) => kid !== beheer.actief);
    console.log(JSON.stringify({ actief: beheer.actief, ...verslag }));
    if (oud.length) {
      console.error(`signaalbrug: nog versleuteld met ${oud.map(([k, n]) => `${k} (${n})`).join(', ')}: draait er een dienst die de nieuwe sleutelring nog niet heeft?`);
      return 1;
    }
    return 0;
  } finally {
    await o.sluit();
  }
}
