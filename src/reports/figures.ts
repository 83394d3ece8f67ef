/**
 * The naming convention of figures that tests record about themselves
 * (docs/recording-figures.md): a property name says what the number measures and in which unit,
 * and the value is converted here to base units (seconds, bytes, operations per second).
 */
import { sanitizeMetricName } from '../metrics/names.js';
import type { Figure } from '../model.js';
import { FigureTable } from '../tables/figure-table.js';

/** Latency statistics a `latency_<unit>.<operation>.<stat>` name may end with. */
export const LATENCY_STATS: ReadonlySet<string> = new Set([
  'p50',
  'p90',
  'p95',
  'p99',
  'p999',
  'mean',
  'median',
  'min',
  'max',
  'stddev',
  'iqr',
]);

/** Seconds per unit of each latency prefix. */
const LATENCY_UNITS: Readonly<Record<string, number>> = {
  latency_s: 1,
  latency_ms: 1e-3,
  latency_us: 1e-6,
};

/**
 * Bytes in one "MB" of `memory_mb.*` and `memory_growth_mb`: one mebibyte (1024 × 1024), as tests
 * compute it from psutil or resource (`rss / 1024 / 1024`).
 */
export const BYTES_PER_MB = 1024 * 1024;

/** Figure names without an operation part. */
const SINGLE_NAMES: ReadonlySet<string> = new Set([
  'memory_growth_mb',
  'spans_generated',
  'spans_delivered',
]);

/** Result of {@link parseFigure}: a figure, a warning about a malformed one, or not a figure. */
export type FigureParse = { figure: Figure } | { warning: string } | undefined;

/** Reads a number given as a number or as a numeric string; undefined otherwise. */
export function toFiniteNumber(value: unknown): number | undefined {
  let number: number;
  if (typeof value === 'number') number = value;
  else if (typeof value === 'string' && value.trim() !== '') number = Number(value.trim());
  else return undefined;
  return Number.isFinite(number) ? number : undefined;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 100));
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    return String(value);
  }
  return value === undefined ? 'undefined' : typeof value;
}

/** Splits `<operation>.<stat>`: the stat is the last dot segment, the operation all before it. */
function splitOperation(rest: string): [string, string] | undefined {
  const dot = rest.lastIndexOf('.');
  if (dot <= 0 || dot === rest.length - 1) return undefined;
  return [rest.slice(0, dot), rest.slice(dot + 1)];
}

/**
 * Interprets one recorded property as a figure.
 *
 * @param test id of the test that recorded it (or the suite name for suite-level properties)
 * @param name property name, e.g. `latency_ms.checkout.p95`
 * @param value property value, a number or a numeric string
 * @returns `{ figure }` in base units; `{ warning }` naming the test and property when the name
 *   follows the convention but the value or stat is unusable; `undefined` when the name is not a
 *   figure name at all (an ordinary property such as `java.version`). Never throws.
 */
export function parseFigure(test: string, name: string, value: unknown): FigureParse {
  const warn = (problem: string): { warning: string } => ({
    warning: `test "${test}": property "${name}": ${problem}`,
  });
  const dot = name.indexOf('.');
  const prefix = dot < 0 ? name : name.slice(0, dot);
  const rest = dot < 0 ? '' : name.slice(dot + 1);
  const isFigure =
    prefix in LATENCY_UNITS ||
    prefix === 'throughput_ops_per_sec' ||
    prefix === 'memory_mb' ||
    prefix === 'metric' ||
    (dot < 0 && SINGLE_NAMES.has(name));
  if (!isFigure) return undefined;

  const number = toFiniteNumber(value);
  if (number === undefined) return warn(`value ${describe(value)} is not a finite number`);

  const unit = LATENCY_UNITS[prefix];
  if (unit !== undefined) {
    const parts = splitOperation(rest);
    if (parts === undefined) return warn(`expected ${prefix}.<operation>.<stat>`);
    const [operation, stat] = parts;
    if (!LATENCY_STATS.has(stat)) {
      return warn(`unknown stat "${stat}" (expected one of ${[...LATENCY_STATS].join(', ')})`);
    }
    return { figure: { test, kind: 'latency', operation, stat, value: number * unit } };
  }
  switch (prefix) {
    case 'throughput_ops_per_sec':
      if (rest === '') return warn('expected throughput_ops_per_sec.<operation>');
      return { figure: { test, kind: 'throughput', operation: rest, value: number } };
    case 'memory_mb':
      if (rest === '') return warn('expected memory_mb.<measurement> (baseline, final, peak)');
      return {
        figure: { test, kind: 'memory', operation: rest, value: number * BYTES_PER_MB },
      };
    case 'metric': {
      const metric = sanitizeMetricName(rest);
      if (metric === '' || /^_+$/.test(metric)) return warn('expected metric.<name>');
      return { figure: { test, kind: 'metric', name: metric, value: number } };
    }
    case 'memory_growth_mb':
      return { figure: { test, kind: 'memory_growth', value: number * BYTES_PER_MB } };
    default:
      return {
        figure: { test, kind: prefix as 'spans_generated' | 'spans_delivered', value: number },
      };
  }
}

/** Figures kept per report; the rest are counted in one warning. */
export const MAX_FIGURES_PER_REPORT = 100_000;
/** Figure warnings kept per report. */
const MAX_FIGURE_WARNINGS_PER_REPORT = 1_000;

/** Collects figures and warnings from properties; a helper for every parser. */
export class FigureSink {
  readonly figures = new FigureTable();
  readonly warnings: string[] = [];
  private figuresCapped = false;

  /** Records property `name` = `value` of `test` when it is a figure. */
  add(test: string, name: string, value: unknown): void {
    // The table keeps its own copy of each string (operations, stats and names once each).
    const parsed = parseFigure(test, name, value);
    if (parsed === undefined) return;
    // A report with millions of properties must not take the action's memory with it.
    if ('figure' in parsed) {
      if (this.figures.length < MAX_FIGURES_PER_REPORT) this.figures.push(parsed.figure);
      else if (this.figures.length === MAX_FIGURES_PER_REPORT && !this.figuresCapped) {
        this.figuresCapped = true;
        this.warnings.push(
          `figures beyond the first ${MAX_FIGURES_PER_REPORT} of this report were left out`,
        );
      }
    } else if (this.warnings.length < MAX_FIGURE_WARNINGS_PER_REPORT) {
      this.warnings.push(parsed.warning);
    }
  }

  /** Records every key of a plain object (CTRF `extra`, Vitest `meta`, pytest `metadata`). */
  addObject(test: string, object: unknown): void {
    if (object === null || typeof object !== 'object' || Array.isArray(object)) return;
    for (const [name, value] of Object.entries(object)) this.add(test, name, value);
  }
}
