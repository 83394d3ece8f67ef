/** The command can never fall behind the action: one flag per action.yml input, read by the core. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTION_ONLY_INPUTS, COMMAND_FLAGS, ENV_PREFIX, INPUT_FLAGS } from '../../src/cli/flags.js';
import { helpText } from '../../src/cli/help.js';
import { readOptions } from '../../src/pipeline/options.js';
import { ROOT } from '../helpers/run-action.js';

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { description: string }>;
};
const docs = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8');

describe('the flag table', () => {
  it('has exactly one flag per action input', () => {
    const inputs = Object.keys(action.inputs).filter((name) => !ACTION_ONLY_INPUTS.includes(name));
    expect(INPUT_FLAGS.map((flag) => flag.name).sort()).toEqual(inputs.sort());
    // The comment is the only thing the command leaves to the action, and only its inputs.
    for (const name of ACTION_ONLY_INPUTS) expect(Object.keys(action.inputs)).toContain(name);
    expect(new Set(INPUT_FLAGS.map((flag) => flag.name)).size).toBe(INPUT_FLAGS.length);
  });

  it('covers every option the core reads', () => {
    const asked: string[] = [];
    readOptions((name) => {
      asked.push(name);
      return name === 'command' ? 'true' : '';
    });
    for (const name of asked) expect(INPUT_FLAGS.map((f) => f.name)).toContain(name);
  });

  it('keeps the command’s own flags apart from the inputs', () => {
    for (const flag of COMMAND_FLAGS) expect(Object.keys(action.inputs)).not.toContain(flag.name);
  });

  it('reads only secrets from the environment, under one documented prefix', () => {
    const withEnv = INPUT_FLAGS.filter((flag) => flag.env !== undefined);
    expect(withEnv.map((f) => f.name).sort()).toEqual([
      'prometheus-headers',
      'prometheus-url',
      'pushgateway-headers',
      'pushgateway-password',
      'pushgateway-token',
      'pushgateway-url',
      'pushgateway-username',
      'remote-write-headers',
      'remote-write-url',
    ]);
    for (const flag of withEnv) {
      expect(flag.env).toBe(`${ENV_PREFIX}${flag.name.toUpperCase().replace(/-/g, '_')}`);
      expect(docs).toContain(flag.env);
      expect(helpText()).toContain(flag.env);
    }
  });

  it('is documented in docs/cli.md, every flag', () => {
    for (const flag of [...INPUT_FLAGS, ...COMMAND_FLAGS]) expect(docs).toContain(`--${flag.name}`);
  });
});
