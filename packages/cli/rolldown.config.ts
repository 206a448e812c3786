/**
 * The `sightline` command's build: `src/main.ts` and the @sightline packages it uses, bundled into
 * `dist/` as plain JavaScript (the npm packages they depend on stay imports). Why: Node runs a `.ts`
 * source only through its type stripper, a WebAssembly module that holds ~30 MB of resident memory for
 * the life of the process (bench/ingest/README.md, Export), and refuses to strip files under
 * node_modules at all. bin/sightline.js runs the bundle when it is there, the sources otherwise.
 * Built by `npm install` (prepare), before `npm start` (prestart) and before `npm test`
 * (test/build-bundle.ts), so what runs and what is tested is the current source.
 */
import type { BuildOptions } from 'rolldown';

const config: BuildOptions = {
  cwd: import.meta.dirname,
  input: { main: 'src/main.ts' },
  platform: 'node',
  // Only our own packages are bundled; every other import is left to Node's resolution.
  external: (id) => !/^(@sightline\/|\.|\/|[A-Za-z]:)/.test(id),
  output: {
    dir: 'dist',
    cleanDir: true,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
  },
};

export default config;
