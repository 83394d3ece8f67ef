/** What the demo's Prometheus holds after the runs: each figure printed with the query that gave it. */
import { promQuery } from './demo-stack.mjs';

const RANGE = '15m';
const time = (seconds) => new Date(seconds * 1000).toISOString().slice(11, 23);
const pathName = (metric) => (metric.path === 'gateway' ? 'gateway' : 'remote write');

async function show(prometheusUrl, title, query, format) {
  console.log(`\n${title}\n  query: ${query}`);
  const result = await promQuery(prometheusUrl, query);
  if (result.length === 0) console.log('  (no data)');
  for (const series of result) console.log(`  ${format(series)}`);
}

/**
 * Prints the runs, the failure ratio and a recorded latency, each path side by side. `group` is
 * the demo's grouping labels (`repository="…", branch="…"`), so nothing else on the gateway counts.
 */
export async function printHoldings(prometheusUrl, plan, group) {
  console.log(`\n${'─'.repeat(20)} What Prometheus holds ${'─'.repeat(36)}`);
  console.log(
    `The gateway's copy carries path="gateway" (added by the demo's scrape config); the remote-written copy has no path label. ${plan.length} runs were sent: ${plan.map((fail) => (fail ? 'failed' : 'passed')).join(', ')}.`,
  );
  await show(
    prometheusUrl,
    'Every run by remote write: one point each, at the run end time (1 = passed)',
    `reliability_run_success{${group}, path=""}[${RANGE}]`,
    (s) =>
      `${s.values.length} points: ${s.values.map(([t, v]) => `${time(t)} ${v === '1' ? 'passed' : 'failed'}`).join(', ')}`,
  );
  await show(
    prometheusUrl,
    'The same runs through the gateway: one sample per scrape, the latest run repeated until the next',
    `count_over_time(reliability_run_success{${group}, path="gateway"}[${RANGE}])`,
    (s) =>
      `${s.value[1]} sample${s.value[1] === '1' ? '' : 's'} (scrapes every second), not ${plan.length} runs`,
  );
  await show(
    prometheusUrl,
    'Runs counted by points: the share of failed runs',
    `1 - avg_over_time(reliability_run_success{${group}}[${RANGE}])`,
    (s) =>
      `${pathName(s.metric)}: ${(Number(s.value[1]) * 100).toFixed(1)} %${s.metric.path === 'gateway' ? ' of scrapes, weighted by how long each run stayed on the gateway' : ' of runs'}`,
  );
  await show(
    prometheusUrl,
    'Failure ratio of the latest run (failed and errored of executed tests)',
    `sum by (path) (last_over_time(reliability_tests{${group}, status=~"failed|error"}[${RANGE}])) / sum by (path) (last_over_time(reliability_tests{${group}, status!="skipped"}[${RANGE}]))`,
    (s) => `${pathName(s.metric)}: ${(Number(s.value[1]) * 100).toFixed(1)} %`,
  );
  await show(
    prometheusUrl,
    'A recorded latency: p95 per operation in the latest run',
    `max by (path, operation) (last_over_time(reliability_latency_seconds{${group}, stat="p95"}[${RANGE}]))`,
    (s) =>
      `${pathName(s.metric)}: ${s.metric.operation} ${(Number(s.value[1]) * 1000).toFixed(3)} ms`,
  );
}
