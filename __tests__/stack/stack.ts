/**
 * Helpers of the stack tests: the repository's stack files and Grafana dashboard models, their
 * variables resolved against a real Prometheus, synthetic runs pushed to a real Pushgateway, and
 * the rule files. One import for the test files.
 */
import { spawnSync } from 'node:child_process';
import { ROOT } from '../helpers/run-action.js';
import { readYaml } from './dashboard-model.js';

export { ROOT };
export * from './dashboard-model.js';
export * from './prometheus-api.js';
export * from './synthetic-run.js';

/** Runs a command, returning its exit status and output (never throws on a non-zero exit). */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): { status: number | null; output: string } {
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? process.env,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
  });
  if (result.error !== undefined) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** One rule of a Prometheus rule file. */
export interface Rule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/** The rules of prometheus/alerts.yml. */
export function alertRules(): Rule[] {
  const file = readYaml<{ groups: { name: string; rules: Rule[] }[] }>('prometheus', 'alerts.yml');
  return file.groups.flatMap((group) => group.rules);
}
