/**
 * Vitest global setup: builds the `sightline` command's bundle (../rolldown.config.ts) before
 * any test runs, so the end-to-end tests that start `bin/sightline.js` run the current sources, as
 * `npm start` does after its own build, never a bundle older than them.
 */
import { build } from 'rolldown';
import config from '../rolldown.config.ts';

export default async function setup(): Promise<void> {
  await build(config);
}
