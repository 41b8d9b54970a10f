/** The parent's handle on the stand-in endpoint process (server.ts). */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import type { FromStandIn, ToStandIn } from './server';

export interface StandIn {
  /** `http://localhost:PORT` (virtual-hosted names `bucket.localhost` resolve with bench/stand-in/localhost-dns.js). */
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  readonly setBuckets: (names: readonly string[]) => Promise<void>;
  /** Requests answered so far, and the operations since the last reset. */
  readonly stats: (reset?: boolean) => Promise<{ requests: number; operations: readonly string[] }>;
  readonly close: () => Promise<void>;
}

export async function startStandIn(latencyMs: number): Promise<StandIn> {
  const child: ChildProcess = fork(join(__dirname, 'server.ts'), [String(latencyMs)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const [first] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(() => Promise.reject(new Error('the stand-in process exited before listening'))),
  ])) as [FromStandIn];
  if (first.type !== 'listening') throw new Error('the stand-in process did not start');
  const ask = async (message: ToStandIn) => {
    child.send(message);
    const [reply] = (await once(child, 'message')) as [FromStandIn];
    return reply.type === 'stats' ? reply : { requests: 0, operations: [] };
  };
  return {
    endpoint: `http://localhost:${first.port}`,
    port: first.port,
    pid: child.pid ?? 0,
    setBuckets: async (names) => {
      await ask({ type: 'setBuckets', names });
    },
    stats: async (reset) => {
      const reply = await ask({ type: 'stats', reset: reset ?? false });
      return { requests: reply.requests, operations: reply.operations };
    },
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}
