#!/usr/bin/env node
/**
 * `npm test` runs this first: the tests start real Prometheus, Pushgateway and Alertmanager
 * binaries and a real pytest suite, from the Debian packages in .ci/apt-packages.txt. Missing
 * ones are installed with apt-get when running as root on Debian (as CI and a fresh machine do);
 * otherwise the command to install them is printed. RMA_NO_INSTALL=1 only checks.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packages = readFileSync(join(root, '.ci', 'apt-packages.txt'), 'utf8')
  .split('\n')
  .map((line) => line.replace(/#.*/, '').trim())
  .filter((line) => line !== '');

const installed = (name) =>
  spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' }).stdout?.includes(
    'install ok installed',
  );
const hasDpkg = spawnSync('dpkg-query', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasDpkg) {
  console.warn('ensure-test-tools: not a Debian system; the tests need', packages.join(', '));
  process.exit(0);
}
const missing = packages.filter((name) => !installed(name));
if (missing.length === 0) process.exit(0);

const install = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
const command = `apt-get update && ${install}`;
const isRoot = process.getuid?.() === 0;
if (!isRoot || process.env.RMA_NO_INSTALL === '1') {
  console.error(
    `The tests need these Debian packages: ${missing.join(', ')}.\nInstall them with:\n  sudo apt-get update && sudo ${install}`,
  );
  process.exit(1);
}
console.log(`ensure-test-tools: installing ${missing.join(', ')}`);
const result = spawnSync('sh', ['-c', command], {
  stdio: 'inherit',
  env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
});
process.exit(result.status ?? 1);
