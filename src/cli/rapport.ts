// `signaalbrug rapport` and `signaalbrug ddas`: the convenant's evaluation figures of a period (JSON or
// CSV, small counts suppressed), and a gemeente's DDAS export for the CBS, checked against the
// official schema before it is written. Both use the same report service as the API.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Reikwijdte } from '../diensten/rapportage.js';
import { SignaalbrugError } from '../errors.js';
import { GebruikFout, verplicht } from './gebruik.js';
import type { Omgeving } from './omgeving.js';

const RAPPORT = 'signaalbrug rapport --van <JJJJ-MM-DD> --tot <JJJJ-MM-DD> [--formaat json|csv] [--gemeente <OIN> | --corporatie <OIN>]';
const DDAS = 'signaalbrug ddas --van <JJJJ-MM-DD> --tot <JJJJ-MM-DD> --gemeentecode <0392> [--gemeente <OIN>] [--leverancier <code>] [--uit <bestand>]';

/** A refusal of the service's input rules, as a usage error that names every option at fault. */
function alsGebruik<T>(gebruik: string, f: () => Promise<T>): Promise<T> {
  return f().catch((err: unknown) => {
    if (err instanceof SignaalbrugError && (err.code === 'SB_ONGELDIGE_INVOER' || err.code === 'SB_ROL_NIET_TOEGESTAAN')) {
      const details = err.invalidParams?.map((p) => `--${p.name}: ${p.reason}`).join('\n') ?? err.detail;
      throw new GebruikFout(`${details}\ngebruik: ${gebruik}`);
    }
    throw err;
  });
}

export async function rapport(args: string[], omgeving: () => Promise<Omgeving>): Promise<number> {
  const { values: v } = parseArgs({
    args, strict: true,
    options: { van: { type: 'string' }, tot: { type: 'string' }, formaat: { type: 'string', default: 'json' }, gemeente: { type: 'string' }, corporatie: { type: 'string' } },
  });
  const van = verplicht(v.van, 'van', RAPPORT);
  const tot = verplicht(v.tot, 'tot', RAPPORT);
  if (v.formaat !== 'json' && v.formaat !== 'csv') throw new GebruikFout(`--formaat: json of csv, niet ${v.formaat}\ngebruik: ${RAPPORT}`);
  if (v.gemeente && v.corporatie) throw new GebruikFout(`--gemeente of --corporatie, niet allebei\ngebruik: ${RAPPORT}`);
  const o = await omgeving();
  try {
    const rol = v.gemeente ? 'gemeente' : v.corporatie ? 'corporatie' : undefined;
    const oin = (v.gemeente ?? v.corporatie)?.trim();
    // --corporatie also names another signal partner: its own figures, as a corporation's.
    if (rol && !o.sb.config.organisaties.some((x) => x.oin === oin && (x.rol === rol || (rol === 'corporatie' && x.rol === 'signaalpartner')))) throw new GebruikFout(`--${rol}: ${oin} is geen ${rol} van dit convenant`);
    const reikwijdte: Reikwijdte = rol ? { rol, oin: oin! } : { rol: 'beheer' };
    const r = await alsGebruik(RAPPORT, () => o.sb.diensten.rapportage.evaluatie(van, tot, reikwijdte));
    process.stdout.write(v.formaat === 'csv' ? o.sb.diensten.rapportage.csv(r) : `${JSON.stringify(r, null, 2)}\n`);
    return 0;
  } finally {
    await o.sluit();
  }
}

export async function ddas(args: string[], omgeving: () => Promise<Omgeving>): Promise<number> {
  const { values: v } = parseArgs({
    args, strict: true,
    options: { van: { type: 'string' }, tot: { type: 'string' }, gemeentecode: { type: 'string' }, gemeente: { type: 'string' }, leverancier: { type: 'string' }, uit: { type: 'string' } },
  });
  const van = verplicht(v.van, 'van', DDAS);
  const tot = verplicht(v.tot, 'tot', DDAS);
  const gemeentecode = verplicht(v.gemeentecode, 'gemeentecode', DDAS);
  const o = await omgeving();
  try {
    const gemeenten = o.sb.config.organisaties.filter((x) => x.rol === 'gemeente');
    const gemeente = v.gemeente?.trim() ?? (gemeenten.length === 1 ? gemeenten[0]!.oin : undefined);
    if (!gemeente) throw new GebruikFout(`dit convenant kent ${gemeenten.length} gemeenten: kies er een met --gemeente <OIN>\ngebruik: ${DDAS}`);
    const document = await alsGebruik(DDAS, () =>
      o.sb.diensten.rapportage.ddas({ van, tot, gemeentecode, gemeente, ...(v.leverancier ? { leverancier: v.leverancier.trim() } : {}) }));
    const tekst = `${JSON.stringify(document, null, 2)}\n`;
    if (!v.uit) {
      process.stdout.write(tekst);
      return 0;
    }
    try {
      // Names and addresses of tenants: readable by the owner only, and never over an earlier export.
      writeFileSync(v.uit, tekst, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new GebruikFout(`${v.uit} bestaat al; een export wordt nooit overschreven`);
      throw err;
    }
    const l = document.leveringen[0]!;
    console.log(`${v.uit}: ${l.vroegsignalen.length} vroegsignalen, ${l.vroegsignaalzaken.length} vroegsignaalzaken; geldig tegen het schema van DDAS Vroegsignalering v0.9`);
    return 0;
  } finally {
    await o.sluit();
  }
}
