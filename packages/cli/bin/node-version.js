// Which Node.js can run Sightline: its sources are TypeScript run by Node's type stripping, on by
// default from Node 22.18 (and 23.6). Plain JavaScript, so that any Node can run this check before
// anything imports a .ts file.

/** The oldest Node.js that runs Sightline, as printed to people. */
export const REQUIRED_NODE = '22.18';

/** The one-line message naming the Node.js needed and how to get it, or undefined when `version` will do. */
export function nodeVersionProblem(version) {
  const [major = 0, minor = 0] = String(version).replace(/^v/, '').split('.').map(Number);
  const supported = major >= 24 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);
  if (supported) return undefined;
  return (
    `sightline needs Node.js ${REQUIRED_NODE} or newer, found ${version}. ` +
    'Install Node.js 24 LTS (https://nodejs.org or `nvm install 24`); ' +
    'in the Sightline repository `source scripts/use-node24.sh` puts it first on PATH.'
  );
}
