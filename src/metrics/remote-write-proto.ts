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

/** Protobuf bytes of a `WriteRequest` holding the series and the metadata. */
export function encodeWriteRequest(
  series: readonly WireSeries[],
  metadata: readonly WireMetadata[] = [],
): Uint8Array {
  // The objects already have the message's shape: encode them as they are (fromObject would copy
  // and check every one of 20k series again).
  return WriteRequest.encode({
    timeseries: series,
    metadata: metadata.map((meta) => ({
      type: METRIC_TYPES[meta.type],
      metricFamilyName: meta.metricFamilyName,
      help: meta.help,
    })),
  }).finish();
}

/** Bytes of a varint. */
function varintLength(value: number): number {
  let bytes = 1;
  for (let rest = value; rest >= 128; rest = Math.floor(rest / 128)) bytes++;
  return bytes;
}

/** Bytes of a length-delimited field holding `length` bytes (tag, length, payload). */
const delimited = (length: number): number => 1 + varintLength(length) + length;

/**
 * Encoded size of one series inside a `WriteRequest`, counted from the wire format rather than
 * by encoding it (an upper bound: a zero value or timestamp may be left out by the encoder).
 */
export function encodedSeriesBytes(series: WireSeries): number {
  let size = 0;
  for (const label of series.labels) {
    size += delimited(
      delimited(Buffer.byteLength(label.name)) + delimited(Buffer.byteLength(label.value)),
    );
  }
  for (const sample of series.samples) {
    size += delimited(9 + 1 + varintLength(Math.max(0, sample.timestamp)));
  }
  return delimited(size);
}

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
