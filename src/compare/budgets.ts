/**
 * The budgets file: rules on this run's metrics (`max`, `min`) and on its change from the
 * baseline (`max-increase`), read with a YAML parser and validated before the command runs, so a
 * mistake fails at once with the file, the rule and what is wrong.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { metricUnitKind, parseAmount, UNIT_NAMES, type Amount } from './units.js';

/** What a breach does to the step. */
export type OnBreach = 'fail' | 'warn';

/** One validated rule. */
export interface Budget {
  /** 1-based position in the file, for messages. */
  readonly index: number;
  /** Metric name without the prefix. */
  readonly metric: string;
  /** Labels a series must have (a subset match); empty: every series of the metric. */
  readonly labels: Readonly<Record<string, string>>;
  readonly max?: Amount;
  readonly min?: Amount;
  /** Largest rise over the baseline median, as a fraction (0.1 = 10 %). */
  readonly maxIncrease?: Amount;
  readonly onBreach: OnBreach;
}

/** An invalid budgets file: the message names the file, the rule and the problem. */
export class BudgetsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BudgetsError';
  }
}

const KEYS = new Set(['metric', 'labels', 'max', 'min', 'max-increase', 'on-breach']);

type Fail = (message: string) => never;

/** A YAML value as written, for messages. */
const show = (raw: unknown): string => (typeof raw === 'string' ? raw : JSON.stringify(raw));

function readLabels(raw: unknown, fail: Fail): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    fail(`'labels' must be a mapping of label names to values, like { stat: p95 }`);
  }
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) fail(`label name '${name}' is not valid`);
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      fail(`label '${name}' must have a plain value, not ${JSON.stringify(value)}`);
    }
    labels[name] = String(value);
  }
  return labels;
}

function readLimit(
  key: 'max' | 'min',
  raw: unknown,
  metric: string,
  fail: Fail,
): Amount | undefined {
  if (raw === undefined) return undefined;
  const amount = parseAmount(raw);
  if (amount === undefined) {
    fail(
      `'${key}: ${show(raw)}' is not a number with a unit: use a plain number or one of ${UNIT_NAMES}`,
    );
  }
  const expected = metricUnitKind(metric);
  if (amount.kind !== 'plain' && amount.kind !== expected) {
    const wanted = {
      time: 'a time unit (ms, s…)',
      size: 'a size unit (MiB…)',
      percent: '%',
      plain: 'a plain number',
    }[expected];
    fail(
      `'${key}: ${amount.text}' has a ${amount.kind} unit, but ${metric} is measured in ${expected === 'plain' ? 'plain numbers' : expected}: use ${wanted}`,
    );
  }
  return amount;
}

function readRule(raw: unknown, index: number, prefix: string, fail: Fail): Budget {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    fail('a rule must be a mapping with at least metric and one of max, min, max-increase');
  }
  const rule = raw as Record<string, unknown>;
  for (const key of Object.keys(rule)) {
    if (!KEYS.has(key)) fail(`unknown key '${key}': use ${[...KEYS].join(', ')}`);
  }
  if (typeof rule.metric !== 'string' || rule.metric.trim() === '') {
    fail(`'metric' is required: the metric name without the prefix, like latency_seconds`);
  }
  let metric = rule.metric.trim();
  if (metric.startsWith(prefix)) metric = metric.slice(prefix.length);
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(metric)) fail(`'${metric}' is not a metric name`);
  const max = readLimit('max', rule.max, metric, fail);
  const min = readLimit('min', rule.min, metric, fail);
  let maxIncrease: Amount | undefined;
  if (rule['max-increase'] !== undefined) {
    const amount = parseAmount(rule['max-increase']);
    if (amount?.kind !== 'percent' || amount.value < 0) {
      fail(`'max-increase: ${show(rule['max-increase'])}' must be a percentage, like 10%`);
    }
    maxIncrease = { ...amount, value: amount.value / 100 };
  }
  if (max === undefined && min === undefined && maxIncrease === undefined) {
    fail(`set at least one of max, min, max-increase`);
  }
  if (max !== undefined && min !== undefined && min.value > max.value) {
    fail(`min (${min.text}) is above max (${max.text})`);
  }
  const onBreach = rule['on-breach'] ?? 'fail';
  if (onBreach !== 'fail' && onBreach !== 'warn') {
    fail(`'on-breach: ${show(onBreach)}' is not valid: use fail or warn`);
  }
  return {
    index,
    metric,
    labels: readLabels(rule.labels, fail),
    ...(max && { max }),
    ...(min && { min }),
    ...(maxIncrease && { maxIncrease }),
    onBreach,
  };
}

/**
 * Parses and validates a budgets file's text; `file` names it in errors, `prefix` is stripped
 * from metric names written with it.
 */
export function parseBudgets(text: string, file: string, prefix: string): Budget[] {
  let doc: unknown;
  try {
    doc = parse(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    throw new BudgetsError(`Budgets file ${file} is not valid YAML: ${(error as Error).message}`);
  }
  const list = (doc as { budgets?: unknown } | null)?.budgets;
  if (doc === null || typeof doc !== 'object' || !Array.isArray(list)) {
    throw new BudgetsError(
      `Budgets file ${file}: expected a top-level 'budgets:' list of rules (see docs/regressions.md).`,
    );
  }
  return list.map((raw, i) => {
    const name = (raw as { metric?: unknown } | null)?.metric;
    const where = `Budgets file ${file}, rule ${i + 1}${typeof name === 'string' ? ` (${name})` : ''}`;
    return readRule(raw, i + 1, prefix, (message) => {
      throw new BudgetsError(`${where}: ${message}.`);
    });
  });
}

/** Reads and validates a budgets file. */
export async function readBudgets(path: string, prefix: string): Promise<Budget[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new BudgetsError(
      `Budgets file ${path} cannot be read (${code || (error as Error).message}): check the budgets input, relative to working-directory.`,
    );
  }
  return parseBudgets(text, path, prefix);
}
