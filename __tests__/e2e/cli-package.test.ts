/**
 * The package as a user gets it: `npm pack`, then `npm install <tarball>` into an empty folder
 * with an empty cache and --offline, which can only succeed when dist/cli is self-contained.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-action.js';
import { runCli } from '../helpers/run-cli.js';

const npm = (args: string[], cwd: string, cache: string): string =>
  execFileSync('npm', [...args, '--cache', cache, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });

describe('the packed package', () => {
  let project: string;
  let files: string[];
  beforeAll(async () => {
    const work = await mkdtemp(join(tmpdir(), 'rma-pack-'));
    const cache = join(work, 'npm-cache');
    const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', work], ROOT, cache)) as {
      filename: string;
      files: { path: string }[];
    }[];
    files = (packed[0]?.files ?? []).map((file) => file.path).sort();
    project = join(work, 'project');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), '{"name":"consumer","private":true}\n');
    npm(['install', '--offline', join(work, packed[0]?.filename ?? '')], project, cache);
  }, 120_000);

  it('ships the command, its docs and licences, and nothing else', () => {
    expect(files).toEqual([
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'dist/cli/index.js',
      'dist/cli/licenses.txt',
      'dist/cli/package.json',
      'docs/cli.md',
      'package.json',
    ]);
  });

  it('installs without fetching a single dependency', () => {
    expect(readdirSync(join(project, 'node_modules')).filter((d) => !d.startsWith('.'))).toEqual([
      'reliability-metrics-action',
    ]);
  });

  it('runs from node_modules/.bin: --version and a run that writes its metrics file', async () => {
    const bin = join(project, 'node_modules', '.bin', 'reliability-metrics');
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const version = await runCli(['--version'], { cwd: project, program: [bin] });
    expect(version.stdout.trim()).toBe(pkg.version);
    const run = await runCli(['run', '--suite', 'packed', '--', 'echo', 'hello from the suite'], {
      cwd: project,
      program: [bin],
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('hello from the suite');
    expect(existsSync(join(project, 'reliability-metrics.prom'))).toBe(true);
  });
});
