#!/usr/bin/env node
/**
 * `npm run test:e2e`: finds a Chromium (CHROMIUM_PATH, Debian's, or
 * Playwright's own if installed), builds the renderer if needed, and runs the
 * Playwright tests in tests/e2e against browser mode.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureRendererBuilt, root } from './web.mjs';

async function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  for (const c of candidates) if (existsSync(c)) return c;
  try {
    const { chromium } = await import('@playwright/test');
    const own = chromium.executablePath();
    if (own && existsSync(own)) return own;
  } catch {
    /* no Playwright browser */
  }
  return null;
}

const chromium = await findChromium();
if (!chromium) {
  console.error(
    [
      'e2e: no Chromium found. Install one of:',
      '  Debian/Ubuntu:  sudo apt-get install -y chromium',
      '  or Playwright’s own browser (needs internet): npx playwright install chromium',
      '  or point CHROMIUM_PATH at a Chromium / Chrome binary.',
    ].join('\n'),
  );
  process.exit(1);
}
await ensureRendererBuilt();
const cli = join(root, 'node_modules', '@playwright', 'test', 'cli.js');
const r = spawnSync(process.execPath, [cli, 'test', '-c', join(root, 'playwright.config.ts'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CHROMIUM_PATH: chromium },
});
process.exit(r.status ?? 1);
