/**
 * Inputs that would do something other than what they say, refused by the bundled action with
 * an error that names the input and what to do, before the command runs and without echoing a
 * credential.
 */
import { describe, expect, it } from 'vitest';
import { runAction } from '../helpers/run-action.js';

async function refused(inputs: Record<string, string>): Promise<string> {
  const run = await runAction({ inputs: { command: 'echo COMMAND-RAN', ...inputs } });
  expect(run.exitCode).toBe(1);
  expect(run.stdout).not.toContain('COMMAND-RAN\n');
  const error = run.stdout.split('\n').find((line) => line.startsWith('::error::')) ?? '';
  return error;
}

describe('inputs refused with a clear error', () => {
  it.each([
    'commit',
    'actor',
    'runner_os',
    'run_id',
    'ref',
    'event',
    'action_version',
    'pull_request',
  ])('grouping-labels may not set %s, which the gateway would overwrite', async (name) => {
    const error = await refused({ 'grouping-labels': `python=3.12\n${name}=forged` });
    expect(error).toContain(`::error::Input 'grouping-labels': '${name}' is reserved`);
  });

  it('a query string in pushgateway-url is refused, not silently dropped', async () => {
    const error = await refused({ 'pushgateway-url': 'http://127.0.0.1:9/?tenant=a' });
    expect(error).toMatch(
      /::error::Input 'pushgateway-url': has a query string .* give the base URL only/,
    );
  });

  it('a fragment in pushgateway-url is refused as well', async () => {
    const error = await refused({ 'pushgateway-url': 'http://127.0.0.1:9/#x' });
    expect(error).toMatch(/::error::Input 'pushgateway-url': has a fragment/);
  });

  it('a bad % escape in the URL credentials names the input, not "URI malformed", nor the password', async () => {
    const error = await refused({ 'pushgateway-url': 'http://ci:50%off-s3cret@127.0.0.1:9/' });
    expect(error).toContain(
      "::error::Input 'pushgateway-url': the password in the URL is not valid percent-encoding",
    );
    expect(error).toContain('%25');
    expect(error).not.toContain('URI malformed');
    expect(error).not.toContain('s3cret');
  });
});
