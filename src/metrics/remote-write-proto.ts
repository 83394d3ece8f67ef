/**
 * The remote-write 1.0 wire format: the `prometheus.WriteRequest` protobuf message (the schema of
 * prometheus/prompb, trimmed to what 1.0 senders use), encoded by protobufjs and compressed with
 * snappy's block format (not the framed one), as the spec requires.
 */
import protobuf from 'protobufjs';
import snappy from 'snappyjs';

/** The schema as prompb's remote.proto and types.proto declare it (field numbers are the wire). */
const SCHEMA = `
syntax = "proto3";
package prometheus;

message WriteRequest {
  repeated TimeSeries timeseries = 1;
  reserved 2;
  repeated MetricMetadata metadata = 3;
}

message MetricMetadata {
  enum MetricType {
    UNKNOWN = 0;
    COUNTER = 1;
    GAUGE = 2;
    HISTOGRAM = 3;
    GAUGEHISTOGRAM = 4;
    SUMMARY = 5;
    INFO = 6;
    STATESET = 7;
  }
  MetricType type = 1;
  string metric_family_name = 2;
  string help = 4;
  string unit = 5;
}

message Sample {
  double value = 1;
  int64 timestamp = 2;
}

message Label {
  string name = 1;
  string value = 2;
}

message TimeSeries {
  repeated Label labels = 1;
  repeated Sample samples = 2;
}
`;

/** One label of a series. */
export interface WireLabel {
  readonly name: string;
  readonly value: string;
}

/** One sample: a value at a time in milliseconds since the epoch. */
export interface WireSample {
  readonly value: number;
  readonly timestamp: number;
}

/** One series with its labels (sorted by name, `__name__` among them) and samples. */
export interface WireSeries {
  readonly labels: readonly WireLabel[];
  readonly samples: readonly WireSample[];
}

/** Type and help of a metric family, sent beside the series. */
export interface WireMetadata {
  readonly type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'unknown';
  readonly metricFamilyName: string;
  readonly help: string;
}

const METRIC_TYPES: Readonly<Record<WireMetadata['type'], number>> = {
  unknown: 0,
  counter: 1,
  gauge: 2,
  histogram: 3,
  summary: 5,
};

const root = protobuf.parse(SCHEMA, { keepCase: false }).root;
const WriteRequest = root.lookupType('prometheus.WriteRequest');
const TimeSeries = root.lookupType('prometheus.TimeSeries');

/** Protobuf bytes of a `WriteRequest` holding the series and the metadata. */
export function encodeWriteRequest(
  series: readonly WireSeries[],
  metadata: readonly WireMetadata[] = [],
): Uint8Array {
  const message = WriteRequest.fromObject({
    timeseries: series,
    metadata: metadata.map((meta) => ({
      type: METRIC_TYPES[meta.type],
      metricFamilyName: meta.metricFamilyName,
      help: meta.help,
    })),
  });
  return WriteRequest.encode(message).finish();
}

/** Encoded size of one series inside a `WriteRequest` (tag and length prefix included). */
export function encodedSeriesBytes(series: WireSeries): number {
  const length = TimeSeries.encode(TimeSeries.fromObject(series)).finish().length;
  return 1 + varintLength(length) + length;
}

const varintLength = (value: number): number => Math.max(1, Math.ceil(Math.log2(value + 1) / 7));

/** Decodes a `WriteRequest`'s protobuf bytes (uncompressed), for receivers and tests. */
export function decodeWriteRequest(bytes: Uint8Array): {
  timeseries: WireSeries[];
  metadata: { type: number; metricFamilyName: string; help: string }[];
} {
  const object = WriteRequest.toObject(WriteRequest.decode(bytes), {
    longs: Number,
    defaults: true,
    arrays: true,
  });
  return object as ReturnType<typeof decodeWriteRequest>;
}

/** Snappy block compression, the body encoding remote write requires. */
export function snappyCompress(bytes: Uint8Array): Buffer {
  return Buffer.from(snappy.compress(bytes));
}

/** Snappy block decompression. */
export function snappyUncompress(bytes: Uint8Array): Buffer {
  return Buffer.from(snappy.uncompress(bytes));
}
