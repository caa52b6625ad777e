// The werkplek's main tasks in real Chromium (playwright-core), each role logged in through the dev
// OpenID Provider's login page: the corporation submits a melding by hand (first with errors) and
// withdraws another; wijkteam Noord opens the new melding, gives the eerste terugkoppeling and the
// eindresultaat; the troubleshooter takes up an escalation and records the outcome. Every werkplek
// page on the way has 0 axe violations (WCAG 2.1 A/AA, @axe-core/playwright) and no horizontal
// scroll; screenshots at 390 px and 1280 px go to test-results/werkplek/. The escalation comes from
// the injected clock: received weeks earlier, escalated on the sweep.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import t from 'tap';
import { dagenVoorBasis, voorbeeldMelding } from '../helpers/build.js';
import { testKlok } from '../helpers/klok.js';
import { ROOT } from '../helpers/root.js';
import { amsterdamDatum } from '../../src/domain/werkdagen.js';
import { bouwWerkplek } from '../helpers/werkplek.js';

const SCHERMAFDRUKKEN = path.join(ROOT, 'test-results', 'werkplek');
const ELAN = '00000099000000000001';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

t.test('corporation, wijkteam and troubleshooter do their main task in Chromium, accessible at 390 and 1280 px', async (t) => {
  mkdirSync(SCHERMAFDRUKKEN, { recursive: true });
  const klok = testKlok();
  const w = await bouwWerkplek(t, { klok: klok.klok });
  const sb = w.app.draaiend.sb;
  const { intake, termijnen, casussen, escalaties } = sb.diensten;
  const vandaag = amsterdamDatum(klok.nu());

  for (const breedte of [390, 1280]) {
    await t.test(`${breedte} px`, async (t) => {
      // Meldingen of this run: one to withdraw (received now), one that escalated (received weeks ago).
      const nu = klok.nu();
      const intrekken = (await intake.ontvang(ELAN, voorbeeldMelding({ referentie: `INTREK-${breedte}` }))).record;
      klok.zet(new Date(nu.getTime() - 20 * 86_400_000));
      const geescaleerd = (await intake.ontvang(ELAN, voorbeeldMelding({ referentie: `ESC-${breedte}` }))).record;
      klok.zet(nu);
      while (await termijnen.sweep() > 0) { /* the old melding escalates */ }
      t.equal((await casussen.meta(geescaleerd.id))?.status, 'geescaleerd');

      const cspFouten: string[] = [];
      const pagina = async () => {
        const context = await w.context(breedte);
        t.teardown(() => context.close());
        const p = await context.newPage();
        p.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) cspFouten.push(m.text()); });
        return p;
      };
      const controleer = async (pg: Page, naam: string) => {
        await pg.screenshot({ path: path.join(SCHERMAFDRUKKEN, `taken-${naam}-${breedte}.png`), fullPage: true });
        t.equal(await pg.evaluate<string>('document.documentElement.lang'), 'nl', `${naam}: Dutch`);
        // Wide tables scroll inside their own region (.werkplek-tabel-wrapper); the page itself never does.
        t.ok(await pg.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth'), `${naam}: no horizontal scroll`);
        const r = await new AxeBuilder({ page: pg }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
        t.same(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `${naam}: axe finds nothing`);
      };
      const kop = (pg: Page) => pg.getByRole('heading', { level: 1 }).textContent();

      // --- The corporation: a melding by hand, then a withdrawal. ---
      const corp = await pagina();
      await w.chromiumLogin(corp, 'corporatie');
      await corp.waitForURL(`${w.basis}/meldingen`);
      await controleer(corp, 'corporatie-meldingen');
      await corp.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Nieuwe melding' }).click();
      await corp.waitForURL(`${w.basis}/meldingen/nieuw`);
      t.equal(await kop(corp), 'Nieuwe melding');
      await controleer(corp, 'corporatie-nieuw');
      // Sent empty: the errors are listed at the top and next to their fields.
      await corp.getByRole('button', { name: 'Melding versturen' }).click();
      await corp.waitForLoadState();
      t.match(await corp.title(), /^Fout: Nieuwe melding/);
      t.ok(await corp.locator('#referentie-fout').count(), 'the error next to its field');
      await controleer(corp, 'corporatie-nieuw-fouten');
      const referentie = `HAND-${breedte}`;
      await corp.fill('[name="referentie"]', referentie);
      await corp.check('input[name="soort"][value="huurachterstand"]');
      for (const [naam, waarde] of Object.entries({
        'huurder.relatienummer': `R-${breedte}`, 'huurder.voorletters': 'A.', 'huurder.achternaam': 'Handmatigsma', 'huurder.geboortedatum': '1958-03-14',
        'adres.straatnaam': 'Grote Markt', 'adres.huisnummer': '2', 'adres.postcode': '2011 RD', 'adres.woonplaats': 'Haarlem',
        'huishouden.aantalBewoners': '2', 'achterstand.bedragInCenten': '1.234,56', 'achterstand.ontstaanOp': dagenVoorBasis(90),
        'achterstand.aantalMaanden': '2,5', 'stappen.herinneringVerstuurdOp': dagenVoorBasis(60),
      })) await corp.fill(`[name="${naam}"]`, waarde);
      await corp.check('input[name="huishouden.kinderenOnder18"][value="nee"]');
      for (const stap of ['persoonlijkContactGezocht', 'gewezenOpSchuldhulp', 'herinneringVerstuurd', 'geenBezwaarHuurder']) await corp.check(`[name="stappen.${stap}"]`);
      await corp.getByRole('button', { name: 'Melding versturen' }).click();
      await corp.waitForURL(new RegExp(`/meldingen/${UUID}\\?bericht=ontvangen$`));
      const id = new RegExp(`/meldingen/(${UUID})`).exec(corp.url())![1]!;
      t.match(await corp.getByRole('status').first().textContent(), 'De melding is ontvangen');
      t.match(await corp.locator('main').textContent(), 'A. Handmatigsma');
      await controleer(corp, 'corporatie-melding');
      const m = await sb.diensten.lezen.melding(id);
      t.equal(m?.gegevens.referentie, referentie);
      t.equal(m?.wijkteam, 'noord', 'routed by postcode to Noord');

      // Withdraw the other melding, from the list.
      await corp.goto(`${w.basis}/meldingen`);
      await corp.locator(`a[href="/meldingen/${intrekken.id}"]`).click();
      await corp.waitForURL(`${w.basis}/meldingen/${intrekken.id}`);
      await corp.selectOption('#reden', 'achterstand-betaald');
      await corp.getByRole('button', { name: 'Melding intrekken' }).click();
      await corp.waitForURL(`${w.basis}/meldingen/${intrekken.id}?bericht=ingetrokken`);
      t.match(await corp.getByRole('status').first().textContent(), 'De melding is ingetrokken');
      await controleer(corp, 'corporatie-ingetrokken');
      t.equal((await casussen.meta(intrekken.id))?.status, 'ingetrokken');
      const intrekRecord = (await sb.redis.xrange(sb.namen.logboek(), '-', '+')).map(([, v]) => v.join(' ')).find((r) => r.includes('melding-ingetrokken') && r.includes(intrekken.id));
      t.match(intrekRecord, 'werkplek', 'withdrawn through the werkplek');

      // --- Wijkteam Noord: the new melding, the eerste terugkoppeling, the eindresultaat. ---
      const wt = await pagina();
      await w.chromiumLogin(wt, 'wijkteam-noord');
      await wt.waitForURL(`${w.basis}/werklijst`);
      t.ok(await wt.locator(`a[href="/werklijst/${id}"]`).count(), 'the hand-made melding is new on the work list');
      await controleer(wt, 'wijkteam-werklijst');
      await wt.locator(`a[href="/werklijst/${id}"]`).click();
      await wt.waitForURL(`${w.basis}/werklijst/${id}`);
      t.match(await kop(wt), 'van Elan Wonen');
      await controleer(wt, 'wijkteam-melding');
      t.equal((await casussen.meta(id))?.status, 'gelezen', 'opening it marked it read');
      // Sent without an answer: errors, nothing sent.
      await wt.getByRole('button', { name: 'Terugkoppeling versturen' }).click();
      await wt.waitForLoadState();
      t.match(await wt.title(), /^Fout: /);
      await controleer(wt, 'wijkteam-terugkoppeling-fouten');
      await wt.check('input[name="opgepakt"][value="ja"]');
      await wt.fill('#datumOpgepakt', vandaag);
      await wt.selectOption('select[name="poging-0-soort"]', 'Telefoon');
      await wt.check('input[name="poging-0-bereikt"][value="ja"]');
      await wt.fill('[name="poging-0-datum"]', vandaag);
      await wt.check('input[name="incassoHervatten"][value="nee"]');
      await wt.getByRole('button', { name: 'Terugkoppeling versturen' }).click();
      await wt.waitForURL(`${w.basis}/werklijst/${id}?bericht=teruggekoppeld`);
      t.match(await wt.getByRole('status').first().textContent(), 'De terugkoppeling is verstuurd');
      await controleer(wt, 'wijkteam-teruggekoppeld');
      t.equal((await casussen.meta(id))?.status, 'teruggekoppeld');
      await wt.check('input[name="resultaat"][value="Vervolghulp en/of verwijzing financieel"]');
      await wt.getByRole('button', { name: 'Eindresultaat versturen en melding afsluiten' }).click();
      await wt.waitForURL(`${w.basis}/werklijst/${id}?bericht=afgesloten`);
      t.match(await wt.getByRole('status').first().textContent(), 'Het eindresultaat is vastgelegd');
      await controleer(wt, 'wijkteam-afgesloten');
      t.equal((await casussen.meta(id))?.status, 'afgesloten');
      const ev = await sb.diensten.lezen.gebeurtenissen(id);
      t.same(['gelezen', 'teruggekoppeld', 'afgesloten'].map((s) => ev.find((g) => g.soort === s)?.kanaal), ['werkplek', 'werkplek', 'werkplek'], 'each through the werkplek');

      // --- The troubleshooter: takes up the escalation and records the outcome. ---
      const ts = await pagina();
      await w.chromiumLogin(ts, 'troubleshooter');
      await ts.waitForURL(`${w.basis}/escalaties`);
      await controleer(ts, 'troubleshooter-escalaties');
      await ts.locator(`a[href="/escalaties/${geescaleerd.id}"]`).click();
      await ts.waitForURL(`${w.basis}/escalaties/${geescaleerd.id}`);
      t.match(await kop(ts), 'Escalatie: melding van Elan Wonen');
      await controleer(ts, 'troubleshooter-escalatie');
      await ts.getByRole('button', { name: 'Ik heb deze melding opgepakt' }).click();
      await ts.waitForURL(`${w.basis}/escalaties/${geescaleerd.id}?bericht=opgepakt`);
      t.match(await ts.getByRole('status').first().textContent(), 'U hebt deze melding opgepakt.');
      t.equal(await ts.getByRole('button', { name: 'Ik heb deze melding opgepakt' }).count(), 0, 'taken up once: the button is gone');
      await controleer(ts, 'troubleshooter-opgepakt');
      await ts.check('input[name="uitkomst"][value="betalingsregeling-getroffen"]');
      await ts.getByRole('button', { name: 'Uitkomst vastleggen' }).click();
      await ts.waitForURL(`${w.basis}/escalaties/${geescaleerd.id}?bericht=uitkomst`);
      await controleer(ts, 'troubleshooter-uitkomst');
      const stand = await escalaties.stand(geescaleerd.id);
      t.ok(stand.opgepaktOp);
      t.equal(stand.uitkomst, 'betalingsregeling-getroffen');

      t.same(cspFouten, [], 'the CSP blocked nothing on the werkplek');
    });
  }
});
