// The privacy officer and the coordinator in real Chromium (playwright-core), logged in through the
// in-process OpenID Provider: the privacy officer searches the logboek, runs an inzage for a tenant
// and opens the breach register; the coordinator opens the figures with their SVG charts. Every page
// has 0 axe violations (WCAG 2.1 A and AA), at 390 px and 1280 px, with screenshots in
// test-results/werkplek/.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import t from 'tap';
import { voorbeeldMelding } from '../helpers/build.js';
import { logboekVan } from '../helpers/privacy.js';
import { ROOT } from '../helpers/root.js';
import { bouwWerkplek } from '../helpers/werkplek.js';

const SCHERMAFDRUKKEN = path.join(ROOT, 'test-results', 'werkplek');
const ELAN = '00000099000000000001';

t.test('privacy officer runs an inzage; coordinator opens the figures; axe finds nothing', async (t) => {
  mkdirSync(SCHERMAFDRUKKEN, { recursive: true });
  const w = await bouwWerkplek(t);
  const sb = w.app.draaiend.sb;
  const { record } = await sb.diensten.intake.ontvang(ELAN, voorbeeldMelding({ huurder: { ...voorbeeldMelding().huurder, relatienummer: 'E2E-1' } }));

  const controleer = async (page: Page, naam: string) => {
    for (const breedte of [390, 1280]) {
      await page.setViewportSize({ width: breedte, height: breedte < 600 ? 844 : 900 });
      await page.screenshot({ path: path.join(SCHERMAFDRUKKEN, `privacy-${naam}-${breedte}.png`), fullPage: true });
      const r = await new AxeBuilder({ page: page as any }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      t.same(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `${naam} at ${breedte} px: 0 axe violations`);
    }
  };

  const privacy = await (await w.context(1280)).newPage();
  await w.chromiumLogin(privacy, 'privacy');
  await privacy.goto(`${w.basis}/privacy`);
  await controleer(privacy, 'logboek');
  await privacy.getByLabel('Meldingnummer', { exact: true }).fill(record.id);
  await privacy.getByRole('button', { name: 'Zoeken' }).click();
  await privacy.getByRole('heading', { name: `Verwerkingen voor melding ${record.id}` }).waitFor();
  await controleer(privacy, 'logboek-resultaat');

  await privacy.getByRole('link', { name: 'Verzoek om inzage' }).click();
  await controleer(privacy, 'inzage');
  await privacy.getByRole('button', { name: 'Inzage opstellen' }).click();
  await privacy.getByRole('alert').waitFor();
  t.match(await privacy.locator('#inzage-relatienummer-fout').innerText(), 'vul het relatienummer in', 'the error next to the field');
  await controleer(privacy, 'inzage-fout');
  await privacy.getByLabel('Woningcorporatie').selectOption(ELAN);
  await privacy.getByLabel('Relatienummer van de huurder').fill('E2E-1');
  await privacy.getByRole('button', { name: 'Inzage opstellen' }).click();
  await privacy.getByRole('heading', { name: `Melding ${record.id}` }).waitFor();
  t.match(await privacy.locator('main').innerText(), 'Dijk', 'the tenant\'s data as sent');
  await controleer(privacy, 'inzage-resultaat');
  const records = await logboekVan(w.app);
  t.ok(records.some((r) => r.name === 'inzage-verstrekt' && r.attributes['dpl.signaalbrug.kanaal'] === 'werkplek'), 'the inzage is in the logboek');

  await privacy.getByRole('link', { name: 'Datalekkenregister' }).click();
  await controleer(privacy, 'datalekken');
  await privacy.getByRole('link', { name: 'Datalek registreren' }).click();
  await controleer(privacy, 'datalek-nieuw');
  await privacy.goto(`${w.basis}/privacy/verwijderen`);
  await controleer(privacy, 'verwijderen');

  const coordinator = await (await w.context(1280)).newPage();
  await w.chromiumLogin(coordinator, 'coordinator');
  await coordinator.goto(`${w.basis}/cijfers`);
  await coordinator.locator('svg[role="img"]').first().waitFor();
  t.equal(await coordinator.locator('svg[role="img"] title').count() >= 2, true, 'charts with a title');
  await controleer(coordinator, 'cijfers');
  t.equal(await coordinator.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth'), true, 'no horizontal scrolling of the page at 1280 px');
});
