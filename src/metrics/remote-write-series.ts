/**
 * Turns the run's prom-client registries into remote-write series: every sample of the
 * exposition (histogram buckets, sum and count included), labelled with the run's grouping key,
 * stamped with the run's end time, and cut into requests of bounded size.
 */
import type { Registry } from 'prom-client';
import { lastSuccessGroupingKey, type GroupingKey } from './grouping.js';
import {
  encodedSeriesBytes,
  type WireLabel,
  type WireMetadata,
  type WireSeries,
} from './remote-write-proto.js';

/** At most this many series per request (Prometheus' own `max_samples_per_send` is 2000). */
export const MAX_SERIES_PER_REQUEST = 2_000;
/** At most this many protobuf bytes per request, before compression. */
export const MAX_BYTES_PER_REQUEST = 1024 * 1024;

/** The series and metadata of one request. */
export interface WriteBatch {
  readonly series: readonly WireSeries[];
  readonly metadata: readonly WireMetadata[];
  /** Protobuf bytes of the series, before compression. */
  readonly bytes: number;
}

type MetricType = WireMetadata['type'];
const KNOWN_TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'summary']);

/**
 * Labels of a series, sorted by name as the spec requires. The grouping key wins over a metric's
 * own label of the same name, as on the Pushgateway. Empty values are left out: in Prometheus an
 * empty label is the same as no label, and some receivers reject them.
 */
export function seriesLabels(
  name: string,
  key: GroupingKey,
  own: Readonly<Record<string, string | number>>,
): WireLabel[] {
  const merged: Record<string, string> = {};
  for (const [label, value] of Object.entries(own)) merged[label] = formatLabelValue(value);
  Object.assign(merged, key.labels, { job: key.job, __name__: name });
  return Object.entries(merged)
    .filter(([, value]) => value !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([label, value]) => ({ name: label, value }));
}

/** A label value as the text exposition writes it (`le="0.5"`, `le="+Inf"`). */
function formatLabelValue(value: string | number): string {
  if (typeof value === 'string') return value;
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** Every sample of a registry as one series each, stamped with `timestampMs`. */
export async function registrySeries(
  registry: Registry,
  key: GroupingKey,
  timestampMs: number,
): Promise<{ series: WireSeries[]; metadata: WireMetadata[] }> {
  const series: WireSeries[] = [];
  const metadata: WireMetadata[] = [];
  for (const metric of await registry.getMetricsAsJSON()) {
    const type = String(metric.type);
    metadata.push({
      type: KNOWN_TYPES.has(type) ? (type as MetricType) : 'unknown',
      metricFamilyName: metric.name,
      help: metric.help,
    });
    for (const value of metric.values) {
      const name = (value as { metricName?: string }).metricName ?? metric.name;
      series.push({
        labels: seriesLabels(name, key, value.labels as Record<string, string | number>),
        samples: [{ value: value.value, timestamp: timestampMs }],
      });
    }
  }
  return { series, metadata };
}

/**
 * The run's series: the run's registry under its key and, for a successful run, the last-success
 * registry under the key plus `record="last_success"`, the same series the gateway path holds.
 */
export async function runSeries(
  registries: { readonly registry: Registry; readonly lastSuccess?: Registry },
  key: GroupingKey,
  endedAtSeconds: number,
): Promise<{ series: WireSeries[]; metadata: WireMetadata[] }> {
  const timestampMs = Math.round(endedAtSeconds * 1000);
  const run = await registrySeries(registries.registry, key, timestampMs);
  if (registries.lastSuccess === undefined) return run;
  const last = await registrySeries(
    registries.lastSuccess,
    lastSuccessGroupingKey(key),
    timestampMs,
  );
  return { series: [...run.series, ...last.series], metadata: [...run.metadata, ...last.metadata] };
}

/**
 * Cuts the series into requests of at most {@link MAX_SERIES_PER_REQUEST} series and about
 * {@link MAX_BYTES_PER_REQUEST} bytes (a single larger series still gets its own request). The
 * metadata rides with the first request.
 */
export function splitIntoBatches(
  series: readonly WireSeries[],
  metadata: readonly WireMetadata[],
  limits = { maxSeries: MAX_SERIES_PER_REQUEST, maxBytes: MAX_BYTES_PER_REQUEST },
): WriteBatch[] {
  const batches: WriteBatch[] = [];
  let current: WireSeries[] = [];
  let bytes = 0;
  const flush = (): void => {
    if (current.length === 0) return;
    batches.push({ series: current, metadata: batches.length === 0 ? metadata : [], bytes });
    current = [];
    bytes = 0;
  };
  for (const one of series) {
    const size = encodedSeriesBytes(one);
    if (
      current.length >= limits.maxSeries ||
      (current.length > 0 && bytes + size > limits.maxBytes)
    )
      flush();
    current.push(one);
    bytes += size;
  }
  flush();
  if (batches.length === 0 && metadata.length > 0) batches.push({ series: [], metadata, bytes: 0 });
  return batches;
}
