/**
 * An object that forwards every property read to whatever `current()` returns at that moment, methods bound
 * to it: handed once to code that keeps it (the REST routes keep the dispatch service), while the instance
 * behind it is replaced (a standby reloads the dispatch service when it takes over).
 */
export function delegateTo<T extends object>(current: () => T): T {
  return new Proxy({} as T, {
    get(_target, key) {
      const target = current();
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
    has: (_target, key) => Reflect.has(current(), key),
  });
}
