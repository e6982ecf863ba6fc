#!/usr/bin/env node
// `npx pushline tail …`: the terminal client of @pushline/client (see `pushline tail --help`).
import { runTail } from './tail.command.js';
import { parseTailOptions, TAIL_USAGE } from './tail-options.js';

const [command, ...rest] = process.argv.slice(2);
if (command !== 'tail' || rest.includes('--help') || rest.includes('-h')) {
  process.stdout.write(TAIL_USAGE);
  process.exit(command === 'tail' || command === '--help' || command === '-h' ? 0 : 2);
}

let options;
try {
  options = parseTailOptions(rest, process.env, process.stdout.isTTY === true);
} catch (error) {
  process.stderr.write(`pushline: ${(error as Error).message}\n\n${TAIL_USAGE}`);
  process.exit(2);
}

const stop = new Promise<void>((resolve) => {
  process.once('SIGINT', () => resolve());
  process.once('SIGTERM', () => resolve());
});
const code = await runTail(options, { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) }, stop);
process.exit(code);
