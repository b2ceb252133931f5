import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSameAsNode, nodeContract, nodeReference, nodeRelaxedReference, type ContractResult, type SmokeResult } from './expected.js';
// @ts-expect-error: plain JavaScript module shared with the other runtimes
import { failures } from '../conformance/contract.js';
// @ts-expect-error: plain JavaScript module shared with the demo
import { serveStatic } from '../../demo/static-server.js';

const CHROMIUM = '/usr/bin/chromium';
const root = fileURLToPath(new URL('../../', import.meta.url));

// The page imports the built package as a browser would, runs the shared smoke test, and
// exposes its result (or its error) on window.
function page(initOptions: string, check = 'smoke'): string {
  return `<!doctype html><meta charset="utf-8"><title>wasmlearn smoke</title><link rel="icon" href="data:,">
<script type="module">
  import * as lib from '/dist/index.js';
  import { smoke } from '/tests/runtimes/smoke.js';
  import { contract } from '/tests/conformance/contract.js';
  const run = ${check === 'contract' ? `lib.init(${initOptions}).then(async () => ({ info: lib.backendInfo(), contract: await contract(lib) }))` : `smoke(lib, ${initOptions})`};
  run.then(
    (result) => { window.smokeResult = result; },
    (error) => { window.smokeResult = { failed: String(error && error.stack || error) }; });
</script>`;
}

async function runPage(browser: Browser, isolated: boolean, initOptions: string, check = 'smoke') {
  const server = await serveStatic({ root, pages: { '/smoke.html': page(initOptions, check) }, isolated });
  const context = await browser.newContext();
  const tab = await context.newPage();
  const messages: { type: string; text: string }[] = [];
  tab.on('console', (m) => messages.push({ type: m.type(), text: m.text() }));
  tab.on('pageerror', (e) => messages.push({ type: 'pageerror', text: String(e) }));
  try {
    await tab.goto(`${server.url}/smoke.html`);
    await tab.waitForFunction(() => (window as unknown as { smokeResult?: unknown }).smokeResult !== undefined, undefined, { timeout: 60_000 });
    const result = await tab.evaluate(() => (window as unknown as { smokeResult: unknown }).smokeResult);
    const isolatedPage = await tab.evaluate(() => globalThis.crossOriginIsolated);
    return { result: result as SmokeResult & { failed?: string }, messages, isolatedPage };
  } finally {
    await context.close();
    await server.close();
  }
}

describe('headless Chromium', () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does`);
  }
  let browser: Browser;
  let reference: SmokeResult;
  beforeAll(async () => {
    reference = await nodeReference();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('with COOP/COEP: threads are on (Web Workers on shared memory) and results match Node', async () => {
    const { result, messages, isolatedPage } = await runPage(browser, true, '{ threads: 2 }');
    expect(result.failed).toBeUndefined();
    expect(isolatedPage).toBe(true);
    expect(result.info).toMatchObject({ runtime: 'browser', build: 'threads', threads: 2 });
    expectSameAsNode(result, reference, expect);
    expect(messages.filter((m) => m.type === 'error' || m.type === 'pageerror')).toEqual([]);
  });

  it('the relaxed-SIMD build (native in Chromium) matches Node\'s relaxed build bit for bit', async () => {
    const nodeRelaxed = nodeRelaxedReference();
    const { result, messages } = await runPage(browser, true, "{ threads: 2, relaxedSimd: true }");
    expect(result.failed).toBeUndefined();
    expect(result.info).toMatchObject({ runtime: 'browser', build: 'threads', relaxedSimd: true, threads: 2 });
    expectSameAsNode(result, nodeRelaxed, expect);
    expect(messages.filter((m) => m.type === 'error' || m.type === 'pageerror')).toEqual([]);
  });

  it('without COOP/COEP: the single-thread build, one warning naming the headers, same results', async () => {
    const { result, messages, isolatedPage } = await runPage(browser, false, '{}');
    expect(result.failed).toBeUndefined();
    expect(isolatedPage).toBe(false);
    expect(result.info).toMatchObject({ runtime: 'browser', build: 'simd', threads: 1 });
    expectSameAsNode(result, reference, expect);
    const warnings = messages.filter((m) => m.type === 'warning' && m.text.includes('wasmlearn'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].text).toMatch(/one thread because the page is not cross-origin isolated.*Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp/);
    expect(messages.filter((m) => m.type === 'error' || m.type === 'pageerror')).toEqual([]);
  });

  it('passes the conformance contract with threads and on one thread, bit for bit as Node', async () => {
    const reference: ContractResult = await nodeContract();
    for (const [isolated, options, threads] of [[true, '{ threads: 2 }', 2], [false, '{}', 1]] as const) {
      const { result, messages } = await runPage(browser, isolated, options, 'contract');
      const { info, contract, failed } = result as unknown as { info: { runtime: string; threads: number }; contract: ContractResult; failed?: string };
      expect(failed).toBeUndefined();
      expect(info).toMatchObject({ runtime: 'browser', threads });
      expect(failures(contract)).toEqual([]);
      expect(contract).toEqual(reference);
      expect(messages.filter((m) => m.type === 'error' || m.type === 'pageerror')).toEqual([]);
    }
  });

  it('asking for threads on a page that cannot have them is a clear error', async () => {
    const { result } = await runPage(browser, false, '{ threads: 2 }');
    expect(result.failed).toMatch(/RuntimeUnavailableError: init: 2 threads were asked for, but the page is not cross-origin isolated/);
  });
});
