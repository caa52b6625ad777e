// The portal end to end: a melding for postcode 2035 is posted over mutual TLS; real Chromium (Debian
// `chromium`, driven by playwright-core) takes the link from the worker's notification mail in the SMTP sink, asks for a code, fails once, reads the code from the
// sink, opens the melding, downloads it, gives terugkoppeling; then `gelezen` and `teruggekoppeld`
// are on the melding. Screenshots of every page (phone width) go to test-results/portaal/.
// (Browser-side checks are passed as strings: this project compiles without the DOM lib.)
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import t from 'tap';
import { amsterdamDatum } from '../../src/domain/werkdagen.js';
import { build, wachtOp } from '../helpers/build.js';
import { plusDagen } from '../helpers/klok.js';
import { platteTekst } from '../helpers/mail.js';
import { axeFouten, KANARIE, kanarieMelding } from '../helpers/portaal.js';
import { ROOT } from '../helpers/root.js';

const CHROMIUM = '/usr/bin/chromium';
const SCHERMAFDRUKKEN = path.join(ROOT, 'test-results', 'portaal');

t.test('a recipient in Chromium: link, code, wrong code, melding, terugkoppeling', async (t) => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} ontbreekt: apt-get install chromium (scripts/test doet dat)`);
  mkdirSync(SCHERMAFDRUKKEN, { recursive: true });
  // The whole service: API, portal and worker; the melding goes in over mutual TLS.
  const app = await build(t, { rollen: ['api', 'portal', 'worker'] });
  const m = kanarieMelding();
  const post = await app.vraag('elan-wonen', 'POST', '/v1/meldingen', m);
  t.equal(post.status, 201, post.tekst);
  t.equal(post.body.wijkteam, 'Sociaal Wijkteam Zuid', 'postcode 2035 goes to the wijkteam with beveiligde-link');
  const id = post.body.id as string;
  const mails = () => app.sink!.bestanden().map((f) => readFileSync(f, 'utf8'));
  await wachtOp(async () => mails().length === 1);
  const notificatie = mails()[0]!;
  for (const [veld, waarde] of Object.entries(KANARIE)) t.notOk(notificatie.includes(waarde), `notification mail: no ${veld}`);
  const link = /https:\/\/(?:localhost|127\.0\.0\.1):\d+(\/b\/[A-Za-z0-9_-]{43})/.exec(platteTekst(notificatie))![1]!;
  const p = {
    pki: app.pki, port: app.portalPort,
    codeUitMail: () => /toegangscode is: (\d{6})/.exec(platteTekst(mails().at(-1)!))?.[1],
  };

  // Trust exactly the portal's certificate (its public key), rather than ignoring all TLS errors.
  const spki = createHash('sha256')
    .update(new X509Certificate(readFileSync(path.join(p.pki, 'server.crt'))).publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--ignore-certificate-errors-spki-list=${spki}`],
  });
  t.teardown(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, locale: 'nl-NL', acceptDownloads: true });
  const pagina = await context.newPage();
  const cspFouten: string[] = [];
  pagina.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) cspFouten.push(m.text()); });
  const basis = `https://localhost:${p.port}`;
  let n = 0;
  const schermafdruk = async (naam: string, pg: Page = pagina) => {
    await pg.screenshot({ path: path.join(SCHERMAFDRUKKEN, `${++n}-${naam}.png`), fullPage: true });
    t.same(await axeFouten(pg), [], `${naam}: axe finds nothing`);
  };
  const geenHorizontaleScroll = () => pagina.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');

  await pagina.goto(basis + link);
  t.equal(await pagina.getByRole('heading', { level: 1 }).textContent(), 'Er staat een beveiligd bericht voor u klaar van Elan Wonen');
  t.equal(await pagina.evaluate<string>('document.documentElement.lang'), 'nl');
  t.equal(await pagina.evaluate<string>('getComputedStyle(document.querySelector(".knop")).backgroundColor'), 'rgb(0, 112, 60)', 'the stylesheet loads under the CSP');
  t.ok(await geenHorizontaleScroll(), 'fits a phone');
  const tekstVoorCode = [await pagina.content()];
  await schermafdruk('start');
  await pagina.keyboard.press('Tab');
  t.equal(await pagina.locator(':focus').textContent(), 'Direct naar de inhoud', 'the skip link comes first');
  await pagina.keyboard.press('Tab');
  t.equal(await pagina.locator(':focus').textContent(), 'Stuur mij een toegangscode', 'then the one action');

  await pagina.getByRole('button', { name: 'Stuur mij een toegangscode' }).click();
  await pagina.waitForURL(/\/toegang\?verstuurd=1$/);
  t.match(await pagina.getByRole('status').textContent(), 'We hebben een toegangscode gestuurd');
  tekstVoorCode.push(await pagina.content());
  await schermafdruk('code');
  const code = p.codeUitMail()!;

  await pagina.getByLabel('Toegangscode').fill(code === '000000' ? '111111' : '000000');
  await pagina.getByRole('button', { name: 'Bericht openen' }).click();
  await pagina.locator('#code-fout').waitFor();
  t.match(await pagina.locator('#code-fout').textContent(), 'De code is onjuist');
  t.equal(await pagina.locator(':focus').getAttribute('id'), 'code', 'focus back on the field with the error');
  t.equal(await pagina.getByLabel('Toegangscode').getAttribute('aria-invalid'), 'true');
  tekstVoorCode.push(await pagina.content());
  await schermafdruk('foute-code');
  for (const [veld, waarde] of Object.entries(KANARIE)) t.notOk(tekstVoorCode.some((s) => s.includes(waarde)), `before the code: no ${veld}`);

  await pagina.getByLabel('Toegangscode').fill(code);
  await pagina.getByRole('button', { name: 'Bericht openen' }).click();
  await pagina.waitForURL(/\/bericht$/);
  t.match(await pagina.locator('.melding-inhoud').textContent(), KANARIE.achternaam, 'the melding is shown');
  t.ok(await geenHorizontaleScroll(), 'the melding fits a phone');
  const cookies = await context.cookies();
  t.match(cookies.find((c) => c.name === '__Secure-sb-sessie'), { httpOnly: true, secure: true, sameSite: 'Strict', path: '/b/' });
  await schermafdruk('bericht');

  const [download] = await Promise.all([pagina.waitForEvent('download'), pagina.getByRole('link', { name: /Bericht opslaan/ }).click()]);
  t.equal(download.suggestedFilename(), 'signaalbrug-bericht.eml');
  t.match(platteTekst(readFileSync((await download.path())!, 'utf8')), KANARIE.achternaam, 'the own copy');

  await pagina.getByRole('button', { name: 'Terugkoppeling versturen' }).click();
  await pagina.locator('.foutoverzicht').waitFor();
  t.equal(await pagina.locator(':focus').getAttribute('class'), 'foutoverzicht', 'focus on the error summary');
  await schermafdruk('formulier-fouten');
  await pagina.getByRole('link', { name: /Is de melding opgepakt/ }).click();
  t.equal(await pagina.locator(':focus').getAttribute('id'), 'opgepakt-0', 'the summary leads to the field');

  const vandaag = amsterdamDatum(app.draaiend.sb.klok());
  const groep = (naam: string | RegExp) => pagina.getByRole('group', { name: naam });
  await groep(/Is de melding opgepakt\?/).getByLabel('Ja').check();
  await pagina.getByLabel(/^Datum opgepakt/).fill(vandaag);
  await groep('Contactpoging 1').getByLabel('Soort contact').selectOption('Huisbezoek');
  await groep('Contactpoging 1').getByRole('group', { name: 'Huurder bereikt?' }).getByLabel('Ja').check();
  await groep('Contactpoging 1').getByLabel('Datum').fill(vandaag);
  await groep(/Mag de corporatie de incasso hervatten\?/).getByLabel('Nee').check();
  await pagina.getByLabel('Afgesproken datum waarop de huurbetaling weer begint').fill(plusDagen(vandaag, 10));
  await pagina.getByRole('button', { name: 'Terugkoppeling versturen' }).click();
  await pagina.getByRole('heading', { name: 'Terugkoppeling ontvangen' }).waitFor();
  await schermafdruk('bedankt');

  const breed = await context.newPage();
  await breed.setViewportSize({ width: 1280, height: 900 });
  await breed.goto(`${basis}${link}/bericht`);
  await schermafdruk('bericht-breed', breed);

  t.same(cspFouten, [], 'no CSP violations');
  // The corporation, through the API, sees that the message was read and answered.
  const zicht = (await app.vraag('elan-wonen', 'GET', `/v1/meldingen/${id}`)).body;
  t.equal(zicht.status, 'teruggekoppeld');
  t.match(zicht.gebeurtenissen.map((g: any) => g.soort), ['ontvangen', 'verzonden', 'gelezen', 'teruggekoppeld'], 'gelezen and teruggekoppeld, in order');
  t.match(zicht.gebeurtenissen.find((g: any) => g.soort === 'teruggekoppeld'), { kanaal: 'portaal', opTijd: true });
  t.match(zicht.terugkoppeling, { contactGelegd: true, inBehandeling: true, incassoHervatten: false,
    hervattingBetalingOp: plusDagen(vandaag, 10), contactpogingen: [vandaag], ddas: { opgepakt: true, datumOpgepakt: vandaag } });
});
