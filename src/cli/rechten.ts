// `signaalbrug logboek`, `inzage` and `verwijder`: the logboek dataverwerkingen as JSON lines, and
// the tenant's rights of access and erasure (AVG art. 15 and 17), each recorded in the logboek.
import { parseArgs } from 'node:util';
import { SignaalbrugError } from '../errors.js';
import { GebruikFout, tijdstip, verplicht } from './gebruik.js';
import type { Omgeving } from './omgeving.js';

const LOGBOEK = 'signaalbrug logboek [--sinds <ISO>] [--tot <ISO>] [--melding <id>] [--activiteit <naam>] [--corporatie <OIN> --relatienummer <nr>]';
const BETROKKENE = (wat: string) => `signaalbrug ${wat} --corporatie <OIN> --relatienummer <nr>`;

export async function logboek(args: string[], omgeving: () => Promise<Omgeving>): Promise<number> {
  const { values: v } = parseArgs({
    args, strict: true,
    options: { sinds: { type: 'string' }, tot: { type: 'string' }, melding: { type: 'string' }, activiteit: { type: 'string' },
      corporatie: { type: 'string' }, relatienummer: { type: 'string' } },
  });
  const sinds = tijdstip(v.sinds, 'sinds');
  const tot = tijdstip(v.tot, 'tot');
  if (sinds && tot && tot < sinds) throw new GebruikFout('--tot ligt voor --sinds');
  if ((v.corporatie === undefined) !== (v.relatienummer === undefined)) throw new GebruikFout(`--corporatie en --relatienummer horen bij elkaar\ngebruik: ${LOGBOEK}`);
  const o = await omgeving();
  try {
    const filter = { sinds, tot, melding: v.melding, activiteit: v.activiteit, corporatie: v.corporatie, relatienummer: v.relatienummer };
    for await (const r of o.sb.diensten.rechten.logboek(filter)) console.log(JSON.stringify(r));
    return 0;
  } finally {
    await o.sluit();
  }
}

export async function rechten(wat: 'inzage' | 'verwijder', args: string[], omgeving: () => Promise<Omgeving>): Promise<number> {
  const { values: v } = parseArgs({ args, strict: true, options: { corporatie: { type: 'string' }, relatienummer: { type: 'string' } } });
  const oin = verplicht(v.corporatie, 'corporatie', BETROKKENE(wat));
  const relatienummer = verplicht(v.relatienummer, 'relatienummer', BETROKKENE(wat));
  const o = await omgeving();
  try {
    const r = o.sb.diensten.rechten;
    const uitkomst = wat === 'inzage' ? await r.inzage(oin, relatienummer) : await r.verwijder(oin, relatienummer);
    console.log(JSON.stringify(uitkomst, null, 2));
    return 0;
  } catch (err) {
    if (err instanceof SignaalbrugError && err.code === 'SB_ONGELDIGE_INVOER') throw new GebruikFout(err.detail);
    throw err;
  } finally {
    await o.sluit();
  }
}
