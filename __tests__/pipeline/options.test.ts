import { describe, expect, it } from 'vitest';
import {
  OptionError as InputError,
  readOptions as readInputs,
  secretsOf,
} from '../../src/pipeline/options.js';

const reader =
  (values: Record<string, string>) =>
  (name: string): string =>
    values[name] ?? '';

describe('readInputs', () => {
  it('applies the documented defaults', () => {
    const inputs = readInputs(reader({ command: 'pytest' }));
    expect(inputs).toMatchObject({
      command: 'pytest',
      workingDirectory: '.',
      reportPatterns: [],
      reportFormat: 'auto',
      jobName: 'reliability_tests',
      suite: 'default',
      metricPrefix: 'reliability_',
      sampleIntervalMs: 1000,
      gatewayWaitSeconds: 30,
      gatewayRequired: false,
      timeoutMs: 0,
      failOnTestFailure: true,
      failOnPushError: false,
      failOnReportError: false,
      maxTestSeries: 500,
    });
    expect(inputs.pushgatewayUrl).toBeUndefined();
  });

  it('parses multiline globs, grouping labels, headers and fractional intervals', () => {
    const inputs = readInputs(
      reader({
        command: 'pytest',
        'report-paths': 'reports/*.xml\n\n# comment\n!reports/skip.xml\n',
        'grouping-labels': 'python = 3.12\nos=ubuntu-latest',
        'pushgateway-headers': 'X-Scope-OrgID: team-a',
        'sample-interval': '0.25',
        'timeout-minutes': '1.5',
      }),
    );
    expect(inputs.reportPatterns).toEqual(['reports/*.xml', '!reports/skip.xml']);
    expect(inputs.groupingLabels).toEqual({ python: '3.12', os: 'ubuntu-latest' });
    expect(inputs.auth.headers).toEqual({ 'X-Scope-OrgID': 'team-a' });
    expect(inputs.sampleIntervalMs).toBe(250);
    expect(inputs.timeoutMs).toBe(90_000);
  });

  it('moves credentials out of the gateway URL and lists them as secrets', () => {
    const inputs = readInputs(
      reader({ command: 'x', 'pushgateway-url': 'https://bob:s%40cret@gw.example:9091/pg' }),
    );
    expect(inputs.pushgatewayUrl?.href).toBe('https://gw.example:9091/pg');
    expect(inputs.auth).toMatchObject({ username: 'bob', password: 's@cret' });
    expect(secretsOf(inputs)).toContain('s@cret');
  });

  it.each([
    [{ command: '' }, "Input 'command'"],
    [{ command: 'x', 'pushgateway-url': 'not a url' }, "Input 'pushgateway-url'"],
    [{ command: 'x', 'pushgateway-url': 'ftp://gw:21' }, "scheme 'ftp:'"],
    [
      { command: 'x', 'report-format': 'xml' },
      "Input 'report-format': 'xml' is not a known format",
    ],
    [{ command: 'x', 'sample-interval': '-1' }, "Input 'sample-interval': '-1'"],
    [{ command: 'x', 'sample-interval': 'fast' }, "Input 'sample-interval'"],
    [{ command: 'x', 'max-test-series': '1.5' }, 'a whole number'],
    [{ command: 'x', 'grouping-labels': 'novalue' }, "Input 'grouping-labels': line 'novalue'"],
    [{ command: 'x', 'grouping-labels': '9lives=1' }, "'9lives' is not a valid label name"],
    [{ command: 'x', 'grouping-labels': 'branch=x' }, "'branch' is reserved"],
    [
      { command: 'x', 'grouping-labels': 'commit=x' },
      "'commit' is reserved (set by the action on run_info",
    ],
    [{ command: 'x', 'grouping-labels': 'runner_os=x' }, "'runner_os' is reserved"],
    [{ command: 'x', 'grouping-labels': 'pull_request=1' }, "'pull_request' is reserved"],
    [{ command: 'x', 'pushgateway-url': 'http://gw:9091/?tenant=a' }, 'has a query string'],
    [{ command: 'x', 'pushgateway-url': 'http://gw:9091/#top' }, 'has a fragment'],
    [
      { command: 'x', 'pushgateway-url': 'http://u:100%@gw:9091' },
      "Input 'pushgateway-url': the password in the URL is not valid percent-encoding",
    ],
    [
      { command: 'x', 'pushgateway-url': 'http://%zz:p@gw:9091' },
      "Input 'pushgateway-url': the user name in the URL is not valid percent-encoding",
    ],
    [
      { command: 'x', 'prometheus-url': 'http://u:100%@prom:9090' },
      "Input 'prometheus-url': the password in the URL is not valid percent-encoding",
    ],
    [
      { command: 'x', 'remote-write-url': 'http://u:100%@mimir:9009/api/v1/push' },
      "Input 'remote-write-url': the credentials in the URL are not valid percent-encoding",
    ],
    [
      { command: 'x', 'fail-on-push-error': 'maybe' },
      "Input 'fail-on-push-error': 'maybe' is not a boolean",
    ],
    [{ command: 'x', 'metric-prefix': 'my-prefix' }, "Input 'metric-prefix'"],
    [{ command: 'x', 'pushgateway-headers': 'no colon here' }, "Input 'pushgateway-headers'"],
    [
      { command: 'x', 'pushgateway-token': 't', 'pushgateway-username': 'u' },
      "Input 'pushgateway-token'",
    ],
    [{ command: 'x', 'pushgateway-password': 'p' }, "Input 'pushgateway-username'"],
  ])('rejects %j naming the input', (values, message) => {
    expect(() => readInputs(reader(values))).toThrow(InputError);
    expect(() => readInputs(reader(values))).toThrow(message);
  });

  it('never puts a secret into an error message', () => {
    try {
      readInputs(reader({ command: 'x', 'pushgateway-url': 'http://u:hunter2@[bad' }));
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain('hunter2');
    }
  });
});

describe('metric-prefix', () => {
  it.each(['go_', 'process_', 'pushgateway_', 'push_'])(
    'rejects %s, which clashes with the gateway',
    (prefix) => {
      expect(() => readInputs(reader({ command: 'x', 'metric-prefix': prefix }))).toThrow(
        "would clash with the Pushgateway's own metrics",
      );
    },
  );

  it('reads remote-write-url and remote-write-headers, alone or beside the gateway, secrets included', () => {
    const inputs = readInputs(
      reader({
        command: 'pytest',
        'pushgateway-url': 'http://gw:9091',
        'remote-write-url': 'https://ci:p%40ss@mimir.example.com/api/v1/push',
        'remote-write-headers': 'X-Scope-OrgID: team-a',
      }),
    );
    expect(inputs.pushgatewayUrl?.href).toBe('http://gw:9091/');
    expect(inputs.remoteWrite?.url.href).toBe('https://mimir.example.com/api/v1/push');
    expect(inputs.remoteWrite?.headers).toEqual({
      'X-Scope-OrgID': 'team-a',
      Authorization: `Basic ${Buffer.from('ci:p@ss').toString('base64')}`,
    });
    expect(secretsOf(inputs)).toEqual(
      expect.arrayContaining(['team-a', 'p@ss', Buffer.from('ci:p@ss').toString('base64')]),
    );
    expect(readInputs(reader({ command: 'pytest' })).remoteWrite).toBeUndefined();
  });

  it('names remote-write-url or remote-write-headers when they are wrong', () => {
    expect(() =>
      readInputs(reader({ command: 'pytest', 'remote-write-url': 'ftp://x/api/v1/write' })),
    ).toThrow(
      new InputError(
        'remote-write-url',
        "scheme 'ftp:' is not supported: use http:// or https://.",
      ),
    );
    expect(() =>
      readInputs(
        reader({
          command: 'pytest',
          'remote-write-url': 'http://x/api/v1/write',
          'remote-write-headers': 'oops',
        }),
      ),
    ).toThrow(/^Input 'remote-write-headers': a line is not 'Name: value'/);
  });
});
