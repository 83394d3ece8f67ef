/** action.yml is the contract with every workflow: it must match the code and the README. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readCommentInputs } from '../src/action/inputs.js';
import { readOptions } from '../src/pipeline/options.js';
import { ACTION_VERSION } from '../src/version.js';
import { ROOT } from './helpers/run-action.js';

interface ActionYml {
  name: string;
  description: string;
  branding: { icon: string; color: string };
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

/** Every input the action reads: the core's options and the action-only ones. */
function readInputs(read: (name: string) => string): unknown {
  return { ...readOptions(read), ...readCommentInputs(read) };
}

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml;
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('action.yml', () => {
  it('runs the committed bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(action.branding.icon).not.toBe('');
  });

  it('declares exactly the inputs the code reads, each described', () => {
    const asked = new Set<string>();
    readInputs((name) => {
      asked.add(name);
      return name === 'command' ? 'true' : '';
    });
    expect(new Set(Object.keys(action.inputs))).toEqual(asked);
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(input.description.length, name).toBeGreaterThan(10);
      expect(name).toMatch(/^[a-z]+(-[a-z]+)*$/);
    }
  });

  it('has defaults that mean what the code does without them', () => {
    const withDefaults = readInputs((name) =>
      name === 'command' ? 'true' : (action.inputs[name]?.default ?? ''),
    );
    const withoutAny = readInputs((name) => (name === 'command' ? 'true' : ''));
    // The token's default is the workflow's own token, which only the runner can fill in.
    expect(action.inputs['github-token']?.default).toBe('${{ github.token }}');
    expect({ ...(withDefaults as object), token: '' }).toEqual(withoutAny);
  });

  it('declares exactly the outputs the action sets', () => {
    const publish = readFileSync(join(ROOT, 'src', 'action', 'publish.ts'), 'utf8');
    const set = [...publish.matchAll(/core\.setOutput\('([a-z-]+)'/g)].map((m) => m[1]);
    expect(new Set(Object.keys(action.outputs))).toEqual(new Set(set));
  });

  it('is documented in the README, every input and output', () => {
    for (const name of [...Object.keys(action.inputs), ...Object.keys(action.outputs)]) {
      expect(readme, name).toContain(`\`${name}\``);
    }
  });

  it('carries the version of package.json', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(ACTION_VERSION).toBe(pkg.version);
  });
});
