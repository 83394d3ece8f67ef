/** How a compared quantity is named and its values shown in the comparison section. */
import type { QuantityComparison, Unit } from '../compare/types.js';
import { cell, formatBytes, formatDuration, formatLatency, formatNumber } from './format.js';

const RUN_METRICS: Readonly<Record<string, string>> = {
  run_duration_seconds: 'run duration',
  process_peak_rss_bytes: 'peak RSS of the process tree',
  process_cpu_seconds: 'CPU time of the process tree',
};

/** A value in its unit: `2.10 ms`, `85.2 MiB`, `9,500 ops/s`, `42 %`. */
export function formatValue(value: number, unit: Unit): string {
  switch (unit) {
    case 'seconds':
      return Math.abs(value) >= 60 ? formatDuration(value) : formatLatency(value);
    case 'bytes':
      return formatBytes(value);
    case 'ops-per-second':
      return `${formatNumber(value)} ops/s`;
    case 'percent':
      return `${formatNumber(value)} %`;
    default:
      return formatNumber(value);
  }
}

/** `+12.5 %`, `−3.0 %`, or `–` without a median to compare with. */
export function formatChange(percent: number | undefined): string {
  if (percent === undefined || !Number.isFinite(percent)) return '–';
  const sign = percent > 0 ? '+' : percent < 0 ? '−' : '±';
  return `${sign}${Math.abs(percent).toFixed(1)} %`;
}

/** What the quantity is, in words, Markdown-safe: `observe_decorator p95 latency · test_x`. */
export function describeQuantity(q: Pick<QuantityComparison, 'metric' | 'labels'>): string {
  const { labels } = q;
  const code = (text: string): string => `<code>${cell(text, 120)}</code>`;
  const test = labels.test !== undefined ? ` · <sub>${cell(labels.test, 120)}</sub>` : '';
  switch (q.metric) {
    case 'latency_seconds':
      return `${code(labels.operation ?? '')} ${cell(labels.stat ?? '')} latency${test}`;
    case 'throughput_ops_per_second':
      return `${code(labels.operation ?? '')} throughput${test}`;
    case 'test_memory_growth_bytes':
      return `memory growth${test}`;
    case 'test_memory_bytes':
      return `memory (${cell(labels.measurement ?? '')})${test}`;
    case 'spans_generated':
    case 'spans_delivered':
      return `spans ${q.metric.slice(6)}${test}`;
    case 'test_case_duration_seconds':
      return `duration of ${code(labels.test ?? '')}`;
    default:
      return RUN_METRICS[q.metric] ?? `${code(q.metric)}${test}`;
  }
}
