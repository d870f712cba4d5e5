import { InvalidRequestException } from '../problems/invalid-request.exception';
import type { FieldError } from '../problems/problem-details';

/**
 * How deeply a request body may nest objects and lists. The deepest body a command takes has 4
 * levels (`indicators[0].expectedRange.lower`): 32 leaves room for new shapes, while everything
 * that walks a parsed body recursively (Nest's ValidationPipe, class-transformer,
 * class-validator, the canonical JSON of idempotency keys and of the hash chain) stays far from
 * the call-stack limit. A 100 kB body can nest some 50,000 levels: JSON.parse reads it, the
 * recursion after it overflows the stack, and the caller got a 500.
 */
export const MAX_BODY_DEPTH = 32;

/**
 * Keys that name an object's prototype machinery, not data. Nest's ValidationPipe deletes them
 * silently, so a body carrying one was carried out as if it had not; nothing of ours is named
 * so, and a caller sending one is probing, or confused: either way the answer is a 400.
 */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Refuses (400, naming each field) a parsed body that nests deeper than {@link MAX_BODY_DEPTH}
 * or has a prototype key at any depth. Walks the body with a queue of its own, not recursion,
 * so the depth of the body cannot exhaust the stack here either.
 */
export function refuseUnsafeBody(body: unknown): void {
  const errors: FieldError[] = [];
  const queue: { value: unknown; path: string; depth: number }[] = [
    { value: body, path: '', depth: 1 },
  ];
  for (let next = 0; next < queue.length; next++) {
    const { value, path, depth } = queue[next]!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_BODY_DEPTH) {
      throw new InvalidRequestException([
        { field: 'body', reason: `is nested deeper than ${MAX_BODY_DEPTH} levels` },
      ]);
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) =>
        queue.push({ value: item, path: `${path || 'body'}[${index}]`, depth: depth + 1 }),
      );
      continue;
    }
    for (const [key, member] of Object.entries(value)) {
      const field = path ? `${path}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) errors.push({ field, reason: 'is not a known field here' });
      else queue.push({ value: member, path: field, depth: depth + 1 });
    }
  }
  if (errors.length > 0) throw new InvalidRequestException(errors);
}
