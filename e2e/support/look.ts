import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';

/** What the look-and-accessibility specs measure: axe in both colour schemes, and contrast ratios. */

export const SCHEMES = ['light', 'dark'] as const;

/**
 * Runs axe on the page as it stands, in light and then dark mode, and expects no violation.
 * `exclude`: selectors that are not Signet's (the development server's own overlay).
 */
export async function expectNoAxeViolations(page: Page, what: string, exclude: string[] = []): Promise<void> {
  for (const colorScheme of SCHEMES) {
    await page.emulateMedia({ colorScheme });
    let builder = new AxeBuilder({ page });
    for (const selector of exclude) builder = builder.exclude(selector);
    const results = await builder.analyze();
    const found = results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((node) => node.target.join(' ')).join(' | ')}`);
    expect(found, `axe on ${what} in ${colorScheme} mode`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

type Rgba = [number, number, number, number];

function parseColor(css: string): Rgba {
  const parts = /rgba?\(([^)]+)\)/.exec(css)?.[1]?.split(/[\s,/]+/).filter(Boolean).map(Number);
  if (!parts || parts.length < 3) throw new Error(`unreadable colour ${css}`);
  return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1];
}

function luminance([r, g, b]: Rgba): number {
  const channel = (value: number) => {
    const c = value / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG contrast ratio of `foreground` (blended over `background` when translucent) against `background`. */
export function contrastRatio(foreground: string, background: string): number {
  const bg = parseColor(background);
  const fg = parseColor(foreground);
  const alpha = fg[3];
  const blended: Rgba = [0, 1, 2].map((i) => (fg[i] ?? 0) * alpha + (bg[i] ?? 0) * (1 - alpha)) as unknown as Rgba;
  const [light, dark] = [luminance(blended), luminance(bg)].sort((a, b) => b - a) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** The page's own background colour (the body's). */
export async function pageBackground(page: Page): Promise<string> {
  return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
}

/** The outline colour `target` shows once focused from the keyboard. */
export async function focusRingColor(page: Page, target: Locator): Promise<string> {
  await target.focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  await expect(target).toBeFocused();
  return target.evaluate((element) => getComputedStyle(element).outlineColor);
}

export async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const found = await locator.boundingBox();
  if (!found) throw new Error('element is not visible');
  return found;
}
