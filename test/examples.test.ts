/**
 * The examples are servers that can run side by side: each has its own default port, and the root
 * README's Examples table and each example's README name that port and requests to it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLES = readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

/** The port `examples/<name>/src/main.ts` listens on when PORT is not set. */
function defaultPort(name: string): number | undefined {
  const main = readFileSync(join(ROOT, 'examples', name, 'src', 'main.ts'), 'utf8');
  const match = /process\.env\.PORT \?\? (\d+)/.exec(main);
  return match?.[1] ? Number(match[1]) : undefined;
}

describe('examples', () => {
  it('each listens on a default port of its own', () => {
    const ports = Object.fromEntries(EXAMPLES.map((name) => [name, defaultPort(name)]));
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(6);
    for (const name of EXAMPLES) expect(ports[name], name).toBeTypeOf('number');
    expect(new Set(Object.values(ports)).size).toBe(EXAMPLES.length);
  });

  it("are listed in the root README with their port and a curl to it, as in each example's README", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Examples'), readme.indexOf('## Tests'));
    for (const name of EXAMPLES) {
      const port = defaultPort(name);
      const row = section.split('\n').find((line) => line.startsWith(`| [${name}](examples/${name})`));
      expect(row, name).toBeDefined();
      expect(row?.split('|')[2]?.trim(), name).toBe(String(port));
      expect(row, name).toContain(`localhost:${port}/`);
      const own = readFileSync(join(ROOT, 'examples', name, 'README.md'), 'utf8');
      expect(own, name).toContain(`PORT=${port}`);
      const others = [...own.matchAll(/(?:localhost|127\.0\.0\.1):(\d{4})\b/g)].map((m) => Number(m[1]));
      expect(
        others.filter((other) => other !== port),
        name,
      ).toEqual([]);
    }
  });
});
