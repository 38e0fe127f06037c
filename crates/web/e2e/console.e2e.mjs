// Browser tests of the pharmacist console: Playwright driving Debian's Chromium against a server
// started on a fresh SQLite database. Every page is scanned with axe-core and screenshotted into
// docs/screenshots/. Run through scripts/console-e2e.sh (it builds the binary and installs Chromium).
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

import { join } from 'node:path';

import { SCREENSHOTS, check, fitsWidth, scanned } from './checks.mjs';
import { PASSWORD, USERS, startServer } from './server.mjs';

const binary = process.env.CONSOLE_E2E_BIN ?? new URL('../../../target/debug/pharmarec', import.meta.url).pathname;
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const server = await startServer(binary);
const { base, pharmacy, products } = server;
const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
const outside = [];
const cspViolations = [];
let failed = false;
const STYLESHEET_DELAY_MS = 400;

/** A fresh browser profile (its own cookies), refusing and recording any request to another host. */
async function profile(viewport = { width: 1100, height: 900 }) {
  const context = await browser.newContext({ viewport });
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    // The stylesheet arrives late, as on a loaded machine: a scan must wait for the page's styles.
    if (url.endsWith('.css')) await new Promise((resolve) => setTimeout(resolve, STYLESHEET_DELAY_MS));
    if (url.startsWith(base)) return route.continue();
    outside.push(url);
    return route.abort();
  });
  context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  return context;
}

async function signIn(page, email) {
  await page.goto(`${base}/console/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState();
}

const scenarios = [];
const scenario = (name, run) => scenarios.push({ name, run });

scenario('a pharmacist signs in', async () => {
  const context = await profile();
  const page = await context.newPage();
  await page.goto(`${base}/`);
  assert.match(page.url(), /\/console\/login$/, '/ leads to the console, which asks to sign in');
  // Keyboard first: the skip link is the first stop and is visible when focused.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
  await check(page, 'sign-in');
  await page.getByLabel('E-mail').fill(USERS.pharmacist);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Wrong e-mail or password.').waitFor();
  await signIn(page, USERS.pharmacist);
  assert.match(page.url(), /\/console\/recommend$/);
  await page.getByText('Pharmacy: Synthetic test pharmacy').waitFor();
  await check(page, 'what-can-they-take-form');
  await context.close();
});

scenario('"blocked nose" for a 60-year-old with high blood pressure shows the decongestant warning', async () => {
  const context = await profile();
  const page = await context.newPage();
  await signIn(page, USERS.pharmacist);
  await page.getByLabel('Complaint, in everyday words').fill('blocked nose');
  await page.getByLabel('Age (years)').fill('60');
  await page.getByLabel('Conditions').fill('high blood pressure');
  // Type-ahead: the current-medicine box offers names the catalogue knows.
  await page.getByLabel('Current medicine 1').pressSequentially('warfar');
  await page.locator('#catalogue-names option[value="warfarin"]').waitFor({ state: 'attached' });
  await page.getByLabel('Current medicine 1').fill('');
  await page.getByRole('button', { name: 'Find options' }).click();
  const decongestant = page.locator('ol.results > li').filter({ hasText: 'pseudoephedrine' }).first();
  await decongestant.waitFor();
  const warning = decongestant.locator('ul.alerts li').filter({ hasText: 'condition hypertension' }).first();
  await warning.waitFor();
  assert.match(await warning.innerText(), /Moderate/, 'severity in words, not colour alone');
  assert.match(await warning.innerText(), /high blood pressure/);
  await page.getByRole('heading', { name: 'Could not be checked' }).waitFor();
  // The stocked decongestant shows its stock and price here.
  await page.getByText('In stock: 12 at 7.99 EUR').first().waitFor();
  await check(page, 'what-can-they-take-results');
  // One window's worth, for the README: the first option with its warnings.
  await page.locator('#results-title').evaluate((heading) => heading.scrollIntoView());
  await page.screenshot({ path: join(SCREENSHOTS, 'console.png') });
  await context.close();
});

scenario('warfarin + ibuprofen: the major finding in English, dismissed with a reason, found by the admin', async () => {
  const context = await profile();
  const page = await context.newPage();
  await signIn(page, USERS.pharmacist);
  await page.getByRole('link', { name: 'Basket check' }).click();
  await check(page, 'basket-empty');
  for (const name of ['warfarin', 'ibuprofen']) {
    await page.getByLabel('Add a medicine: name or scan code').fill(name);
    await page.getByRole('button', { name: 'Add and check' }).click();
    await page.waitForLoadState();
  }
  const finding = page.locator('li.finding').filter({ hasText: 'ibuprofen + warfarin' }).first();
  await finding.getByRole('heading', { name: /Major.*Interaction: ibuprofen \+ warfarin/ }).waitFor();
  assert.match(await finding.innerText(), /PharmaRec severity major/, 'plain-English text first');
  assert.match(await finding.innerText(), /Source: ANSM/, 'with its source');
  await check(page, 'basket-findings');
  await finding.getByText('Dismiss this finding').click();
  await finding.getByRole('button', { name: 'Dismiss finding' }).click();
  // The browser itself refuses the empty required fields: nothing was sent.
  assert.equal(await page.locator('.notice').count(), 0);
  await finding.getByLabel('Reason').selectOption('prescriber_confirmed');
  await finding.getByLabel('Explanation').fill('Prescriber confirmed a three-day course; patient counselled.');
  await finding.getByRole('button', { name: 'Dismiss finding' }).click();
  await page.getByText('Recorded in the audit trail.').waitFor();
  await check(page, 'basket-dismissed');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, USERS.admin);
  await page.getByRole('link', { name: 'Audit trail' }).click();
  const row = page.locator('tr').filter({ hasText: 'basket.dismiss_finding' }).first();
  await row.waitFor();
  const text = await row.innerText();
  assert.match(text, new RegExp(USERS.pharmacist.replace('.', '\\.')), 'who');
  assert.match(text, /interaction:ibuprofen\+warfarin/, 'which finding');
  assert.match(text, /prescriber_confirmed/, 'why (code)');
  assert.match(text, /three-day course/, 'why (free text)');
  assert.match(text, /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/, 'when');
  await check(page, 'audit-trail');
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('cell', { name: USERS.viewer }).waitFor();
  await check(page, 'users');
  await page.goto(`${base}/console/pharmacy`);
  await check(page, 'choose-pharmacy');
  await context.close();
});

scenario('a breast-feeding patient: codeine contraindicated, an unknown allergy not checked, kept by keyboard edits', async () => {
  const context = await profile();
  const page = await context.newPage();
  await signIn(page, USERS.pharmacist);
  await page.getByRole('link', { name: 'Basket check' }).click();
  await page.getByLabel('Breast-feeding').check();
  await page.getByLabel('Allergies').fill('moonbeam dust');
  await page.getByLabel('Add a medicine: name or scan code').fill('codeine');
  await page.getByRole('button', { name: 'Add and check' }).click();
  // lactation_rules.csv: codeine, exclude (FDA Drug Safety Communication, 20 Apr 2017).
  const finding = page.locator('li.finding').filter({ hasText: 'Breast feeding: codeine' }).first();
  await finding.getByRole('heading', { name: /Contraindicated.*Breast feeding: codeine/ }).waitFor();
  assert.match(await finding.innerText(), /FDA Drug Safety Communication/, 'with its source');
  const notChecked = page.locator('section.not-checked');
  assert.match(await notChecked.innerText(), /Patient entry not recognised, so not checked: “allergy: moonbeam dust”/);
  // Keyboard: Enter in the add box adds (it must not press a Remove button), then a Remove button.
  await page.getByLabel('Add a medicine: name or scan code').fill('paracetamol');
  await page.getByLabel('Add a medicine: name or scan code').press('Enter');
  await page.getByRole('button', { name: 'Remove paracetamol' }).waitFor();
  await page.getByRole('button', { name: 'Remove paracetamol' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Remove paracetamol' }).waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Remove codeine' }).waitFor();
  assert.ok(await page.getByLabel('Breast-feeding').isChecked(), 'the panel keeps its values');
  assert.equal(await page.getByLabel('Allergies').inputValue(), 'moonbeam dust');
  await finding.waitFor();
  await check(page, 'basket-patient');
  await context.close();
});

scenario('a stock line edited in two tabs shows the conflict', async () => {
  const context = await profile();
  const first = await context.newPage();
  await signIn(first, USERS.pharmacist);
  await first.getByRole('link', { name: 'Stock', exact: true }).click();
  await check(first, 'stock');
  await first.getByRole('link', { name: /Low stock/ }).click();
  await first.getByRole('cell', { name: 'ADVIL 200MG', exact: true }).waitFor();
  await check(first, 'stock-low');
  const second = await context.newPage();
  const edit = `${base}/console/stock/${products.ibuprofen}`;
  await first.goto(edit);
  await second.goto(edit);
  await check(first, 'stock-edit');
  await first.getByLabel('Quantity').fill('20');
  await first.getByRole('button', { name: 'Save' }).click();
  await first.getByText('Saved.').waitFor();
  await second.getByLabel('Quantity').fill('30');
  await second.getByLabel('Price').fill('5.25');
  await second.getByRole('button', { name: 'Save' }).click();
  await second.getByText('Someone else changed this line while you were editing').waitFor();
  const compare = await second.locator('table.compare').innerText();
  assert.match(compare, /Quantity\s+30\s+20/, 'the stale edit next to what is saved');
  assert.equal(await second.getByLabel('Quantity').inputValue(), '30', 'the stale edit is kept in the form');
  await check(second, 'stock-conflict');
  await context.close();
});

scenario('a viewer cannot reach stock edits', async () => {
  const context = await profile();
  const page = await context.newPage();
  await signIn(page, USERS.viewer);
  await page.getByRole('link', { name: 'Stock', exact: true }).click();
  await page.getByText('can see stock here but not change it').waitFor();
  assert.equal(await page.getByRole('link', { name: /^Edit/ }).count(), 0, 'no edit links');
  const response = await page.goto(`${base}/console/stock/${products.ibuprofen}`);
  assert.equal(response.status(), 403);
  await page.getByText('your role does not allow this page or action').waitFor();
  await check(page, 'forbidden');
  assert.equal(await page.getByRole('link', { name: 'Audit trail' }).count(), 0);
  await context.close();
});

scenario('catalogue, product page and substitutes', async () => {
  const context = await profile();
  const page = await context.newPage();
  await signIn(page, USERS.pharmacist);
  await page.getByRole('link', { name: 'Catalogue' }).click();
  await page.getByLabel('Name or ingredient').fill('ibuprofen');
  await page.getByLabel('Status').selectOption('otc');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: 'Next →' }).click();
  await page.getByText('Page 2 of').waitFor();
  await check(page, 'catalogue');
  await page.goto(`${base}/console/medicines/${products.ibuprofen}`);
  await page.getByRole('heading', { name: 'Ingredients and classes' }).waitFor();
  await page.getByText('3 at 4.99 EUR').or(page.getByText('20 at 4.99 EUR')).first().waitFor();
  // otc_label_warnings.csv, IBUPROFEN: the ask-a-doctor section, with its source.
  await page.getByRole('heading', { name: 'Ask a doctor before use if', exact: true }).waitFor();
  const line = page.locator('ul.alerts li').filter({ hasText: 'stomach bleeding warning applies to you' }).first();
  await line.getByText(/Source: OTC Drug Facts label "IBUPROFEN"/).waitFor();
  await check(page, 'product');
  await page.getByRole('link', { name: 'Substitutes for this product' }).click();
  await page.getByRole('heading', { name: /Generic equivalents/ }).waitFor();
  await check(page, 'substitutes');
  await context.close();
});

scenario('works at 320 px wide', async () => {
  const context = await profile({ width: 320, height: 700 });
  const page = await context.newPage();
  await signIn(page, USERS.pharmacist);
  for (const path of ['/console/recommend', '/console/basket', '/console/stock', '/console/catalogue?q=ibuprofen']) {
    await page.goto(`${base}${path}`);
    await fitsWidth(page, path);
  }
  await page.goto(`${base}/console/recommend`);
  await check(page, 'narrow-320px');
  await context.close();
});

for (const { name, run } of scenarios) {
  try {
    await run();
    console.log(`ok   ${name}`);
  } catch (error) {
    failed = true;
    console.log(`FAIL ${name}\n${error.stack ?? error}`);
  }
}
await browser.close();
server.stop();
if (outside.length > 0) {
  failed = true;
  console.log(`FAIL requests to outside hosts: ${outside.join(', ')}`);
}
if (cspViolations.length > 0) {
  failed = true;
  console.log(`FAIL content security policy violations:\n${cspViolations.join('\n')}`);
}
console.log(`axe-core: ${scanned.length} pages scanned, 0 serious or critical violations allowed (pharmacy ${pharmacy.id})`);
process.exit(failed ? 1 : 0);
