import { findJsonProblem } from './json-safety';

describe('findJsonProblem', () => {
  it('accepts plain JSON data, including Object.create(null) objects', () => {
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    expect(
      findJsonProblem({ a: [1, 'two', true, null, { b: -0.5 }], bare, e: '' }, 'data'),
    ).toBeNull();
  });

  it.each([
    [{ a: undefined }, 'data.a', 'undefined is not JSON'],
    [{ a: [1, Number.NaN] }, 'data.a[1]', 'NaN is not a JSON number'],
    [{ a: -Infinity }, 'data.a', '-Infinity is not a JSON number'],
    [{ f: () => 1 }, 'data.f', 'a function is not JSON'],
    [{ s: Symbol('x') }, 'data.s', 'a symbol is not JSON'],
    [{ n: 10n }, 'data.n', 'a bigint is not JSON'],
    [{ d: new Date(0) }, 'data.d', 'a Date is not plain JSON data'],
    [{ m: new Map() }, 'data.m', 'a Map is not plain JSON data'],
    [{ s: 'x\u0000y' }, 'data.s', 'NUL character'],
    [{ s: 'x\ud800' }, 'data.s', 'lone UTF-16 surrogate'],
    [{ 'bad\u0000key': 1 }, 'data key "bad\u0000key"', 'NUL character'],
    // eslint-disable-next-line no-sparse-arrays
    [{ a: [1, , 3] }, 'data.a[1]', 'sparse array'],
  ])('finds the problem in %p at %s', (value, path, reason) => {
    expect(findJsonProblem(value, 'data')).toEqual({
      path,
      reason: expect.stringContaining(reason),
    });
  });

  it('finds a cycle but accepts the same object twice side by side', () => {
    const shared = { x: 1 };
    expect(findJsonProblem({ a: shared, b: shared }, 'data')).toBeNull();
    const cycle: Record<string, unknown> = {};
    cycle.inner = { back: cycle };
    expect(findJsonProblem(cycle, 'data')).toEqual({
      path: 'data.inner.back',
      reason: expect.stringContaining('cycle'),
    });
  });
});
