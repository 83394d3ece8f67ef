import { copyFile, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { collectReports, DEFAULT_REPORT_PATTERNS } from '../../src/reports/collect.js';
import { discoverFiles } from '../../src/reports/discover.js';
import { fixture } from './helpers.js';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'rma-discover-'));
}

/** A workspace with one report at its root and two symlink loops (`a/up -> ..`, `b/up -> ..`). */
async function loopedWorkspace(): Promise<string> {
  const cwd = await tempDir();
  await copyFile(fixture('junit/maven-surefire.xml'), join(cwd, 'junit.xml'));
  for (const dir of ['a', 'b']) {
    await mkdir(join(cwd, dir));
    await symlink('..', join(cwd, dir, 'up'));
  }
  return cwd;
}

/** `width` directories on each of `depth` levels below `root`: width ** depth directories. */
async function wideTree(root: string, width: number, depth: number): Promise<void> {
  if (depth === 0) return;
  for (let i = 0; i < width; i++) {
    const dir = join(root, `d${i}`);
    await mkdir(dir);
    await wideTree(dir, width, depth - 1);
  }
}

let large: Promise<string> | undefined;

/** One tree of 9 ** 4 + ... = 7380 directories and a first.xml, made once for the tests. */
function largeTree(): Promise<string> {
  large ??= (async () => {
    const cwd = await tempDir();
    await wideTree(cwd, 9, 4);
    await writeFile(join(cwd, 'first.xml'), '<testsuite name="x"/>');
    return cwd;
  })();
  return large;
}

describe('discoverFiles', () => {
  it('never follows a symlink loop: two loops, the report read once', async () => {
    const cwd = await loopedWorkspace();
    const started = Date.now();
    const result = await collectReports({
      patterns: DEFAULT_REPORT_PATTERNS,
      cwd,
      format: 'auto',
      modifiedSince: 0,
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.reports.map((r) => r.path)).toEqual(['junit.xml']);
    expect(result.tests).toHaveLength(6);
    expect(result.warnings).toEqual([]);
  });

  it('does not walk a symlinked directory out of the tree, and counts a file once by its real path', async () => {
    const outside = await tempDir();
    await copyFile(fixture('junit/gotestsum.xml'), join(outside, 'outside.xml'));
    const cwd = await tempDir();
    await copyFile(fixture('junit/maven-surefire.xml'), join(cwd, 'junit.xml'));
    await symlink(outside, join(cwd, 'elsewhere'));
    await symlink('junit.xml', join(cwd, 'same-report.xml'));
    const found = await discoverFiles({ patterns: ['**/*.xml'], cwd });
    expect(found.files.map((f) => f.display)).toEqual(['junit.xml']);
    expect(found.unmatched).toEqual([]);
    // A pattern whose fixed part names the link is the user's own choice: it is read.
    const named = await discoverFiles({ patterns: ['elsewhere/*.xml'], cwd });
    expect(named.files.map((f) => f.display)).toEqual(['elsewhere/outside.xml']);
  });

  it('stops at its depth bound with a warning naming it', async () => {
    const cwd = await tempDir();
    const deep = join(cwd, 'l1', 'l2', 'l3');
    await mkdir(deep, { recursive: true });
    await copyFile(fixture('junit/gotestsum.xml'), join(deep, 'deep.xml'));
    await copyFile(fixture('junit/gotestsum.xml'), join(cwd, 'l1', 'shallow.xml'));
    const found = await discoverFiles({ patterns: ['**/*.xml'], cwd, maxDepth: 2 });
    expect(found.files.map((f) => f.display)).toEqual(['l1/shallow.xml']);
    expect(found.warnings).toEqual([
      'Report discovery did not search below its depth limit (2 directory levels), in l1/l2/l3: reports deeper than that were not read. Give report-paths a pattern whose fixed part starts nearer to them.',
    ]);
    // The depth counts from the fixed part of the pattern.
    const nearer = await discoverFiles({ patterns: ['l1/l2/**/*.xml'], cwd, maxDepth: 2 });
    expect(nearer.files.map((f) => f.display)).toEqual(['l1/l2/l3/deep.xml']);
    expect(nearer.warnings).toEqual([]);
  });

  it('stops at its time bound with a warning naming it', async () => {
    const cwd = await largeTree();
    const found = await discoverFiles({ patterns: ['**/*.xml'], cwd, timeoutMs: 1 });
    expect(found.warnings).toEqual([
      'Report discovery stopped at its time limit (0.001 s) before it had searched everything: reports it had not reached were not read. Name them in report-paths with patterns that start nearer to them.',
    ]);
    // A stopped search does not claim that a pattern matched nothing.
    expect(found.unmatched).toEqual([]);
  });

  it('an AbortSignal stops it, keeping what it found', async () => {
    const cwd = await largeTree();
    const controller = new AbortController();
    const search = discoverFiles({
      patterns: ['*.xml', '**/*.json'],
      cwd,
      signal: controller.signal,
    });
    setTimeout(() => {
      controller.abort();
    }, 50);
    const found = await search;
    // What was found before the abort is kept (first.xml, unless the machine was too slow to
    // reach it in 50 ms); the walk of the large tree never completes.
    expect(['first.xml', undefined]).toContain(
      found.files.map((f) => f.display).join() || undefined,
    );
    expect(found.warnings).toEqual([
      'Report discovery was cancelled before it had searched everything: reports it had not reached were not read.',
    ]);
    // Cancelled before it began (the command was ended): what the command wrote is still read,
    // within a short bound.
    const after = await discoverFiles({ patterns: ['*.xml'], cwd, signal: controller.signal });
    expect(after.files.map((f) => f.display)).toEqual(['first.xml']);
    expect(after.warnings).toEqual([]);
    const cut = await discoverFiles({
      patterns: ['**/*.json'],
      cwd,
      signal: controller.signal,
      timeoutMs: 1,
    });
    expect(cut.warnings).toEqual([
      'Report discovery stopped at its time limit (0.001 s, shortened because the run was cancelled) before it had searched everything: reports it had not reached were not read. Name them in report-paths with patterns that start nearer to them.',
    ]);
  });
});
