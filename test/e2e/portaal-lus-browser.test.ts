// Close the loop, as a social worker meets it, in real Chromium (Debian `chromium` through
// playwright-core) with axe on every page: a wijkteam on S/MIME (postcode 2011, wijkteam Noord)
// decrypts its melding with `openssl cms`, follows the feedback link inside it, enters the code from
// the second mail and gives the eerste terugkoppeling on DDAS's terms; the corporation sees it through
// the API and its feed. Later the wijkteam gives the eindresultaat in the portal, which ends the case
// (`afgesloten`), and the retention job removes its personal data when its term ends, not before.
// The service clock is the real one plus a shift the test moves (never a calendar date).
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import t from 'tap';
import { lopendeKlok } from '../helpers/klok.js';
import { kenmerk } from '../../src/domain/portaalberichten.js';
import { amsterdamDatum } from '../../src/domain/werkdagen.js';
import { build, voorbeeldMelding, wachtOp } from '../helpers/build.js';
import { kop, openSmime, platteTekst, verwachteMessageId } from '../helpers/mail.js';
import { axeFouten } from '../helpers/portaal.js';
import { ROOT } from '../helpers/root.js';

const CHROMIUM = '/usr/bin/chromium';
const SCHERMAFDRUKKEN = path.join(ROOT, 'test-results', 'portaal-lus');
const ELAN = 'elan-wonen';
const DAG = 86_400_000;

t.test('S/MIME wijkteam in Chromium: decrypt, link, code, DDAS feedback, eindresultaat, afgesloten, removed on time', async (t) => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} ontbreekt: apt-get install chromium (scripts/test doet dat)`);
  mkdirSync(SCHERMAFDRUKKEN, { recursive: true });
  let verschuiving = 0;
  // The tests' running clock (the real now, or SB_TEST_DATUM), moved ahead by the test for retention.
  const klok = () => new Date(lopendeKlok().getTime() + verschuiving);
  const app = await build(t, {
    rollen: ['api', 'portal', 'worker'], klok,
    configAanpassen: (d) => (d.privacy = { opruimSeconden: 0.2, bewaartermijnDagen: 365, weigeringBewaartermijnDagen: 183, uiterlijkeBewaartermijnDagen: 730 }),
  });
  const post = await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldMelding({ referentie: 'LUS-CHROMIUM', adres: { ...voorbeeldMelding().adres, postcode: '2011DE' } }));
  t.equal(post.status, 201, post.tekst);
  t.equal(post.body.wijkteam, 'Sociaal Wijkteam Noord');
  const id: string = post.body.id;
  const achternaam: string = voorbeeldMelding().huurder.achternaam;

  // The wijkteam decrypts its mail as it would at its desk.
  const mail = await wachtOp(async () => app.sink!.bestanden().find((f) => kop(readFileSync(f, 'utf8'), 'Message-ID') === verwachteMessageId(app.config, id, 'melding-aan-wijkteam', 'wijkteam')));
  const inhoud = platteTekst(openSmime(mail, app.pki, 'wijkteam-noord').inhoud);
  const link = /https:\/\/localhost:\d+(\/b\/[A-Za-z0-9_-]{43})/.exec(inhoud)![1]!;

  const spki = createHash('sha256')
    .update(new X509Certificate(readFileSync(path.join(app.pki, 'server.crt'))).publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--ignore-certificate-errors-spki-list=${spki}`],
  });
  t.teardown(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
  const pagina = await context.newPage();
  const cspFouten: string[] = [];
  pagina.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) cspFouten.push(m.text()); });
  let n = 0;
  const bekijk = async (naam: string, pg: Page = pagina) => {
    await pg.screenshot({ path: path.join(SCHERMAFDRUKKEN, `${++n}-${naam}.png`), fullPage: true });
    t.same(await axeFouten(pg), [], `${naam}: axe finds nothing`);
  };

  await pagina.goto(`https://localhost:${app.portalPort}${link}`);
  t.match(await pagina.locator('main').textContent(), `Kenmerk ${kenmerk(id)}`);
  t.match(await pagina.locator('main').textContent(), 'Terugkoppeling wordt verwacht uiterlijk');
  await bekijk('start');
  const voor = app.sink!.bestanden().length;
  await pagina.getByRole('button', { name: 'Stuur mij een toegangscode' }).click();
  await pagina.waitForURL(/\/toegang\?verstuurd=1$/);
  await bekijk('code');
  const codeMail = readFileSync(await wachtOp(async () => app.sink!.bestanden().length > voor && app.sink!.bestanden().at(-1)), 'utf8');
  t.match(kop(codeMail, 'To'), 'wijkteam-noord@haarlem.example', 'the code by a second mail');
  t.match(platteTekst(codeMail), `kenmerk ${kenmerk(id)}`, 'the code mail names the message it belongs to');
  await pagina.getByLabel('Toegangscode').fill(/toegangscode is: (\d{6})/.exec(platteTekst(codeMail))![1]!);
  await pagina.getByRole('button', { name: 'Bericht openen' }).click();
  await pagina.waitForURL(/\/bericht$/);
  t.match(await pagina.locator('.melding-inhoud').textContent(), achternaam, 'the melding is shown');
  await bekijk('bericht');

  // The eerste terugkoppeling on DDAS's terms; first an attempt dated tomorrow, which the form refuses.
  const vandaag = amsterdamDatum(klok());
  const morgen = amsterdamDatum(new Date(klok().getTime() + DAG));
  const groep = (naam: string | RegExp) => pagina.getByRole('group', { name: naam });
  await groep(/Is de melding opgepakt\?/).getByLabel('Ja').check();
  await pagina.getByLabel(/^Datum opgepakt/).fill(vandaag);
  const poging = groep('Contactpoging 1');
  await poging.getByLabel('Soort contact').selectOption('Telefoon');
  await poging.getByRole('group', { name: 'Huurder bereikt?' }).getByLabel('Ja').check();
  await poging.getByLabel('Datum').fill(morgen);
  await poging.getByLabel('Dagdeel').selectOption('Middag');
  await groep(/Mag de corporatie de incasso hervatten\?/).getByLabel('Nee').check();
  await pagina.getByRole('button', { name: 'Terugkoppeling versturen' }).click();
  await pagina.locator('.foutoverzicht').waitFor();
  t.match(await pagina.locator('.foutoverzicht').textContent(), 'Een contactpoging kan niet in de toekomst liggen.');
  await bekijk('formulier-fout');
  await groep('Contactpoging 1').getByLabel('Datum').fill(vandaag);
  await pagina.getByRole('button', { name: 'Terugkoppeling versturen' }).click();
  await pagina.getByRole('heading', { name: 'Terugkoppeling ontvangen' }).waitFor();
  t.match(await pagina.getByRole('status').textContent(), /verstuurd op \d{2}-\d{2}-\d{4} om \d{2}:\d{2}/, 'when, in Dutch local time');
  t.match(await pagina.locator('main').textContent(), 'Wat gebeurt er nu?');
  await bekijk('bedankt');

  // The corporation sees it through the API and its feed.
  const gezien = (await app.vraag(ELAN, 'GET', `/v1/meldingen/${id}`)).body;
  t.equal(gezien.status, 'teruggekoppeld');
  t.match(gezien.terugkoppeling, { contactGelegd: true, inBehandeling: true, incassoHervatten: false, contactpogingen: [vandaag],
    ddas: { opgepakt: true, datumOpgepakt: vandaag, contactpogingen: [{ soort: 'Telefoon', bereikt: true, datum: vandaag, dagdeel: 'Middag' }] } });
  t.match(gezien.gebeurtenissen.find((g: any) => g.soort === 'teruggekoppeld'), { kanaal: 'portaal', opTijd: true });
  const feed = (await app.vraag(ELAN, 'GET', '/v1/terugkoppelingen?sinds=0')).body;
  t.match(feed.terugkoppelingen.filter((x: any) => x.melding === id), [{ referentie: 'LUS-CHROMIUM', soort: 'terugkoppeling', terugkoppeling: { ddas: { opgepakt: true } } }]);

  // Later: the eindresultaat ends the case.
  await pagina.getByRole('link', { name: 'Terug naar het bericht' }).click();
  await pagina.waitForURL(/\/bericht$/);
  t.notMatch(await pagina.locator('.termijn').first().textContent(), 'uiterlijk', 'no longer "expected"');
  await bekijk('bericht-beantwoord');
  await groep(/Eindresultaat/).getByLabel('(Budget)advies en/of quick fix').check();
  await pagina.getByRole('button', { name: 'Eindresultaat versturen en melding afsluiten' }).click();
  await pagina.getByRole('heading', { name: 'Melding afgesloten' }).waitFor();
  await bekijk('afgesloten');
  t.same(cspFouten, [], 'no CSP violations');

  const afgesloten = (await app.vraag(ELAN, 'GET', `/v1/meldingen/${id}`)).body;
  t.equal(afgesloten.status, 'afgesloten');
  t.equal(afgesloten.eindresultaat, 'Opgepakt en afgesloten', 'the help given stays with the gemeente');
  const einde = Date.parse(afgesloten.gebeurtenissen.find((g: any) => g.soort === 'afgesloten').op);

  // Retention: 365 days after the end, not a second before.
  const { sb } = app.draaiend;
  verschuiving = einde + 365 * DAG - 60_000 - lopendeKlok().getTime();
  await new Promise((r) => setTimeout(r, 1000));
  t.equal((await app.vraag(ELAN, 'GET', `/v1/meldingen/${id}`)).status, 200, 'still there a minute before its term');
  verschuiving = einde + 365 * DAG + 1000 - lopendeKlok().getTime();
  await wachtOp(async () => (await sb.redis.hexists(sb.namen.melding(id), 'verwijderdOp')) === 1);
  t.equal((await app.vraag(ELAN, 'GET', `/v1/meldingen/${id}`)).status, 404, 'removed when its term ends');
  t.equal(await sb.redis.hexists(sb.namen.melding(id), 'gegevens'), 0, 'its personal data is gone');
  t.equal((await app.vraag('wijkteam-haarlem', 'GET', `/v1/meldingen/${id}`)).status, 404);
  const na = await context.newPage();
  await na.goto(`https://localhost:${app.portalPort}${link}`);
  t.match(await na.getByRole('heading', { level: 1 }).textContent(), 'Deze link werkt niet', 'and the link with it');
});
