/** What users look for before they adopt a tool: a licence, a changelog, dependency updates. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from './helpers/run-action.js';

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

describe('project hygiene', () => {
  it('has the licence package.json names', () => {
    const pkg = JSON.parse(read('package.json')) as { license: string };
    expect(pkg.license).toBe('MIT');
    expect(read('LICENSE')).toMatch(
      /^MIT License\n\nCopyright \(c\) \d{4} the reliability-metrics-action contributors/,
    );
  });

  it('keeps a changelog with an Unreleased section and the current version', () => {
    const changelog = read('CHANGELOG.md');
    const pkg = JSON.parse(read('package.json')) as { version: string };
    expect(changelog).toContain('## [Unreleased]');
    expect(changelog).toContain(`## [${pkg.version}]`);
  });

  it('asks Dependabot for npm and GitHub Actions updates', () => {
    const config = parse(read('.github/dependabot.yml')) as {
      version: number;
      updates: { 'package-ecosystem': string; directory: string }[];
    };
    expect(config.version).toBe(2);
    expect(config.updates.map((u) => u['package-ecosystem']).sort()).toEqual([
      'github-actions',
      'npm',
    ]);
  });

  it('bundles every runtime library: the package has no dependencies to install', () => {
    const pkg = JSON.parse(read('package.json')) as { dependencies?: Record<string, string> };
    expect(
      pkg.dependencies ?? {},
      'dist/ is self-contained: list libraries the bundles use under devDependencies',
    ).toEqual({});
  });
});
