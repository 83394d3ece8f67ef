import { describe, expect, it } from 'vitest';
import type { ProcessTree, TreeProcess } from '../../src/runner/process-tree.js';
import { Sampler } from '../../src/runner/sampler.js';

/** A tree that answers with fixed processes, or fails. */
const fakeTree = (snapshot: () => Promise<TreeProcess[]>): ProcessTree =>
  ({ snapshot, rootPid: 10 }) as unknown as ProcessTree;

const proc = (cpuSeconds: number, rssBytes = 1 << 20): TreeProcess => ({
  pid: 10,
  ppid: 1,
  start: 1,
  cpuSeconds,
  childCpuSeconds: 0,
  rssBytes,
  name: 'sh',
});
const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('Sampler', () => {
  it('never rejects when the tree cannot be read', async () => {
    const sampler = new Sampler(
      fakeTree(() => Promise.reject(new Error('EACCES'))),
      20,
    );
    sampler.start();
    await wait(100);
    const resources = await sampler.stop();
    expect(resources.samples).toEqual([]);
    expect(resources.peakRssBytes).toBe(0);
  });

  it('survives a sample whose measurement throws', async () => {
    let calls = 0;
    const tree = fakeTree(() => {
      calls++;
      if (calls === 2) throw new TypeError('boom');
      return Promise.resolve([proc(calls / 100)]);
    });
    const sampler = new Sampler(tree, 20, { reapedChildCpu: () => undefined });
    sampler.start();
    await wait(150);
    const resources = await sampler.stop();
    expect(calls).toBeGreaterThan(2);
    expect(resources.samples.length).toBeGreaterThan(1);
  });

  it('gives samples that add up to the CPU time, a max that is the largest and a mean over the wall time', async () => {
    let cpu = 0;
    const tree = fakeTree(() => Promise.resolve(cpu < 0.6 ? [proc((cpu += 0.05))] : []));
    const started = Date.now();
    const sampler = new Sampler(tree, 30, {
      startedAtMs: started,
      reapedChildCpu: () => undefined,
    });
    sampler.start();
    await wait(600);
    const ended = Date.now();
    const resources = await sampler.stop(ended);
    const { samples } = resources;
    let integral = 0;
    let previous = 0;
    for (const s of samples) {
      integral += (s.cpuPercent / 100) * (s.t - previous);
      previous = s.t;
    }
    expect(integral).toBeCloseTo(resources.cpuSeconds, 6);
    expect(resources.cpuSeconds).toBeCloseTo(cpu, 6);
    expect(resources.maxCpuPercent).toBe(Math.max(...samples.map((s) => s.cpuPercent)));
    expect(resources.meanCpuPercent).toBeCloseTo((cpu / ((ended - started) / 1000)) * 100, 6);
    expect(samples[0]?.cpuPercent).toBeGreaterThan(0);
  });

  it('takes a final sample when stopped, at the end of the run', async () => {
    const tree = fakeTree(() => Promise.resolve([proc(0.1, 5 << 20)]));
    const sampler = new Sampler(tree, 10_000, { reapedChildCpu: () => undefined });
    sampler.start();
    await wait(400); // the first sample (at 250 ms), then not another before the end
    const resources = await sampler.stop();
    // The short last interval is merged into the sample before it, which now ends at the end.
    expect(resources.samples).toHaveLength(1);
    expect(resources.samples[0]?.t).toBeGreaterThanOrEqual(0.39);
    expect(resources.peakRssBytes).toBe(5 << 20);
  });
});
