/**
 * An IPv6 gateway (`http://[::1]:PORT`): the real Pushgateway listening on the IPv6 loopback, the
 * bundled action checking it and pushing to it. The brackets of the literal must not reach the
 * socket layer (they did: "the host name could not be resolved").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../helpers/run-action.js';
import { hasIpv6Loopback, startPushgateway, type Service } from '../helpers/services.js';

const ipv6 = await hasIpv6Loopback();
if (!ipv6)
  console.warn('Skipping the IPv6 gateway tests: this machine has no IPv6 loopback (::1).');

describe.skipIf(!ipv6)('a Pushgateway on [::1]', () => {
  let gateway: Service;
  beforeAll(async () => {
    gateway = await startPushgateway('::1');
  });
  afterAll(async () => {
    await gateway.stop();
  });

  it('is found ready and receives the run, with basic auth taken from the URL', async () => {
    expect(gateway.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
    const url = gateway.url.replace('http://', 'http://ci:pw@');
    const run = await runAction({
      inputs: {
        command: 'echo tests ran',
        'pushgateway-url': `${url}/`,
        'gateway-wait-seconds': '5',
        suite: 'ipv6',
      },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toContain(`Pushgateway ${gateway.url} is ready`);
    expect(run.outputs.pushed).toBe('true');
    expect(run.summary).toMatch(/✅ Pushed to http:\/\/\\\[::1\\\]:\d+ /);
    const groups = (await (await fetch(`${gateway.url}/api/v1/metrics`)).json()) as {
      data: { labels: Record<string, string>; reliability_run_success?: unknown }[];
    };
    const group = groups.data.find((g) => g.labels.suite === 'ipv6' && !g.labels.record);
    expect(group?.labels).toMatchObject({ repository: 'acme/widgets', branch: 'main' });
    expect(group?.reliability_run_success).toBeDefined();
  });
});
