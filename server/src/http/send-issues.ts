import type { Response } from 'express';
import type { z } from 'zod';

/** 400 with one line per problem: `field: message`. */
export function sendIssues(res: Response, error: 'bad-body' | 'bad-query', issues: readonly z.core.$ZodIssue[]): void {
  res.status(400).json({ error, issues: issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) });
}
