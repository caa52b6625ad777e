// `signaalbrug datalek`: the breach register of 004 Bijlage 1 art. 9.3, one option per field (a–j),
// and the meldingen and organisations affected in a window, to inform partners within 24 hours (art. 9.1).
import { parseArgs } from 'node:util';
import type { Datalek } from '../diensten/datalekken.js';
import { GebruikFout, jaNee, tijdstip, verplicht } from './gebruik.js';
import type { Omgeving } from './omgeving.js';

const TEKST = ['aard', 'oorzaak', 'omvang', 'categorieen-betrokkenen', 'soort-gegevens', 'versleuteld-toelichting', 'contact', 'gevolgen', 'maatregelen', 'reden-ap'] as const;
const OPTIES = Object.fromEntries([...TEKST, 'plaatsgevonden-van', 'plaatsgevonden-tot', 'bekend-op', 'versleuteld', 'gemeld-ap']
  .map((o) => [o, { type: 'string' as const }]));
const GEBRUIK = `signaalbrug datalek registreer --aard <tekst> --plaatsgevonden-van <ISO> --bekend-op <ISO> [--plaatsgevonden-tot <ISO>]
    [--oorzaak] [--omvang] [--categorieen-betrokkenen] [--soort-gegevens] [--versleuteld ja|nee|onbekend]
    [--versleuteld-toelichting] [--contact] [--gevolgen] [--maatregelen] [--gemeld-ap ja|nee] [--reden-ap]
  signaalbrug datalek bijwerken <id> [dezelfde opties]
  signaalbrug datalek lijst
  signaalbrug datalek getroffen (--van <ISO> --tot <ISO> | --datalek <id>)`;

const camel = (o: string) => o.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** The fields given on the command line, validated; absent ones stay absent. */
function velden(v: Record<string, string | undefined>): Partial<Datalek> {
  const d: Record<string, unknown> = {};
  for (const o of TEKST) if (v[o] !== undefined) d[o === 'reden-ap' ? 'redenAp' : camel(o)] = v[o]!.trim() || null;
  for (const o of ['plaatsgevonden-van', 'plaatsgevonden-tot', 'bekend-op'])
    if (v[o] !== undefined) d[camel(o)] = tijdstip(v[o], o)!.toISOString();
  if (v.versleuteld !== undefined) d.versleuteld = jaNee(v.versleuteld, 'versleuteld');
  if (v['gemeld-ap'] !== undefined) d.gemeldBijAp = jaNee(v['gemeld-ap'], 'gemeld-ap');
  return d as Partial<Datalek>;
}

export async function datalek(args: string[], omgeving: () => Promise<Omgeving>): Promise<number> {
  const [sub, ...rest] = args;
  if (!['registreer', 'bijwerken', 'lijst', 'getroffen'].includes(sub ?? '')) throw new GebruikFout(`gebruik: ${GEBRUIK}`);
  const opties = sub === 'getroffen' ? { van: { type: 'string' as const }, tot: { type: 'string' as const }, datalek: { type: 'string' as const } } : OPTIES;
  const { values, positionals } = parseArgs({ args: rest, options: opties, allowPositionals: sub === 'bijwerken', strict: true });
  const v = values as Record<string, string | undefined>;
  const o = await omgeving();
  try {
    const register = o.sb.diensten.datalekken;
    const { ontbreekt } = register;
    if (sub === 'registreer') {
      const d = velden(v);
      for (const k of ['aard', 'plaatsgevonden-van', 'bekend-op']) verplicht(v[k], k, GEBRUIK);
      const g = await register.registreer(d);
      print({ id: g.id, geregistreerdOp: g.geregistreerdOp, ontbreekt: ontbreekt(g) });
      if (ontbreekt(g).length) console.error(`signaalbrug: vul aan met 'datalek bijwerken ${g.id}' (004 Bijlage 1 art. 9.3): ${ontbreekt(g).join(', ')}`);
    } else if (sub === 'bijwerken') {
      const [id] = positionals;
      if (!id) throw new GebruikFout(`gebruik: ${GEBRUIK}`);
      const g = await register.werkBij(id, velden(v)).catch((err: Error) => { throw new GebruikFout(err.message); });
      print({ id: g.id, bijgewerktOp: g.bijgewerktOp, ontbreekt: ontbreekt(g) });
    } else if (sub === 'lijst') {
      for (const g of await register.lijst()) print({ ...g, ontbreekt: ontbreekt(g) }, false);
    } else {
      const lek = v.datalek ? await register.haal(v.datalek) : undefined;
      if (v.datalek && !lek) throw new GebruikFout(`datalek ${v.datalek} bestaat niet`);
      const van = lek ? new Date(lek.plaatsgevondenVan) : tijdstip(verplicht(v.van, 'van', GEBRUIK), 'van')!;
      const tot = lek ? new Date(lek.plaatsgevondenTot ?? lek.bekendOp) : tijdstip(verplicht(v.tot, 'tot', GEBRUIK), 'tot')!;
      if (tot < van) throw new GebruikFout('--tot ligt voor --van');
      print(await register.getroffen(van, tot, lek?.bekendOp));
    }
    return 0;
  } finally {
    await o.sluit();
  }
}

function print(x: unknown, mooi = true): void {
  console.log(mooi ? JSON.stringify(x, null, 2) : JSON.stringify(x));
}
