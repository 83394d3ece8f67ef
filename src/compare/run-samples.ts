/** This run's samples, read from the registry the metrics builder filled (the pushed names). */
import type { SeriesSample } from './types.js';

/** The part of prom-client's `getMetricsAsJSON()` answer that is read. */
export interface MetricJson {
  readonly name: string;
  readonly values: readonly {
    readonly value: number;
    readonly labels: Readonly<Record<string, string | number | undefined>>;
    /** Set on histogram series (`_bucket`, `_sum`, `_count`). */
    readonly metricName?: string;
  }[];
}

/** Every sample of the run, named without `prefix`; other names and non-finite values skipped. */
export function runSamples(metrics: readonly MetricJson[], prefix: string): SeriesSample[] {
  const samples: SeriesSample[] = [];
  for (const metric of metrics) {
    for (const value of metric.values) {
      const name = value.metricName ?? metric.name;
      if (!name.startsWith(prefix) || !Number.isFinite(value.value)) continue;
      const labels: Record<string, string> = {};
      for (const [label, raw] of Object.entries(value.labels)) {
        // Prometheus stores an empty label as no label: so must the comparison.
        if (raw !== undefined && raw !== '') labels[label] = String(raw);
      }
      samples.push({ metric: name.slice(prefix.length), labels, value: value.value });
    }
  }
  return samples;
}
