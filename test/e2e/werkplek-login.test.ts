// The werkplek's login in real Chromium (playwright-core): the login page, the dev OP's login page,
// the session page, a refusal without second factor, logout at the werkplek and the OP. Every
// werkplek page has 0 axe violations (WCAG 2.1 A/AA, @axe-core/playwright); screenshots at 390 px
// and 1280 px go to test-results/werkplek/. (Browser-side checks are strings: no DOM lib here.)
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import t from 'tap';
import { ROOT } from '../helpers/root.js';
import { bouwWerkplek } from '../helpers/werkplek.js';

const SCHERMAFDRUKKEN = path.join(ROOT, 'test-results', 'werkplek');

t.test('login, session, refusal and logout in Chromium, accessible at 390 and 1280 px', async (t) => {
  mkdirSync(SCHERMAFDRUKKEN, { recursive: true });
  const w = await bouwWerkplek(t);

  for (const breedte of [390, 1280]) {
    await t.test(`${breedte} px`, async (t) => {
      const context = await w.context(breedte);
      t.teardown(() => context.close());
      const pagina = await context.newPage();
      const cspFouten: string[] = [];
      pagina.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) cspFouten.push(m.text()); });
      const controleer = async (naam: string, pg: Page = pagina, axe = true) => {
        await pg.screenshot({ path: path.join(SCHERMAFDRUKKEN, `login-${naam}-${breedte}.png`), fullPage: true });
        t.ok(await pg.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth'), `${naam}: no horizontal scroll`);
        if (!axe) return;
        const r = await new AxeBuilder({ page: pg }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
        t.same(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `${naam}: axe finds nothing`);
      };

      // No session: the home page sends the browser to the login page.
      await pagina.goto(`${w.basis}/`);
      t.match(pagina.url(), /\/inloggen\?terug=%2F$/);
      t.equal(await pagina.evaluate<string>('document.documentElement.lang'), 'nl');
      t.equal(await pagina.getByRole('heading', { level: 1 }).textContent(), 'Inloggen');
      t.not(await pagina.evaluate<string>('getComputedStyle(document.querySelector(".utrecht-button-link")).backgroundColor'), 'rgba(0, 0, 0, 0)',
        'the NL Design System stylesheet loads under the CSP');
      await controleer('inloggen');
      await pagina.keyboard.press('Tab');
      t.equal(await pagina.locator(':focus').textContent(), 'Direct naar de inhoud', 'the skip link comes first');

      // Through the OP's login page back to the werkplek, signed in.
      await w.chromiumLogin(pagina, 'wijkteam-noord');
      t.match(pagina.url(), /\/werklijst$|\/$/, 'to the start page of the role');
      await pagina.goto(`${w.basis}/sessie`);
      t.equal(await pagina.getByRole('heading', { level: 1 }).textContent(), 'Uw sessie');
      t.match(await pagina.locator('header').textContent(), /Sanne Jansen[\s\S]*Medewerker wijkteam, Sociaal Wijkteam Noord[\s\S]*Gemeente Haarlem/);
      t.equal(await pagina.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link').first().textContent(), 'Werklijst');
      const cookies = await context.cookies(w.basis);
      const sessie = cookies.find((c) => c.name === '__Host-werkplek')!;
      t.ok(sessie.secure && sessie.httpOnly && sessie.sameSite === 'Lax', 'session cookie: Secure, HttpOnly, SameSite=Lax');
      await controleer('sessie');

      // Logout: the werkplek ends the session and offers the OP's own logout, which comes back here.
      await pagina.getByRole('button', { name: 'Uitloggen' }).click();
      await pagina.waitForURL(`${w.basis}/uitgelogd?bij=haarlem`);
      t.equal(await pagina.getByRole('heading', { level: 1 }).textContent(), 'U bent uitgelogd');
      await controleer('uitgelogd');
      await pagina.getByRole('link', { name: 'Ook uitloggen bij Gemeente Haarlem' }).click();
      await pagina.waitForURL((u) => u.origin === w.op.issuer);
      await controleer('op-uitloggen', pagina, false);
      await pagina.getByRole('button', { name: 'Ja, uitloggen' }).click();
      await pagina.waitForURL(`${w.basis}/uitgelogd`);
      await pagina.goto(`${w.basis}/sessie`);
      t.match(pagina.url(), /\/inloggen/, 'the session is gone');

      // A login without the second factor is refused with a Dutch page.
      await w.chromiumLogin(pagina, 'zonder-2fa');
      t.equal(await pagina.getByRole('heading', { level: 1 }).textContent(), 'Tweede factor ontbreekt');
      t.match(await pagina.getByRole('alert').textContent(), 'zonder tweede factor');
      await controleer('geweigerd');
      t.same(cspFouten, [], 'the CSP blocked nothing on the werkplek');
    });
  }
});
