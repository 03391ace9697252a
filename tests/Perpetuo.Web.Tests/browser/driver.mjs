// Drives Debian's chromium (headless) through perpetuo web's page for tests/Perpetuo.Web.Tests (BrowserSession.cs).
// Usage: node driver.mjs URL. Reads one JSON command per line on stdin, answers one JSON line on stdout each:
// {"ok":true,...} or {"ok":false,"error":"..."}. Commands:
//   {"cmd":"open","width":W,"height":H,"mobile":bool}      a new page at URL, waits until the chain and the levels are shown
//   {"cmd":"slider","module":M,"param":P,"value":V}         moves that slider to V (as a finger would: input events, then change)
//   {"cmd":"value","module":M,"param":P}                    the value the control shows
//   {"cmd":"failover","timeout":MS}                          waits for a failover in the timeline; says how long after the command
//   {"cmd":"add","query":Q}                                  searches the add list, taps the first module that can be added
//   {"cmd":"save","name":N}                                  saves the session under N
//   {"cmd":"modules"}                                        the chain as shown: [{module,type,quarantined}]
//   {"cmd":"slots"}                                          the slots as shown: [{slot,role}]
//   {"cmd":"screenshot","path":P,"full":bool}               a PNG of the page
//   {"cmd":"quit"}
import { chromium } from 'playwright-core';
import readline from 'node:readline';

const url = process.argv[2];
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
let context = null;
let page = null;
const consoleErrors = [];

const answer = (o) => process.stdout.write(JSON.stringify(o) + '\n');

async function open({ width = 1280, height = 900, mobile = false }) {
  if (context) await context.close();
  context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: mobile ? 2 : 1, isMobile: mobile, hasTouch: mobile });
  page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(url);
  await page.waitForSelector('.module .param .control');
  await page.waitForSelector('.slot[data-role]');
  await page.waitForSelector('.meter');
  return { url: page.url(), errors: consoleErrors };
}

const paramSelector = (m, p) => `.param[data-module="${m}"][data-param="${p}"]`;

async function slider({ module, param, value }) {
  const input = page.locator(`${paramSelector(module, param)} input[type=range]`);
  const pos = await input.evaluate((e, v) => e.toPos(v), value);
  await input.focus();
  await input.fill(String(Math.round(pos)));
  await input.dispatchEvent('change');
  const sent = await input.evaluate((e) => e.toValue(Number(e.value)));
  return { sent };
}

async function value({ module, param }) {
  return { text: await page.locator(`${paramSelector(module, param)} .value`).innerText() };
}

async function failover({ timeout = 5000 }) {
  const start = Date.now();
  const before = await page.locator('#timeline li[data-kind="failover"]').count();
  await page.waitForFunction((n) => document.querySelectorAll('#timeline li[data-kind="failover"]').length > n, before, { timeout });
  const shownAfterMs = Date.now() - start;
  const text = await page.locator('#timeline li[data-kind="failover"]').first().innerText();
  const banner = await page.locator('#banner').isVisible() ? await page.locator('#banner').innerText() : '';
  return { shownAfterMs, text, banner };
}

async function add({ query }) {
  const before = await page.locator('.module').count();
  await page.click('#add-open');
  await page.fill('#add-search', query);
  const item = page.locator('#add-list li:not(.refused)').first();
  const type = await item.getAttribute('data-type');
  await item.click();
  await page.waitForFunction((n) => document.querySelectorAll('.module').length > n, before, { timeout: 10000 });
  const last = page.locator('.module').last();
  return { type, module: await last.getAttribute('data-module'), shownType: await last.getAttribute('data-type') };
}

async function save({ name }) {
  await page.fill('#patch-name', name);
  await page.click('#patch-save');
  await page.waitForFunction(() => { const t = document.getElementById('toast'); return !t.hidden && t.textContent.length > 0; }, null, { timeout: 10000 });
  return { toast: await page.locator('#toast').innerText(), bad: await page.locator('#toast.bad').count() > 0 };
}

async function modules() {
  return { modules: await page.$$eval('.module', (cards) => cards.map((c) => ({
    module: c.dataset.module, type: c.dataset.type, quarantined: c.classList.contains('quarantined') }))) };
}

async function slots() {
  return { slots: await page.$$eval('.slot', (cards) => cards.map((c) => ({ slot: Number(c.dataset.slot), role: c.dataset.role }))) };
}

async function screenshot({ path, full = false }) {
  await page.waitForTimeout(400); // the meters' frame
  await page.screenshot({ path, fullPage: full });
  return { path };
}

const commands = { open, slider, value, failover, add, save, modules, slots, screenshot };
const lines = readline.createInterface({ input: process.stdin });
answer({ ok: true, ready: true });
for await (const line of lines) {
  let c;
  try { c = JSON.parse(line); } catch { answer({ ok: false, error: 'not JSON' }); continue; }
  if (c.cmd === 'quit') break;
  const f = commands[c.cmd];
  if (!f) { answer({ ok: false, error: 'unknown command ' + c.cmd }); continue; }
  try {
    answer({ ok: true, ...(await f(c)), errors: consoleErrors.splice(0) });
  } catch (e) {
    answer({ ok: false, error: String(e && e.message || e), errors: consoleErrors.splice(0) });
  }
}
await browser.close();
