/**
 * Takes a full-page screenshot of an HTML eval report in headless Chromium,
 * to check how the page looks for policy staff.
 *
 *   npx tsx scripts/screenshot-report.ts <report.html> <out.png> [--width 1280] [--open]
 *
 * Uses the system Chromium (CHROMIUM_PATH, default /usr/bin/chromium) through
 * playwright-core; no browser is downloaded. Network access from the page is
 * blocked: the report must be self-contained. `--open` expands every
 * collapsed <details> before the screenshot.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

function usage(message?: string): never {
  if (message) console.error(message);
  console.error('用法：npx tsx scripts/screenshot-report.ts <report.html> <out.png> [--width 1280] [--open]');
  process.exit(2);
}

const args = process.argv.slice(2);
const positional: string[] = [];
let width = 1280;
let expand = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--width') {
    width = Number(args[++i]);
    if (!Number.isInteger(width) || width < 320) usage(`无效的宽度：${args[i]}`);
  } else if (a === '--open') expand = true;
  else if (a === '-h' || a === '--help') usage();
  else positional.push(a);
}
if (positional.length !== 2) usage();
const htmlPath = resolve(positional[0]);
const outPath = resolve(positional[1]);
if (!existsSync(htmlPath)) usage(`找不到文件：${htmlPath}`);
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) usage(`找不到 Chromium：${executablePath}（可设置 CHROMIUM_PATH，或 apt-get install -y chromium）`);

const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const context = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 1, locale: 'zh-CN' });
  const page = await context.newPage();
  const blocked: string[] = [];
  // The report must not load anything: abort every request other than the file itself.
  const fileUrl = pathToFileURL(htmlPath).href;
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url === fileUrl || url.startsWith('data:')) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(fileUrl, { waitUntil: 'load' });
  if (expand) await page.evaluate('document.querySelectorAll("details").forEach((d) => { d.open = true; })');
  mkdirSync(dirname(outPath), { recursive: true });
  await page.screenshot({ path: outPath, fullPage: true });
  const height = await page.evaluate('document.documentElement.scrollHeight');
  console.log(`截图已保存：${outPath}（${width}×${height}）`);
  if (blocked.length) console.warn(`警告：页面试图加载外部资源（已拦截）：\n  ${blocked.join('\n  ')}`);
  if (errors.length) console.warn(`警告：页面脚本错误：\n  ${errors.join('\n  ')}`);
  await context.close();
} finally {
  await browser.close();
}
