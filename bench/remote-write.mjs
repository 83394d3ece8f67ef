#!/usr/bin/env node
/**
 * Remote write against the gateway path, on real engines on loopback:
 *
 * 1. Survival: N runs of one group in quick succession (one every --gap ms), each sent both ways
 *    by the action's own clients: PUT to a real Pushgateway that a real Prometheus scrapes every
 *    --scrape seconds, and remote write into the same Prometheus (another suite label, so the
 *    copies stay apart). Then counts the distinct runs Prometheus kept on each path.
 * 2. Time to send a 10k-test run (max-test-series 10000: 20k series): series from the registry,
 *    protobuf + snappy, and the POSTs (all requests, encoding included), into Prometheus and into
 *    VictoriaMetrics: --runs runs of one group, the first creating its series, the next appending.
 *
 *   node bench/remote-write.mjs [--runs 5] [--n 20] [--gap 500] [--scrape 15]
 */
import { importTs, machine, median, printTable } from './lib.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const RUNS = option('runs', 5);
const N = option('n', 20);
const GAP_MS = option('gap', 500);
const SCRAPE_S = option('scrape', 15);

const ms = (started) => Number(process.hrtime.bigint() - started) / 1e6;
const sleep = (millis) => new Promise((done) => setTimeout(done, millis));

const { buildMetrics } = await importTs('src/metrics/build-registry.ts');
const { runGroupingKey, groupPath } = await importTs('src/metrics/grouping.ts');
const { pushGroup } = await importTs('src/metrics/pushgateway.ts');
const { remoteWrite } = await importTs('src/metrics/remote-write.ts');
const { runSeries, splitIntoBatches } = await importTs('src/metrics/remote-write-series.ts');
const { encodeWriteRequest, snappyCompress } = await importTs('src/metrics/remote-write-proto.ts');
const services = await importTs('__tests__/helpers/services.ts');
const receivers = await importTs('__tests__/helpers/remote-write-services.ts');
const { ciOn, manyTests } = await importTs('__tests__/helpers/remote-write-run.ts');
const { sampleRun } = await importTs('__tests__/helpers/sample-run.ts');

const build = (run, endedAt, cap = 500) =>
  buildMetrics({ run, ci: ciOn('main'), prefix: 'reliability_', maxTestSeries: cap, endedAt });
const keyOf = (suite) =>
  runGroupingKey({ jobName: 'reliability_tests', suite, groupingLabels: {} }, ciOn('main'));

async function survival() {
  const gateway = await services.startPushgateway();
  const prometheus = await receivers.startPrometheusReceiver({
    gateway: `127.0.0.1:${gateway.port}`,
    scrapeInterval: `${SCRAPE_S}s`,
  });
  try {
    const gatewayTarget = { url: new URL(gateway.url), auth: { headers: {} } };
    const writeTarget = { url: new URL(prometheus.writeUrl), headers: {}, secrets: [] };
    for (let i = 0; i < N; i++) {
      const endedAt = Date.now() / 1000;
      const built = build(sampleRun({ exitCode: i % 3 === 0 ? 1 : 0 }), endedAt);
      const viaGateway = keyOf('bench-gateway');
      const pushed = await pushGroup(
        gatewayTarget,
        groupPath(viaGateway),
        await built.registry.metrics(),
      );
      const { series, metadata } = await runSeries(built, keyOf('bench-remote-write'), endedAt);
      const written = await remoteWrite(writeTarget, splitIntoBatches(series, metadata));
      if (!pushed.ok || !written.ok) throw new Error(`run ${i}: ${pushed.error ?? written.error}`);
      await sleep(GAP_MS);
    }
    // One more scrape after the last push, then read what each path kept.
    await sleep(SCRAPE_S * 1000 + 1500);
    const kept = async (suite) => {
      const samples = await receivers.rawSamples(
        prometheus.url,
        `reliability_run_timestamp_seconds{suite="${suite}"}`,
      );
      return new Set(samples.flatMap((s) => s.samples.map((p) => p.value))).size;
    };
    return { gateway: await kept('bench-gateway'), remoteWrite: await kept('bench-remote-write') };
  } finally {
    await prometheus.stop();
    await gateway.stop();
  }
}

async function tenThousand(receiver, label) {
  const run = sampleRun({ tests: manyTests(10_000) });
  const rows = { series: 0, requests: 0, bytes: 0, build: [], convert: [], encode: [], send: [] };
  for (let i = 0; i < RUNS; i++) {
    const endedAt = Date.now() / 1000 - (RUNS - i);
    let started = process.hrtime.bigint();
    const built = build(run, endedAt, 10_000);
    rows.build.push(ms(started));
    started = process.hrtime.bigint();
    const { series, metadata } = await runSeries(built, keyOf('bench-10k'), endedAt);
    const batches = splitIntoBatches(series, metadata);
    rows.convert.push(ms(started));
    started = process.hrtime.bigint();
    for (const batch of batches) snappyCompress(encodeWriteRequest(batch.series, batch.metadata));
    rows.encode.push(ms(started));
    const result = await remoteWrite(
      { url: new URL(receiver.writeUrl), headers: {}, secrets: [] },
      batches,
    );
    if (!result.ok) throw new Error(`${label}: ${result.error}`);
    rows.send.push(result.durationMs);
    Object.assign(rows, { series: result.series, requests: result.requests, bytes: result.bytes });
  }
  await receiver.flush();
  const stored = await receivers.rawSamples(receiver.url, `{suite="bench-10k"}`);
  const f = (values) => `${median(values).toFixed(0)} ms`;
  return [
    label,
    rows.series,
    rows.requests,
    `${(rows.bytes / 1e6).toFixed(2)} MB`,
    f(rows.build),
    f(rows.convert),
    f(rows.encode),
    `${rows.send[0].toFixed(0)} ms`,
    f(rows.send.slice(1)),
    stored.length === rows.series
      ? `all ${stored.length}`
      : `${stored.length} of ${rows.series} (!)`,
  ];
}

console.log(`# Remote write: ${machine()}\n`);
const kept = await survival();
console.log(
  `## ${N} runs of one group, one every ${GAP_MS} ms, Prometheus scraping the gateway every ${SCRAPE_S} s\n`,
);
printTable([
  ['path', 'runs sent', 'runs kept'],
  ['Pushgateway, scraped', N, kept.gateway],
  ['remote write', N, kept.remoteWrite],
]);
console.log(`\n## A 10k-test run (max-test-series 10000), ${RUNS} runs of one group, medians\n`);
const header = [
  'receiver',
  'series',
  'requests',
  'compressed',
  'build',
  'series from registry',
  'protobuf + snappy',
  'send, first run (new series)',
  'send, next runs (median)',
  'stored',
];
const prometheus = await receivers.startPrometheusReceiver();
const victoria = await receivers.startVictoriaMetrics();
try {
  printTable([
    header,
    await tenThousand(prometheus, 'Prometheus 2.42'),
    await tenThousand(victoria, 'VictoriaMetrics'),
  ]);
} finally {
  await prometheus.stop();
  await victoria.stop();
}
