import { UnknownSchemaVersionError, UnregisteredEventTypeError } from './errors';
import { EventTypeRegistry } from './event-type-registry';

describe('the event type registry', () => {
  const registry = new EventTypeRegistry([
    {
      type: 'ReturnSubmitted',
      schemaVersion: 3,
      upcasters: {
        1: (data) => ({ ...(data as object), unit: 'percentage' }),
        2: (data) => {
          const { value, ...rest } = data as { value: number };
          return { ...rest, values: [value] };
        },
      },
    },
  ]);

  it('upcasts stored data through every version up to the current one', () => {
    expect(registry.upcast('ReturnSubmitted', 1, { value: 80 })).toEqual({
      schemaVersion: 3,
      data: { unit: 'percentage', values: [80] },
    });
    expect(registry.upcast('ReturnSubmitted', 2, { value: 80, unit: 'count' })).toEqual({
      schemaVersion: 3,
      data: { unit: 'count', values: [80] },
    });
  });

  it('passes current and unregistered types through unchanged', () => {
    expect(registry.upcast('ReturnSubmitted', 3, { values: [1] })).toEqual({
      schemaVersion: 3,
      data: { values: [1] },
    });
    expect(registry.upcast('SomethingElse', 1, { a: 1 })).toEqual({
      schemaVersion: 1,
      data: { a: 1 },
    });
  });

  it('refuses data stored by a newer version of the code', () => {
    expect(() => registry.upcast('ReturnSubmitted', 4, {})).toThrow(UnknownSchemaVersionError);
  });

  it('refuses a definition missing an upcaster, a bad name, or a second registration', () => {
    expect(
      () => new EventTypeRegistry([{ type: 'X', schemaVersion: 3, upcasters: { 1: (d) => d } }]),
    ).toThrow('missing upcaster from schema version 2 to 3');
    expect(() => new EventTypeRegistry([{ type: 'Monthly Return', schemaVersion: 1 }])).toThrow(
      'must start with a letter',
    );
    expect(() => new EventTypeRegistry([{ type: 'X', schemaVersion: 0 }])).toThrow('schemaVersion');
    expect(
      () =>
        new EventTypeRegistry([
          { type: 'X', schemaVersion: 1 },
          { type: 'X', schemaVersion: 1 },
        ]),
    ).toThrow('registered twice');
  });

  it('names an unregistered type when asked for its version', () => {
    expect(() => registry.currentSchemaVersion('Nope')).toThrow(UnregisteredEventTypeError);
  });
});
