/** U+0000, or half of a surrogate pair with no other half. */
const UNSTORABLE = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Whether PostgreSQL can store this string as it is: text cannot hold U+0000, and json/jsonb refuse a lone
 * surrogate (`"\ud800"`, as JSON.stringify writes one). Either, reaching a write, fails it, and a queued
 * write that fails is retried before any behind it: such text is refused at the edge (MQTT, REST, socket.io).
 */
export function isStorableText(s: string): boolean {
  return !UNSTORABLE.test(s);
}

/** The first string (value or key) in a JSON-like value that is not storable text, if any. Iterative: no depth limit. */
export function findUnstorableText(value: unknown): string | undefined {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (!isStorableText(v)) return v;
    } else if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (!isStorableText(k)) return k;
        stack.push(x);
      }
    }
  }
  return undefined;
}
