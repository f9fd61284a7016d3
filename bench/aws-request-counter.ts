/**
 * Counts the AWS SDK calls a bench makes, by phase, service, command and key prefix, so the cost
 * model (bench/cost-model.ts) can price them: a middleware on each shared client counts every
 * command once, labelled with the phase its caller runs in (`counter.run('ingest', fn)`, carried
 * through awaits by AsyncLocalStorage). The SDK's own retries of a command are not counted again;
 * on the emulators there are next to none.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** The part of an AWS SDK v3 client the counter uses. */
interface MiddlewareClient {
  middlewareStack: { add(middleware: unknown, options: { step: 'initialize'; name: string }): void };
}

type Next = (args: { input?: Record<string, unknown> }) => Promise<unknown>;

export interface RequestCount {
  phase: string;
  service: string;
  command: string;
  /** First segment of the S3 key or prefix (`raw`, `staging`, `curated`, …); empty for other services. */
  prefix: string;
  count: number;
}

export interface RequestCounter {
  /** Runs `fn` with its SDK calls counted under `phase`. */
  run<T>(phase: string, fn: () => T): T;
  /** Counts the commands `client` sends from now on, as `service`. */
  attach(client: MiddlewareClient, service: string): void;
  counts(): RequestCount[];
  /** Calls of one phase (all services when `service` is omitted). */
  total(phase: string, service?: string, command?: string): number;
}

export function createRequestCounter(): RequestCounter {
  const phases = new AsyncLocalStorage<string>();
  const counts = new Map<string, RequestCount>();
  return {
    run: (phase, fn) => phases.run(phase, fn),
    attach(client, service) {
      const middleware = (next: Next, context: { commandName?: string }) => async (args: { input?: Record<string, unknown> }) => {
        const phase = phases.getStore() ?? 'other';
        const command = (context.commandName ?? 'unknown').replace(/Command$/, '');
        const key = args.input?.Key ?? args.input?.Prefix;
        const prefix = service === 's3' && typeof key === 'string' ? (key.split('/')[0] ?? '') : '';
        const id = `${phase}\t${service}\t${command}\t${prefix}`;
        const c = counts.get(id) ?? { phase, service, command, prefix, count: 0 };
        c.count += 1;
        counts.set(id, c);
        return next(args);
      };
      client.middlewareStack.add(middleware, { step: 'initialize', name: 'riskfnBenchRequestCounter' });
    },
    counts: () => [...counts.values()].sort((a, b) => a.phase.localeCompare(b.phase) || a.service.localeCompare(b.service) || b.count - a.count),
    total: (phase, service, command) =>
      [...counts.values()]
        .filter((c) => c.phase === phase && (!service || c.service === service) && (!command || c.command === command))
        .reduce((n, c) => n + c.count, 0),
  };
}
