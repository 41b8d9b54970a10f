/**
 * The stand-in endpoint in a process of its own (`child_process.fork`), so its work never shares the measured
 * client's event loop or thread. Answers every request after LATENCY_MS (argv[2]); the parent sets the bucket list
 * and reads the request log over IPC.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerRequest } from './answers';

export type ToStandIn =
  | { readonly type: 'setBuckets'; readonly names: readonly string[] }
  | { readonly type: 'stats'; readonly reset?: boolean };
export type FromStandIn =
  | { readonly type: 'listening'; readonly port: number }
  | { readonly type: 'stats'; readonly requests: number; readonly operations: readonly string[] };

async function serve(latencyMs: number): Promise<void> {
  const state = { names: [] as readonly string[], requests: 0, operations: [] as string[] };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      state.requests++;
      const answer = answerRequest(
        {
          method: request.method ?? 'GET',
          url: request.url ?? '/',
          host: request.headers.host ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        },
        state.names,
      );
      state.operations.push(answer.operation);
      const reply = () => {
        response.writeHead(answer.status, {
          'content-type': answer.type,
          'content-length': Buffer.byteLength(answer.body),
          'x-amzn-requestid': 'stand-in',
        });
        response.end(answer.body);
      };
      if (latencyMs > 0) setTimeout(reply, latencyMs);
      else reply();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  process.on('message', (message: ToStandIn) => {
    if (message.type === 'setBuckets') state.names = message.names;
    const reply: FromStandIn = { type: 'stats', requests: state.requests, operations: state.operations };
    process.send?.(reply);
    if (message.type === 'stats' && message.reset) state.operations = [];
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ type: 'listening', port: (server.address() as AddressInfo).port } satisfies FromStandIn);
}

if (require.main === module) void serve(Number(process.argv[2] ?? 0));
