import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built dashboard's directory, or null when it has not been built. */
export function dashboardDirectory(): string | null {
  try {
    const root = fileURLToPath(new URL('.', import.meta.resolve('@sightline/dashboard')));
    const dist = join(root, 'dist');
    return existsSync(join(dist, 'index.html')) ? dist : null;
  } catch {
    return null;
  }
}
