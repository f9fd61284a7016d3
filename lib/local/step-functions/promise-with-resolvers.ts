/**
 * aws-local-stepfunctions 3 calls `Promise.withResolvers()` (ES2024) in every Task state
 * to race the task against its timeout. Node 20 does not have it (Node >= 22 does), so on
 * Node 20 every Task state fails with "Promise.withResolvers is not a function". This
 * installs a spec-shaped polyfill when, and only when, the runtime lacks it.
 * test/unit/local/promise-with-resolvers.test.ts shows the failure without it.
 */
type WithResolvers = <T>() => {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
};

export function ensurePromiseWithResolvers(): void {
  const P = Promise as unknown as { withResolvers?: WithResolvers };
  if (typeof P.withResolvers === 'function') return;
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    enumerable: false,
    value: function withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
