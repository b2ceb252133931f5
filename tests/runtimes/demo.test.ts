// The browser demo (demo/): served by its own dev server (COOP/COEP, 127.0.0.1), driven in
// headless Chromium — training runs with threads, test accuracy rises above 0.8, and the page
// logs no errors. A screenshot is kept in test-results/demo.png when the browser can take one.
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: the demo's plain JavaScript server
import { startDemoServer } from '../../demo/server.js';

describe('the browser demo', () => {
  let browser: Browser;
  let server: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('trains the MLP with threads to above 0.8 test accuracy, without console errors', async () => {
    const context = await browser.newContext({ viewport: { width: 1040, height: 900 } });
    const tab = await context.newPage();
    const problems: string[] = [];
    tab.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); });
    tab.on('pageerror', (e) => problems.push(`pageerror: ${String(e)}`));
    await tab.goto(`${server.url}/demo/?model=mlp&train=20000&epochs=2&autostart=1`);
    await tab.waitForFunction(() => (window as unknown as { demoResult?: unknown }).demoResult !== undefined, undefined, { timeout: 150_000 });
    const result = await tab.evaluate(() => (window as unknown as { demoResult: Record<string, unknown> }).demoResult);
    expect(result.error, String(result.error)).toBeUndefined();
    expect(result).toMatchObject({ crossOriginIsolated: true, build: 'threads' });
    expect(result.threads as number).toBeGreaterThan(1);
    expect(result.testAccuracy as number).toBeGreaterThan(0.8);
    expect(await tab.locator('#grid figure').count()).toBe(24);
    expect(problems).toEqual([]);
    // The screenshot is an artifact, not a check: some headless setups cannot capture.
    try {
      const session = await context.newCDPSession(tab);
      const shot = await Promise.race([session.send('Page.captureScreenshot', { format: 'png' }), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 15_000))]);
      mkdirSync(new URL('../../test-results/', import.meta.url), { recursive: true });
      writeFileSync(new URL('../../test-results/demo.png', import.meta.url), Buffer.from(shot.data, 'base64'));
    } catch (error) {
      console.warn(`demo screenshot not taken: ${String(error)}`);
    }
    await context.close();
  });

  /** Runs the page with these URL parameters until it leaves its result; the page errors it logged beside it. */
  async function runDemo(query: string): Promise<{ result: Record<string, unknown>; figures: number; problems: string[] }> {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const problems: string[] = [];
    tab.on('pageerror', (e) => problems.push(String(e)));
    await tab.goto(`${server.url}/demo/?${query}&autostart=1`);
    await tab.waitForFunction(() => (window as unknown as { demoResult?: unknown }).demoResult !== undefined, undefined, { timeout: 150_000 });
    const result = await tab.evaluate(() => (window as unknown as { demoResult: Record<string, unknown> }).demoResult);
    const figures = await tab.locator('#grid figure').count();
    await context.close();
    expect(result.error, String(result.error)).toBeUndefined();
    return { result, figures, problems };
  }

  it('transfer learning: a MobileNetV2 learns five classes, then, frozen, serves a new head for the other five', async () => {
    const { result, figures, problems } = await runDemo('model=transfer&train=3000&epochs=2');
    expect(result).toMatchObject({ model: 'transfer', crossOriginIsolated: true, build: 'threads' });
    // Five classes each: chance is 0.2.
    expect(result.firstAccuracy as number).toBeGreaterThan(0.7);
    expect(result.transferAccuracy as number).toBeGreaterThan(0.3);
    expect(figures).toBe(24);
    expect(problems).toEqual([]);
  });

  it('the text option: a character-level LSTM learns the sonnets\' letters on the page and writes', async () => {
    const { result, problems } = await runDemo('model=sonnets&train=3000&epochs=2');
    expect(result).toMatchObject({ model: 'sonnets', windows: 3000, epochs: 2, alphabet: 61, crossOriginIsolated: true, build: 'threads' });
    // 61 characters: chance is about 0.016; two short epochs already predict the commonest ones.
    expect(result.accuracy as number).toBeGreaterThan(0.12);
    expect(result.sample as string).toHaveLength(300);
    expect(problems).toEqual([]);
  });

  it('trains the CNN option too', async () => {
    const { result, problems } = await runDemo('model=cnn&train=10000&epochs=1');
    expect(result.model).toBe('cnn');
    expect(result.testAccuracy as number).toBeGreaterThan(0.7);
    expect(problems).toEqual([]);
  });
});
