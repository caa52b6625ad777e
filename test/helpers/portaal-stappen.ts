// Steps shared by the portal tests: ask for a code, sign in, and the grep for personal data.
import { KANARIE, sessieCookie, type Antwoord, type Portaal } from './portaal.js';

type Test = { notOk(v: unknown, m: string): void };

/** None of the test melding's personal data in `tekst`. */
export function geenPersoonsgegevens(t: Test, tekst: string, waar: string): void {
  for (const [veld, waarde] of Object.entries(KANARIE)) t.notOk(tekst.includes(waarde), `${waar}: no ${veld}`);
}

/** Headers and body, for a grep of everything a response shows. */
export const alles = (a: Antwoord) => `${JSON.stringify(a.headers)}\n${a.tekst}`;

export const fouteCode = (goed: string) => (goed === '000000' ? '111111' : '000000');

export async function vraagCode(p: Portaal, token: string): Promise<string> {
  const r = await p.vraag('POST', `/b/${token}/code`, { form: {} });
  if (r.status !== 303) throw new Error(`code request: ${r.status}`);
  return p.codeUitMail()!;
}

/** Ask for a code and enter it: the session cookie. */
export async function meldAan(p: Portaal, token: string): Promise<string> {
  const r = await p.vraag('POST', `/b/${token}/toegang`, { form: { code: await vraagCode(p, token) } });
  return sessieCookie(r)!;
}
