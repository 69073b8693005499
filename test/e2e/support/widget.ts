import type { Browser, BrowserContext, Page } from 'playwright-core';

/** A fresh browser context and page in a desktop window (1280×800 unless given) or, with `mobile`, a touch phone at 2×. */
export async function newPage(browser: Browser, options: { width?: number; height?: number; mobile?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    deviceScaleFactor: options.mobile ? 2 : 1,
    isMobile: options.mobile ?? false,
    hasTouch: options.mobile ?? false,
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/** Runs a snippet in the page with `root` bound to the widget's shadow root. */
export function inShadow<T>(page: Page, body: string): Promise<T> {
  return page.evaluate(`(() => { const root = document.querySelector('ln-policy-chat').shadowRoot; ${body} })()`) as Promise<T>;
}

/** The test id of the element focused inside the widget. */
export const activeTestId = (page: Page) =>
  inShadow<string | null>(page, `const a = root.activeElement; return a ? a.getAttribute('data-testid') : null;`);

/** Types a question, presses Enter and waits for that answer's final render. */
export async function ask(page: Page, question: string) {
  const before = await page.getByTestId('chat-answer').count();
  await page.getByTestId('chat-input').fill(question);
  await page.getByTestId('chat-input').press('Enter');
  const bubble = page.getByTestId('chat-answer').nth(before);
  await bubble.and(page.locator('[data-state="done"]')).waitFor();
  return bubble;
}
