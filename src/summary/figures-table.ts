/** The job summary's table of figures tests recorded: latency and throughput by operation. */
import type { Figure } from '../model.js';
import { cell, formatBytes, formatLatency, formatNumber, table } from './format.js';

/** One row per test and operation: latency percentiles and throughput side by side. */
export function figuresSection(figures: readonly Figure[], limit: number): string {
  const rows = new Map<
    string,
    { test: string; operation: string; stats: Map<string, number>; ops?: number }
  >();
  const other: Figure[] = [];
  for (const f of figures) {
    if (f.kind !== 'latency' && f.kind !== 'throughput') {
      other.push(f);
      continue;
    }
    const key = `${f.test}\u0000${f.operation ?? ''}`;
    let row = rows.get(key);
    if (row === undefined) {
      row = { test: f.test, operation: f.operation ?? '', stats: new Map() };
      rows.set(key, row);
    }
    if (f.kind === 'throughput') row.ops = f.value;
    else row.stats.set(f.stat ?? '', f.value);
  }
  const parts: string[] = [];
  if (rows.size > 0) {
    const lat = (row: { stats: Map<string, number> }, stat: string): string => {
      const value = row.stats.get(stat);
      return value === undefined ? '' : formatLatency(value);
    };
    const body = [...rows.values()]
      .slice(0, limit)
      .map((r) => [
        cell(r.operation, 80),
        lat(r, 'p50') || lat(r, 'median'),
        lat(r, 'p95'),
        lat(r, 'p99'),
        lat(r, 'mean'),
        r.ops === undefined ? '' : `${formatNumber(r.ops)} ops/s`,
        cell(r.test, 120),
      ]);
    parts.push(table(['Operation', 'p50', 'p95', 'p99', 'mean', 'Throughput', 'Test'], body));
  }
  if (other.length > 0) {
    const body = other.slice(0, limit).map((f) => {
      const bytes = f.kind === 'memory' || f.kind === 'memory_growth';
      // The test's own figure, told apart from the tree's RSS growth in the Resources table.
      const what =
        f.kind === 'metric'
          ? (f.name ?? '')
          : f.kind === 'memory_growth'
            ? 'memory growth (recorded by the test)'
            : f.operation !== undefined
              ? `${f.kind} ${f.operation}`
              : f.kind;
      return [
        cell(what, 80),
        bytes ? formatBytes(f.value) : formatNumber(f.value),
        cell(f.test, 120),
      ];
    });
    parts.push(table(['Figure', 'Value', 'Test'], body));
  }
  if (parts.length === 0) return '';
  const shown = Math.min(rows.size, limit) + Math.min(other.length, limit);
  const total = rows.size + other.length;
  const more = total > shown ? `\n\n…and ${total - shown} more rows in the metrics file.` : '';
  return `### Recorded figures\n\n${parts.join('\n\n')}${more}`;
}
