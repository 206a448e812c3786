/**
 * The API reference at /docs is configured for a local tool: the options that hide Scalar's cloud
 * features (Ask AI, Generate MCP, Developer Tools / Configure / Share / Deploy, the hosted client,
 * web fonts, telemetry) reach the page, and the installed Scalar bundle knows each of them.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from './test-fixture.ts';

/** The configuration object the page passes to `Scalar.createApiReference`. */
function pageConfiguration(html: string): Record<string, unknown> {
  const json = /Scalar\.createApiReference\('#app', (\{[\s\S]*?\})\)\s*<\/script>/.exec(html)?.[1];
  if (!json) throw new Error(`no Scalar.createApiReference call in:\n${html}`);
  return JSON.parse(json) as Record<string, unknown>;
}

describe('API reference at /docs', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await createFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('turns off the agent, MCP, developer toolbar, hosted client, web fonts and telemetry', async () => {
    const html = await (await f.request('/docs')).text();
    expect(pageConfiguration(html)).toMatchObject({
      url: '/openapi.json',
      agent: { disabled: true },
      mcp: { disabled: true },
      showDeveloperTools: 'never',
      hideClientButton: true,
      withDefaultFonts: false,
      telemetry: false,
      favicon: expect.stringMatching(/^data:image\/svg\+xml,/),
    });
    expect(html).toContain('<script src="/docs/assets/standalone.js"></script>');
    expect(html).not.toMatch(/jsdelivr|scalar\.com|https:\/\//);
  });

  it('uses only options the installed @scalar/api-reference bundle knows', async () => {
    const entry = fileURLToPath(import.meta.resolve('@scalar/api-reference'));
    const bundle = await readFile(join(dirname(entry), 'browser', 'standalone.js'), 'utf8');
    const config = pageConfiguration(await (await f.request('/docs')).text());
    const unknown = Object.keys(config).filter((name) => !bundle.includes(`${name}:`));
    expect(unknown).toEqual([]);
    for (const nested of ['agent', 'mcp']) expect(bundle).toMatch(new RegExp(`${nested}\\?\\.disabled`));
  });
});
