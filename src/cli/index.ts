#!/usr/bin/env node
/** Entry point of the `reliability-metrics` command (bundled into dist/cli/index.js). */
import { main } from './main.js';

// A stray rejection (a socket of a hung gateway) must not end the run before its verdict.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`reliability-metrics: internal error, ignored: ${String(reason)}\n`);
});

const exit = (code: number): void => {
  // Exit once both streams are flushed: a lingering socket or timer must never keep the process alive.
  process.stdout.write('', () => {
    process.stderr.write('', () => process.exit(code));
  });
};

main({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTty: process.stderr.isTTY,
}).then(exit, (error: unknown) => {
  process.stderr.write(
    `reliability-metrics: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  exit(1);
});
