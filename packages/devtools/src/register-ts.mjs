// `node --conditions=@pushline/source --import ./packages/devtools/src/register-ts.mjs <file.ts>`
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
