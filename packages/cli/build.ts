/** `npm run build -w sightline`: the bundle of rolldown.config.ts, quietly (rolldown's CLI lists every chunk). */
import { build } from 'rolldown';
import config from './rolldown.config.ts';

await build(config);
