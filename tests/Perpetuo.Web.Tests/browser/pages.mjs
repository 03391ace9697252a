// Opens N pages of perpetuo web in one headless chromium and keeps them open (bench/web-cost.py).
// Usage: node pages.mjs URL N SECONDS. Prints one JSON line at the end: the pages' levels messages and errors.
import { chromium } from 'playwright-core';

const [url, n, seconds] = [process.argv[2], Number(process.argv[3] || 10), Number(process.argv[4] || 60)];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const errors = [];
const pages = [];
for (let i = 0; i < n; i++) {
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForSelector('.slot[data-role]');
  pages.push(page);
}
process.stdout.write(JSON.stringify({ open: pages.length }) + '\n');
await new Promise((r) => setTimeout(r, seconds * 1000));
const clocks = await Promise.all(pages.map((p) => p.locator('#c-clock').innerText()));
process.stdout.write(JSON.stringify({ pages: pages.length, clocks, errors }) + '\n');
await browser.close();
