/**
 * sightline — the command line (`npx sightline start`), and `start()` for embedding it in a script.
 */

export {
  credentialsPath,
  type LocalCredentials,
  readCredentials,
  type StoredCredentials,
} from './credentials.ts';
export { ensureDefaultProject } from './default-project.ts';
export { main } from './main.ts';
export { type Started, type StartOptions, start } from './start.ts';
