// Browser tests of the web console: Debian's chromium driven by playwright-core, an accessibility check
// with axe-core injected into the page, and screenshots at desktop and phone widths.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

/** The browser the tests drive (scripts/ensure-chromium.mjs installs it). */
export const CHROMIUM = process.env.UMBRA_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or null when they can. Under CI=true a missing browser fails. */
export function browserMissing(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const why = `chromium not installed at ${CHROMIUM} (npm test installs it as root: apt-get install chromium)`;
  if (process.env.CI === 'true') throw new Error(why);
  return why;
}

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    // Containers often lack the user namespaces chromium's sandbox needs; a small /dev/shm too.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Runs axe-core in the page; returns its serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  if ((await page.evaluate('typeof axe')) === 'undefined') {
    await page.addScriptTag({ content: await readFile(AXE, 'utf8') });
  }
  const all = await page.evaluate<
    AxeViolation[]
  >(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })))`);
  return all.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/** Writes `<name>-desktop.png` and `<name>-phone.png` into `dir`, and leaves the page at desktop width. */
export async function screenshots(page: Page, dir: string, name: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await page.evaluate('window.scrollTo(0, 0)');
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: join(dir, `${name}-desktop.png`) });
  await page.setViewportSize(PHONE);
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: join(dir, `${name}-phone.png`) });
  await page.setViewportSize(DESKTOP);
}
