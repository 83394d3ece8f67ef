import { describe, expect, it } from 'vitest';
import type { ProcessTree } from '../../src/runner/process-tree.js';
import { Sampler } from '../../src/runner/sampler.js';

/** A tree that answers with fixed pids, or fails. */
const fakeTree = (pids: () => Promise<number[]>): ProcessTree =>
  ({ pids }) as unknown as ProcessTree;

describe('Sampler', () => {
  it('leaves out a pid that is gone and keeps the live ones', async () => {
    const sampler = new Sampler(
      fakeTree(() => Promise.resolve([process.pid, 2 ** 22 + 12345])),
      50,
    );
    sampler.start();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const resources = await sampler.stop();
    expect(resources.samples.length).toBeGreaterThan(1);
    expect(resources.samples.every((s) => s.processes === 1)).toBe(true);
    expect(resources.peakRssBytes).toBeGreaterThan(10 * 1024 * 1024);
  });

  it('never rejects when the tree cannot be read', async () => {
    const sampler = new Sampler(
      fakeTree(() => Promise.reject(new Error('EACCES'))),
      20,
    );
    sampler.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const resources = await sampler.stop();
    expect(resources.samples).toEqual([]);
    expect(resources.peakRssBytes).toBe(0);
  });

  it('survives a sample whose measurement throws', async () => {
    let calls = 0;
    const tree = fakeTree(() => {
      calls++;
      if (calls === 2) throw new TypeError('boom');
      return Promise.resolve([process.pid]);
    });
    const sampler = new Sampler(tree, 20);
    sampler.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    const resources = await sampler.stop();
    expect(calls).toBeGreaterThan(2);
    expect(resources.samples.length).toBeGreaterThan(1);
  });
});
