import { json } from 'express';
import { isStorableText } from '../storable-text';

/**
 * Text PostgreSQL cannot store (U+0000, a lone surrogate: see storable-text.ts) would fail its write and
 * answer 500: refused while parsing, as any other malformed body (400 entity.parse.failed).
 */
function refuseUnstorable(key: string, value: unknown): unknown {
  if (!isStorableText(key) || (typeof value === 'string' && !isStorableText(value))) {
    throw new SyntaxError('text must not contain U+0000 or a lone surrogate');
  }
  return value;
}

/** express.json with a size limit (past it: 413) and only storable text in keys and strings (else 400). */
export const jsonBody = (limit: '8kb' | '16kb') => json({ limit, reviver: refuseUnstorable });
