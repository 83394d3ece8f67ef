/** Shared helpers of the report parser tests. */
import { copyFile, mkdir, mkdtemp, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { TestCase, TestStatus } from '../../src/model.js';

/** Absolute path of a fixture under __tests__/fixtures. */
export function fixture(relative: string): string {
  return fileURLToPath(new URL(`../fixtures/${relative}`, import.meta.url));
}

/** Number of tests per status, only statuses that occur. */
export function countByStatus(tests: Iterable<TestCase>): Partial<Record<TestStatus, number>> {
  const counts: Partial<Record<TestStatus, number>> = {};
  for (const test of tests) counts[test.status] = (counts[test.status] ?? 0) + 1;
  return counts;
}

/** The test whose id ends with `suffix`; throws when there is not exactly one. */
export function byId(tests: Iterable<TestCase>, suffix: string): TestCase {
  const found = [...tests].filter((test) => test.id.endsWith(suffix));
  if (found.length !== 1) throw new Error(`${found.length} tests end with ${suffix}`);
  return found[0] as TestCase;
}

/** A temp folder holding fixtures: each target path (folders made as needed) a copy of a fixture. */
export async function fixtureWorkspace(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rma-reports-'));
  for (const [target, source] of Object.entries(files)) {
    await mkdir(join(dir, target, '..'), { recursive: true });
    await copyFile(fixture(source), join(dir, target));
  }
  return dir;
}

/** Sets a file's access and modification times (Unix seconds). */
export async function setMtime(path: string, seconds: number): Promise<void> {
  await utimes(path, seconds, seconds);
}
