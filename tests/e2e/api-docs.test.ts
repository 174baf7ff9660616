import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { E2E_OUTPUT, useServerAndBrowser } from './browser.js';
import { ROUTES } from '../../server/http/openapi.js';

const ctx = useServerAndBrowser();

describe('API reference page', () => {
  it('renders every operation of /api/openapi.json under the CSP, with nothing loaded from elsewhere', async () => {
    const page = await ctx.browser().newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    const origins = new Set<string>();
    page.on('request', (r) => origins.add(new URL(r.url()).origin));
    await page.goto(`${ctx.server().url}/api/docs`);
    await page.waitForSelector('.opblock-summary-path');
    const operations = await page.$$eval('.opblock', (els) => els.length);
    assert.equal(operations, ROUTES.length, 'one operation per route of the registry');
    const title = (await page.textContent('.info .title')) ?? '';
    assert.match(title, /^Taser crewing planner API/);
    assert.match(title, /OAS 3\.1/);
    await page.click('#operations-Plans-postPlansIdPublish .opblock-summary');
    await page.waitForSelector('text=Roles: planner, admin');
    assert.deepEqual(problems, []);
    assert.deepEqual([...origins], [new URL(ctx.server().url).origin]);
    await page.screenshot({ path: join(E2E_OUTPUT, 'api-docs.png') });
    await page.close();
  });
});
