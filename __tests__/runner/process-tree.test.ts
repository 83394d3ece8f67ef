import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { listPids, ProcessTree, treeMarker } from '../../src/runner/process-tree.js';

/** A detached `sleep` outside any tree, with `env`; ended by the returned function. */
function outsider(env: NodeJS.ProcessEnv): { pid: number; stop: () => void } {
  const child = spawn('sleep', ['30'], { stdio: 'ignore', detached: true, env });
  child.unref();
  const pid = child.pid ?? 0;
  return { pid, stop: () => process.kill(pid, 'SIGKILL') };
}

describe('ProcessTree', () => {
  it('finds a process anywhere on the machine by the marker in its environment', async () => {
    const marker = treeMarker();
    const preexisting = listPids();
    const root = spawn('sleep', ['30'], { stdio: 'ignore', detached: true });
    const marked = outsider({ ...process.env, [marker.name]: marker.value });
    const other = outsider({ ...process.env, [marker.name]: `${marker.value}-not-this-one` });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200)); // exec'd, environment in place
      const tree = new ProcessTree(root.pid ?? 0, 'linux', { marker: marker.entry, preexisting });
      const pids = await tree.pids();
      expect(pids).toContain(root.pid);
      expect(pids).toContain(marked.pid);
      expect(pids).not.toContain(other.pid);
      // Found once, followed after: the next walk still has it.
      expect(await tree.pids()).toContain(marked.pid);
    } finally {
      root.kill('SIGKILL');
      marked.stop();
      other.stop();
    }
  });

  it('never reads the environment of a process older than the command', async () => {
    const marker = treeMarker();
    const older = outsider({ ...process.env, [marker.name]: marker.value });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const root = spawn('sleep', ['30'], { stdio: 'ignore', detached: true });
    try {
      const tree = new ProcessTree(root.pid ?? 0, 'linux', {
        marker: marker.entry,
        preexisting: listPids().filter((pid) => pid !== root.pid),
      });
      expect(await tree.pids()).toEqual([root.pid]);
    } finally {
      root.kill('SIGKILL');
      older.stop();
    }
  });
});
