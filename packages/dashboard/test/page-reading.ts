/**
 * Test helpers that read a page as a person does: the labels of a chart's axes and where they sit,
 * what a label's number is worth, whether a page or a table scrolls sideways, whether boxes overlap.
 */
import type { Locator, Page } from 'playwright-core';

export interface Label {
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

async function labelsOf(scope: Locator, selector: string): Promise<Label[]> {
  return scope.locator(selector).evaluateAll((elements) =>
    elements.map((element) => {
      const box = element.getBoundingClientRect();
      return {
        text: element.textContent ?? '',
        left: box.left,
        right: box.right,
        top: box.top,
        bottom: box.bottom,
      };
    }),
  );
}

/** The time axis's labels of a chart card, left to right. */
export async function xLabels(card: Locator): Promise<Label[]> {
  const labels = await labelsOf(card, '.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value');
  return labels.sort((a, b) => a.left - b.left);
}

/** A chart card's value-axis labels, bottom to top: the left axis, or the right one. */
export async function yLabels(card: Locator, side: 'left' | 'right' = 'left'): Promise<Label[]> {
  const labels = await labelsOf(card, '.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value');
  const box = await card.boundingBox();
  const middle = box ? box.x + box.width / 2 : 0;
  return labels
    .filter((label) => (side === 'left' ? label.right < middle : label.left > middle))
    .sort((a, b) => b.top - a.top);
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** What an axis label is worth: "3%" -> 0.03, "$1.50" -> 1.5, "30K" -> 30000, "15 s" -> 15000 (ms). */
export function labelValue(text: string): number {
  const trimmed = text.trim();
  const duration = /^([\d.]+) (ms|s|min|h|d)$/.exec(trimmed);
  if (duration) return Number(duration[1]) * UNITS[duration[2]!]!;
  if (trimmed.endsWith('%')) return Number(trimmed.slice(0, -1)) / 100;
  const number = /^\$?([\d.,]+)([KMB]?)$/.exec(trimmed);
  if (!number) throw new Error(`not a number label: ${text}`);
  const scale = { '': 1, K: 1e3, M: 1e6, B: 1e9 }[number[2] as '' | 'K' | 'M' | 'B'];
  return Number(number[1]!.replaceAll(',', '')) * scale;
}

/** Decimals written in a label ("$0.0020" -> 4, "2.5 s" -> 1, "30K" -> 0). */
export function labelDecimals(text: string): number {
  return /\.(\d+)/.exec(text)?.[1]?.length ?? 0;
}

/** True when two labels' boxes overlap (or touch within `gap` px) horizontally. */
export function overlapping(a: Label, b: Label, gap = 2): boolean {
  return a.left < b.right + gap && b.left < a.right + gap;
}

/** How far the page scrolls sideways (0 when it does not). */
export function pageOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** For each table on the page: how far it scrolls sideways inside its frame (0 when it fits). */
export function tableOverflows(page: Page): Promise<number[]> {
  return page
    .locator('.table-wrap')
    .evaluateAll((frames) => frames.map((frame) => frame.scrollWidth - frame.clientWidth));
}

/** The gap between the header (the sidebar, a top bar on a phone) and the page's content. */
export function gapUnderHeader(page: Page): Promise<number> {
  return page.evaluate(() => {
    const header = document.querySelector('.sidebar')?.getBoundingClientRect();
    const content = document.querySelector('main .page')?.getBoundingClientRect();
    return header && content ? content.top - header.bottom : Number.NaN;
  });
}

/** Whether an element is inside the viewport horizontally (a column a person can see without scrolling). */
export async function inView(locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const width = locator.page().viewportSize()?.width ?? 0;
  return box !== null && box.x >= 0 && box.x + box.width <= width + 0.5;
}
