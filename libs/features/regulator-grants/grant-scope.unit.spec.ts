import { InMemoryEventStore, EventTypeRegistry } from '@kpi/event-store';
import { narrowedToPeriod, periodInstants } from './grant-scope';

describe("a grant's period", () => {
  it('runs from midnight starting its first day to midnight ending its last, London time', () => {
    expect(periodInstants({ from: '2026-04-01', to: '2026-06-30' })).toEqual({
      start: new Date('2026-03-31T23:00:00.000Z'),
      end: new Date('2026-06-30T23:00:00.000Z'),
    });
    expect(periodInstants({ from: '2026-01-01', to: '2026-01-31' })).toEqual({
      start: new Date('2026-01-01T00:00:00.000Z'),
      end: new Date('2026-02-01T00:00:00.000Z'),
    });
  });

  describe('narrowing a read of a stream to it', () => {
    /** Six events recorded a day apart, from 1 to 6 May 2026 at noon (London). */
    async function streamOfSixDays() {
      let day = 1;
      const store = new InMemoryEventStore(
        new EventTypeRegistry([{ type: 'Noted', schemaVersion: 1 }]),
        {
          clock: () => new Date(`2026-05-0${day}T11:00:00Z`),
        },
      );
      for (; day <= 6; day++) {
        await store.append(
          's',
          [
            {
              eventId: `00000000-0000-4000-8000-00000000000${day}`,
              type: 'Noted',
              data: { day },
              metadata: {
                tenantId: 'acme',
                actor: 'user:x',
                correlationId: null,
                causationId: null,
                commandId: null,
              },
            },
          ],
          'any',
        );
      }
      return store;
    }
    const days = async (
      store: InMemoryEventStore,
      options: Parameters<InMemoryEventStore['readStream']>[1],
    ) => (await store.readStream('s', options)).map((e) => (e.data as { day: number }).day);
    const may2to4 = { from: '2026-05-02', to: '2026-05-04' };

    it('shows only the events recorded in the period', async () => {
      const store = await streamOfSixDays();
      expect(await days(store, await narrowedToPeriod(store, 's', {}, may2to4))).toEqual([2, 3, 4]);
    });

    it('pages within the period: a count starts at its first event, not the stream’s', async () => {
      const store = await streamOfSixDays();
      const options = await narrowedToPeriod(store, 's', { maxCount: 2 }, may2to4);
      expect(await days(store, options)).toEqual([2, 3]);
    });

    it('reads newest first from the end of the period', async () => {
      const store = await streamOfSixDays();
      const options = await narrowedToPeriod(
        store,
        's',
        { direction: 'backward', maxCount: 1 },
        may2to4,
      );
      expect(await days(store, options)).toEqual([4]);
    });

    it('keeps a narrower request as asked, and never widens one', async () => {
      const store = await streamOfSixDays();
      const asked = await narrowedToPeriod(
        store,
        's',
        { fromVersion: 3, recordedUntil: new Date('2026-05-03T12:00:00Z') },
        may2to4,
      );
      expect(await days(store, asked)).toEqual([3]);
      const wider = await narrowedToPeriod(
        store,
        's',
        { fromVersion: 1, recordedUntil: new Date('2026-05-30T00:00:00Z') },
        may2to4,
      );
      expect(await days(store, wider)).toEqual([2, 3, 4]);
    });

    it('shows nothing of a stream whose events all came before the period', async () => {
      const store = await streamOfSixDays();
      const later = { from: '2026-06-01', to: '2026-06-30' };
      expect(await days(store, await narrowedToPeriod(store, 's', {}, later))).toEqual([]);
    });
  });
});
