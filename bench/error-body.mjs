#!/usr/bin/env node
/**
 * A gateway that answers the push with a huge error body (100 MB by default, streamed as fast as
 * the client reads): the whole bundled action (`node dist/index.js`, command `true`), its wall
 * time and peak RSS, and how many bytes the server got to write before the client hung up. The
 * error is a 400, so one attempt is measured; on node 20 and node 24.
 *
 *   node bench/error-body.mjs [--mb 100]
 */
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { actionEnv, DIST, machine, NODE24, printTable, tempDir, timed } from './lib.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--mb');
const MB = at >= 0 ? Number(args[at + 1]) : 100;

/** Serves /-/ready, and a MB-megabyte 400 to every push; counts what it wrote per push. */
async function startGateway() {
  const chunk = Buffer.alloc(64 * 1024, 'the gateway says no. ');
  const written = [];
  const server = createServer((req, res) => {
    if (req.url === '/-/ready') return res.writeHead(200).end('OK');
    req.resume();
    req.on('end', () => {
      const index = written.push(0) - 1;
      res.writeHead(400, { 'Content-Type': 'text/plain' });
      res.on('error', () => undefined);
      const pump = () => {
        while (written[index] < MB * 1024 * 1024) {
          written[index] += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, written, server };
}

// Peak RSS of the action process itself, printed by a preload at exit.
const RSS_PRELOAD =
  "data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss='+process.resourceUsage().maxRSS+'\\n'))";

const rows = [['node', 'error body', 'wall', 'peak RSS', 'written by the server', 'reported']];
for (const [label, node] of [
  ['node 20', process.execPath],
  ['node 24', NODE24],
]) {
  if (!existsSync(node)) continue;
  const gateway = await startGateway();
  const workspace = await tempDir('rma-bench-ws-');
  const { env, runnerTemp, cleanup } = await actionEnv(workspace, {
    command: 'true',
    'pushgateway-url': gateway.url,
    'gateway-wait-seconds': '5',
    'push-timeout-seconds': '60',
  });
  const result = await timed(node, ['--import', RSS_PRELOAD, DIST], { cwd: workspace, env });
  const summary = await readFile(join(runnerTemp, 'summary.md'), 'utf8');
  const rss = Number(/maxrss=(\d+)/.exec(result.out)?.[1] ?? 0) / 1024;
  rows.push([
    label,
    `${MB} MB`,
    `${result.seconds.toFixed(2)} s`,
    `${rss.toFixed(0)} MB`,
    `${(gateway.written.reduce((a, b) => a + b, 0) / 1024).toFixed(0)} KiB`,
    /HTTP 400\): the gateway says no\./.test(summary) ? 'status + excerpt' : 'NOT REPORTED',
  ]);
  await cleanup();
  gateway.server.closeAllConnections();
  gateway.server.close();
}
console.log(machine());
printTable(rows);
