import {
  ConcurrencyError,
  InvalidEventError,
  InvalidReadOptionError,
  InvalidStreamIdError,
  TenantMismatchError,
  UnregisteredEventTypeError,
} from '../errors';
import { START_OF_LOG, type EventStore, type NewEvent } from '../event-store.port';
import { metadata, thingHappened, uniqueStreamId } from './test-events';

/**
 * The contract's bad-input cases (event-store.contract.ts runs them on every adapter): each is
 * refused with a typed error naming what is wrong, and nothing is written.
 */
export function badInputContract(store: () => EventStore): void {
  const countAll = () => store().countEventsAfter(START_OF_LOG);

  describe('bad input: a typed error and nothing written', () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    const cases: [
      string,
      () => { streamId: string; events: NewEvent[] },
      new (...args: never[]) => Error,
      RegExp,
    ][] = [
      [
        'an unregistered event type',
        () => ({
          streamId: uniqueStreamId(),
          events: [{ ...thingHappened(), type: 'NoSuchThing' }],
        }),
        UnregisteredEventTypeError,
        /NoSuchThing/,
      ],
      [
        'undefined in data',
        () => ({ streamId: uniqueStreamId(), events: [thingHappened({ value: undefined })] }),
        InvalidEventError,
        /events\[0\]\.data\.value: undefined/,
      ],
      [
        'NaN in data',
        () => ({
          streamId: uniqueStreamId(),
          events: [thingHappened(), thingHappened({ score: Number.NaN })],
        }),
        InvalidEventError,
        /events\[1\]\.data\.score: NaN/,
      ],
      [
        'Infinity in data',
        () => ({ streamId: uniqueStreamId(), events: [thingHappened({ score: Infinity })] }),
        InvalidEventError,
        /Infinity/,
      ],
      [
        'a function in data',
        () => ({ streamId: uniqueStreamId(), events: [thingHappened({ fn: () => 1 })] }),
        InvalidEventError,
        /data\.fn: a function/,
      ],
      [
        'a cycle in data',
        () => ({ streamId: uniqueStreamId(), events: [thingHappened(cycle)] }),
        InvalidEventError,
        /data\.self: a cycle/,
      ],
      [
        'a Date in data',
        () => ({ streamId: uniqueStreamId(), events: [thingHappened({ at: new Date() })] }),
        InvalidEventError,
        /data\.at: a Date/,
      ],
      [
        'a NUL character in data',
        () => ({ streamId: uniqueStreamId(), events: [thingHappened({ s: 'a\u0000b' })] }),
        InvalidEventError,
        /NUL/,
      ],
      [
        'an empty stream id',
        () => ({ streamId: '', events: [thingHappened()] }),
        InvalidStreamIdError,
        /empty/,
      ],
      [
        'a stream id that is too long',
        () => ({ streamId: 'x'.repeat(201), events: [thingHappened()] }),
        InvalidStreamIdError,
        /201 characters/,
      ],
      [
        'an event id that is not a UUID',
        () => ({ streamId: uniqueStreamId(), events: [{ ...thingHappened(), eventId: 'abc' }] }),
        InvalidEventError,
        /eventId: must be a UUID/,
      ],
      [
        'metadata without a tenant',
        () => ({
          streamId: uniqueStreamId(),
          events: [{ ...thingHappened(), metadata: metadata({ tenantId: '' }) }],
        }),
        InvalidEventError,
        /metadata\.tenantId: is required/,
      ],
      [
        'data nested 101 levels deep',
        () => ({
          streamId: uniqueStreamId(),
          events: [thingHappened(nested(101))],
        }),
        InvalidEventError,
        /nested more than 100 levels deep/,
      ],
      [
        'an effective time in the year 10000',
        () => ({
          streamId: uniqueStreamId(),
          events: [thingHappened({}, { effectiveAt: new Date('+010000-01-01T00:00:00Z') })],
        }),
        InvalidEventError,
        /events\[0\]\.effectiveAt: must be a valid Date in the years 1 to 9999/,
      ],
      [
        'two tenants in one batch',
        () => ({
          streamId: uniqueStreamId(),
          events: [
            thingHappened(),
            { ...thingHappened(), metadata: metadata({ tenantId: 'tenant-b' }) },
          ],
        }),
        InvalidEventError,
        /same tenant/,
      ],
    ];

    it.each(cases)('refuses %s', async (_label, build, errorType, message) => {
      const before = await countAll();
      const { streamId, events } = build();
      const error = await store()
        .append(streamId, events, 'any')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(errorType);
      expect((error as Error).message).toMatch(message);
      expect(await countAll()).toBe(before);
    });

    it('refuses read options out of range with a typed error', async () => {
      const streamId = uniqueStreamId();
      await store().append(streamId, [thingHappened()], 'no-stream');
      for (const options of [
        { fromVersion: 1.5 },
        { toVersion: -1 },
        { maxCount: Number.MAX_SAFE_INTEGER + 1 },
        { recordedUntil: new Date('invalid') },
        { recordedUntil: new Date('+010000-01-01T00:00:00Z') },
      ]) {
        await expect(store().readStream(streamId, options)).rejects.toBeInstanceOf(
          InvalidReadOptionError,
        );
      }
      for (const options of [{ limit: 0 }, { types: [''] }]) {
        await expect(store().readAll(START_OF_LOG, options)).rejects.toBeInstanceOf(
          InvalidReadOptionError,
        );
      }
    });

    it('refuses an empty batch whose expected version is wrong, writing nothing', async () => {
      const streamId = uniqueStreamId();
      await store().append(streamId, [thingHappened(), thingHappened()], 'no-stream');
      await expect(store().append(streamId, [], 99)).rejects.toMatchObject({ actualVersion: 2 });
      await expect(store().append(streamId, [], 'no-stream')).rejects.toBeInstanceOf(
        ConcurrencyError,
      );
      expect(await store().append(uniqueStreamId(), [], 'no-stream')).toMatchObject({
        nextExpectedVersion: 0,
      });
    });

    it('treats an empty batch as nothing to do, not an error', async () => {
      const streamId = uniqueStreamId();
      await store().append(streamId, [thingHappened()], 'no-stream');
      const before = await countAll();
      const result = await store().append(streamId, [], 'any');
      expect(result).toEqual({
        streamId,
        nextExpectedVersion: 1,
        events: [],
        alreadyStored: false,
      });
      expect(await countAll()).toBe(before);
    });

    it("refuses to append to another tenant's stream", async () => {
      const streamId = uniqueStreamId();
      await store().append(streamId, [thingHappened()], 'no-stream');
      const other = { ...thingHappened(), metadata: metadata({ tenantId: 'tenant-b' }) };
      await expect(store().append(streamId, [other], 'any')).rejects.toBeInstanceOf(
        TenantMismatchError,
      );
      expect(await store().streamVersion(streamId)).toBe(1);
    });
  });
}

function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let i = 1; i < depth; i++) value = { inner: value };
  return value;
}
