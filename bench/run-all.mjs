#!/usr/bin/env node
/**
 * `npm run bench`: runs every benchmark one after the other (never two at once: they measure
 * time and CPU), output as it comes, then which ones failed. Needs the Debian packages of
 * .ci/run (prometheus-pushgateway, python3-pytest) and a built dist/ (`npm run package`).
 *
 *   node bench/run-all.mjs                  # all of them, full size (~10 min on 2 cores)
 *   node bench/run-all.mjs --quick          # fewer runs, shorter windows, no 100 MB report,
 *                                           # no 100-runs burst
 *   node bench/run-all.mjs --only push,cold-start
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const at = args.indexOf('--only');
const only = at >= 0 ? new Set((args[at + 1] ?? '').split(',')) : undefined;

/** name, node flags, script, arguments (full), arguments (quick; null: skipped when quick). */
const BENCHES = [
  ['cold-start', [], 'cold-start.mjs', [], ['--runs', '5']],
  ['sampler-cost', [], 'sampler-cost.mjs', [], ['--seconds', '10', '--idle-seconds', '4']],
  ['overhead', [], 'overhead.mjs', [], ['--runs', '3']],
  ['push', [], 'push.mjs', [], ['--runs', '3']],
  ['error-body', [], 'error-body.mjs', [], ['--mb', '20']],
  ['remote-write', [], 'remote-write.mjs', [], ['--runs', '3', '--n', '10', '--scrape', '5']],
  ['gateway-scaling', [], 'gateway-scaling.mjs', [], ['--groups', '50']],
  ['load-burst', [], 'load-burst.mjs', [], null],
  ['parse-reports', ['--import', 'tsx'], 'parse-reports.mjs', [], ['--quick']],
  ['action-large-report', [], 'action-large-report.mjs', [], null],
  ['discovery', [], 'discovery.mjs', [], ['--quick']],
];

function run(nodeFlags, script, scriptArgs) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [...nodeFlags, join(HERE, script), ...scriptArgs], {
      stdio: 'inherit',
    });
    child.once('error', () => done(1));
    child.once('close', (code) => done(code ?? 1));
  });
}

const failed = [];
const started = Date.now();
for (const [name, nodeFlags, script, full, short] of BENCHES) {
  if (only !== undefined && !only.has(name)) continue;
  const scriptArgs = quick ? short : full;
  if (scriptArgs === null) {
    console.log(`\n== ${name}: skipped (--quick)`);
    continue;
  }
  console.log(`\n== ${name}: node ${[...nodeFlags, `bench/${script}`, ...scriptArgs].join(' ')}\n`);
  const code = await run(nodeFlags, script, scriptArgs);
  if (code !== 0) failed.push(`${name} (exit ${code})`);
}
console.log(
  `\n== ${((Date.now() - started) / 1000).toFixed(0)} s; ${failed.length === 0 ? 'all ran' : `failed: ${failed.join(', ')}`}`,
);
process.exitCode = failed.length === 0 ? 0 : 1;
