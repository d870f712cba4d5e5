/**
 * Finds the first part of a value that JSON (and PostgreSQL's jsonb) cannot hold exactly:
 * undefined, NaN and ±Infinity, functions, symbols, bigints, class instances (Date, Map, …),
 * sparse arrays, cycles, strings with a NUL character or a lone surrogate, nesting deeper than
 * {@link MAX_JSON_DEPTH}.
 * Returns `null` when the whole value is JSON-safe; otherwise where and why it is not.
 */
export function findJsonProblem(
  value: unknown,
  path: string,
): { path: string; reason: string } | null {
  return visit(value, path, new Set());
}

/** Deeper data is refused: no event needs it, and recursion that deep exhausts the stack. */
export const MAX_JSON_DEPTH = 100;

function visit(
  value: unknown,
  path: string,
  ancestors: Set<object>,
): { path: string; reason: string } | null {
  switch (typeof value) {
    case 'string':
      return stringProblem(value, path);
    case 'boolean':
      return null;
    case 'number':
      return Number.isFinite(value)
        ? null
        : { path, reason: `${String(value)} is not a JSON number` };
    case 'undefined':
      return { path, reason: 'undefined is not JSON (use null)' };
    case 'function':
      return { path, reason: 'a function is not JSON' };
    case 'symbol':
      return { path, reason: 'a symbol is not JSON' };
    case 'bigint':
      return { path, reason: 'a bigint is not JSON (use a string or a number)' };
    case 'object':
      break;
  }
  if (value === null) return null;
  const object = value as object;
  if (ancestors.has(object)) return { path, reason: 'a cycle (the value contains itself)' };
  if (ancestors.size >= MAX_JSON_DEPTH) {
    return { path, reason: `nested more than ${MAX_JSON_DEPTH} levels deep` };
  }

  if (Array.isArray(object)) {
    ancestors.add(object);
    for (let i = 0; i < object.length; i++) {
      if (!(i in object))
        return { path: `${path}[${i}]`, reason: 'a hole in a sparse array is not JSON' };
      const problem = visit(object[i], `${path}[${i}]`, ancestors);
      if (problem) return problem;
    }
    ancestors.delete(object);
    return null;
  }

  const prototype = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) {
    const name = (prototype as { constructor?: { name?: string } }).constructor?.name ?? 'unknown';
    return {
      path,
      reason: `a ${name} is not plain JSON data (use a plain object; dates as ISO strings)`,
    };
  }
  if (Object.getOwnPropertySymbols(object).length > 0) {
    return { path, reason: 'symbol keys are not JSON' };
  }
  ancestors.add(object);
  for (const [key, child] of Object.entries(object)) {
    const keyProblem = stringProblem(key, `${path} key "${key}"`);
    if (keyProblem) return keyProblem;
    const problem = visit(child, `${path}.${key}`, ancestors);
    if (problem) return problem;
  }
  ancestors.delete(object);
  return null;
}

function stringProblem(text: string, path: string): { path: string; reason: string } | null {
  if (text.includes('\u0000'))
    return { path, reason: 'the NUL character (\\u0000) cannot be stored' };
  if (!text.isWellFormed()) return { path, reason: 'a lone UTF-16 surrogate is not valid Unicode' };
  return null;
}
