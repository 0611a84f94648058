/**
 * Starts browser mode on a temporary copy of a project (the Mingantu sample,
 * or the small fixture while the sample is missing) in a child process, the
 * way a user runs it, and stops it again; opens the app in a page and waits
 * for it; runs `warmnet` on a copy of the same project for the numbers a
 * test compares the app's with.
 */
import { expect, type Page } from '@playwright/test';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SAMPLE = join(ROOT, 'gis-data', 'mingantu.gpkg');

export interface RunningApp {
  url: string;
  origin: string;
  projectPath: string;
  /** A second copy of the same project for `warmnet info`: opening the served file from another process would count as an external change. */
  infoPath: string;
  usingSample: boolean;
  stop(): void;
}

/**
 * `electron/web.ts` on a project in a child process, with NODE_ENV `test` so that
 * a handler answering another shape than its contract fails the call; resolves
 * once it prints its address.
 */
export async function launchBrowserMode(projectPath: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'electron/web.ts'), '--project', projectPath, '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    // As under vitest: the dispatcher checks every answer against its channel's result schema.
    env: { ...process.env, NODE_ENV: 'test' },
  });
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`browser mode did not start:\n${out}`)), 30_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => fail(new Error(`browser mode exited (${code}):\n${out}`)));
  });
  return { child, url };
}

export async function startApp(): Promise<RunningApp> {
  const dir = mkdtempSync(join(tmpdir(), 'warmnet-e2e-'));
  const projectPath = join(dir, 'project.gpkg');
  const explicit = process.env.WARMNET_E2E_PROJECT;
  const usingSample = !explicit && existsSync(SAMPLE);
  if (explicit) copyFileSync(explicit, projectPath);
  else if (usingSample) copyFileSync(SAMPLE, projectPath);
  else {
    console.warn('e2e: gis-data/mingantu.gpkg not found — using the small fixture project (npm run sample makes the sample)');
    execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'tests/e2e/make-fixture.ts'), projectPath], { cwd: ROOT });
  }
  const infoPath = join(dir, 'project-info.gpkg');
  copyFileSync(projectPath, infoPath);
  const { child, url } = await launchBrowserMode(projectPath);
  return {
    url,
    origin: new URL(url).origin,
    projectPath,
    infoPath,
    usingSample,
    stop() {
      child.kill('SIGTERM');
      setTimeout(() => rmSync(dir, { recursive: true, force: true }), 500);
    },
  };
}

/** `warmnet info --json` on the same file: the numbers the legend must show. */
export function warmnetInfo(projectPath: string): {
  year: number;
  themes: Record<'age' | 'leakage' | 'renovation' | 'level', Record<string, { count: number; km: number }>>;
} {
  const out = execFileSync(process.execPath, [join(ROOT, 'bin/warmnet.mjs'), 'info', projectPath, '--json'], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out);
}

/**
 * Opens the app at `url` in `page` and waits until it is ready; `drawn`: and
 * until the map has drawn the project's data once.
 */
export async function openApp(page: Page, url: string, opts: { drawn?: boolean } = {}): Promise<void> {
  await page.goto(url);
  await expect(page.locator('.app')).toHaveAttribute('data-status', 'ready');
  await page.evaluate(() => window.warmnetDebug!.ready);
  if (opts.drawn) await page.waitForFunction(() => window.warmnetDebug?.firstDataIdleMs !== undefined, null, { timeout: 60_000 });
}

/** Waits until the map has drawn everything (MapLibre's `idle`). */
export async function mapIdle(page: Page): Promise<void> {
  await page.evaluate(() => window.warmnetDebug!.controller.whenIdle());
}

/**
 * A copy of the running app's project in a folder of its own, for `warmnet`:
 * the app must not see another program touch its file. `remove` deletes it.
 */
export function cliCopy(app: RunningApp, prefix: string): { path: string; remove(): void } {
  const path = join(mkdtempSync(join(tmpdir(), prefix)), 'copy.gpkg');
  copyFileSync(app.projectPath, path);
  return { path, remove: () => rmSync(dirname(path), { recursive: true, force: true }) };
}

/** `warmnet <args> --json`, run as a user runs it: its JSON as printed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the CLI's JSON, read field by field by the tests
export function warmnetJson(...args: string[]): any {
  return JSON.parse(execFileSync(process.execPath, [join(ROOT, 'bin/warmnet.mjs'), ...args, '--json'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 200_000_000 }));
}

/** The panels' number format: `d` decimals, thousands separated. */
export const fixed = (x: number, d = 2) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
