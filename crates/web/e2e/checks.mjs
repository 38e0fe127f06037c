// What every page is checked for: axe-core (WCAG 2.x A/AA, 0 serious or critical violations), no
// horizontal scrolling at 320 px, and a screenshot saved to docs/screenshots/.
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const SCREENSHOTS = join(here, '..', '..', '..', 'docs', 'screenshots');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const scanned = [];

/** Scans the page with axe-core and saves its screenshot as `name`.png; fails on a serious or
 * critical violation. axe runs through the DevTools protocol, so the page's CSP stays strict. */
export async function check(page, name) {
  // A click's navigation resolves once the DOM is there; the stylesheet may still be on its way,
  // and an unstyled page fails target-size (CI failed so on a loaded machine).
  await page.waitForLoadState('load');
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    }),
  );
  const serious = result.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  for (const v of result.violations) {
    console.log(`  axe ${v.impact} ${v.id} on ${name}: ${v.nodes.length} node(s) — ${v.help}`);
  }
  if (serious.length > 0) {
    const detail = serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    throw new Error(`axe: ${serious.length} serious/critical violation(s) on ${name}:\n${detail.join('\n')}`);
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  scanned.push(name);
}

/** Fails when the page scrolls sideways at its current (narrow) width. */
export async function fitsWidth(page, name) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  if (scroll > width) throw new Error(`${name} scrolls sideways at ${width}px (content ${scroll}px)`);
}
