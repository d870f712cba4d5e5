import { ConflictError, InvalidCommandError, NotFoundError, PLATFORM_TENANT_ID } from '@kpi/domain';
import { commandSpecification } from '@kpi/testing';
import { addBankHoliday, removeBankHoliday } from './calendar.use-cases';

/**
 * The calendar commands (given by an operator through the CLI), given / when / then on the
 * in-memory event store, as the platform tenant.
 */
const platform = () =>
  commandSpecification({ tenantId: PLATFORM_TENANT_ID, actor: 'user:ops-ada' });

describe('calendar commands (in memory)', () => {
  it('adds a bank holiday to the platform stream and answers the calendar after', async () => {
    const spec = platform();
    const { result, events } = await spec.when(addBankHoliday, {
      date: '2026-04-14',
      name: ' A one-off holiday ',
    });
    expect(events).toMatchObject([
      {
        streamId: 'platform:calendar:england-and-wales',
        type: 'BankHolidayAdded',
        data: { date: '2026-04-14', name: 'A one-off holiday', addedBy: 'user:ops-ada' },
        metadata: { tenantId: 'platform', actor: 'user:ops-ada' },
      },
    ]);
    expect(result.replayed).toBe(false);
    expect(result.state.isHoliday('2026-04-14')).toBe(true);
  });

  it('writes nothing twice: the same command again answers the first events, replayed', async () => {
    const spec = platform();
    const context = spec.context();
    const input = { date: '2026-04-14', name: 'A one-off holiday' };
    const first = await addBankHoliday(context, input);
    const { result, events } = await spec.when(addBankHoliday, input, {
      commandId: context.commandId,
    });
    expect(events).toEqual([]);
    expect(result).toMatchObject({ events: first.events, replayed: true });
  });

  it('refuses a weekend day, a day that is a bank holiday already, and a blank name', async () => {
    const spec = platform();
    await expect(spec.when(addBankHoliday, { date: '2026-06-06', name: 'x' })).rejects.toThrow(
      'date: is a Saturday',
    );
    await expect(
      spec.when(addBankHoliday, { date: '2026-12-25', name: 'Christmas Day' }),
    ).rejects.toThrow(ConflictError);
    await expect(spec.when(addBankHoliday, { date: '2026-06-09', name: ' ' })).rejects.toThrow(
      InvalidCommandError,
    );
  });

  it('removes a bank holiday with the reason', async () => {
    const spec = platform();
    const { result, events } = await spec.when(removeBankHoliday, {
      date: '2026-04-06',
      reason: 'Wrong in the data file',
    });
    expect(events).toMatchObject([
      {
        type: 'BankHolidayRemoved',
        data: { date: '2026-04-06', reason: 'Wrong in the data file' },
      },
    ]);
    expect(result.state.isHoliday('2026-04-06')).toBe(false);
  });

  it("refuses to remove a day that is not a bank holiday (404), and any tenant's context", async () => {
    await expect(
      platform().when(removeBankHoliday, { date: '2026-06-09', reason: 'x' }),
    ).rejects.toThrow(NotFoundError);
    const tenant = commandSpecification({ tenantId: 'acme', actor: 'user:admin' });
    await expect(tenant.when(addBankHoliday, { date: '2026-06-05', name: 'x' })).rejects.toThrow(
      'tenant "platform" only',
    );
    expect(await tenant.store.readStream('platform:calendar:england-and-wales')).toEqual([]);
  });
});
