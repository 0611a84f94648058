import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWebServer, type WebServer } from './web';
import { writeFixtureProject } from '../tests/e2e/fixture';

describe('browser bridge: layer:get answers', () => {
  let dir: string;
  let web: WebServer;
  const call = async (channel: string, args: unknown) => {
    const res = await fetch(web.url + 'api/invoke', { method: 'POST', body: JSON.stringify({ channel, args }) });
    return res.text();
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'warmnet-web-'));
    // the bridge wants a built renderer; the API does not need a real one
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    const project = join(dir, 'p.gpkg');
    writeFixtureProject(project);
    web = await startWebServer({ projectPath: project, port: 0, distDir: dir });
  });
  afterAll(async () => {
    await web.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the same layer twice alike, and the edited layer after an edit (the written JSON is kept per revision only)', async () => {
    const first = await call('layer:get', { layer: 'pipes' });
    expect(await call('layer:get', { layer: 'pipes' })).toBe(first);
    const pipes = JSON.parse(first).result.features as { id: string; properties: { dn: number } }[];
    expect(pipes.length).toBeGreaterThan(0);
    const target = pipes[0];
    const dn = target.properties.dn === 200 ? 250 : 200;
    web.store.updateFeature('pipes', String(target.id), { properties: { dn } });
    const after = JSON.parse(await call('layer:get', { layer: 'pipes' })).result.features as typeof pipes;
    expect(after.find((f) => f.id === target.id)!.properties.dn).toBe(dn);
    // other channels are written fresh each time and still answer
    expect(JSON.parse(await call('layer:get', { layer: 'nope' })).ok).toBe(false);
  });
});
