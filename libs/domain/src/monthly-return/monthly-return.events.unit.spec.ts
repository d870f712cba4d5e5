import { DOMAIN_EVENT_TYPES } from '../event-types';
import { MONTHLY_RETURN_UPCASTERS } from './monthly-return.events';

describe('an amendment stored before its reason was kept apart (schema version 1)', () => {
  it('is read as it was: its reason the text', () => {
    const v1 = { serviceId: 'ty-gwyn', amendmentNumber: 1, reason: 'Tom was counted twice' };
    expect(MONTHLY_RETURN_UPCASTERS.MonthlyReturnAmended[1](v1)).toEqual(v1);
  });

  it('is upcast on read: new amendments are written at version 2', () => {
    expect(DOMAIN_EVENT_TYPES.find((t) => t.type === 'MonthlyReturnAmended')).toEqual({
      type: 'MonthlyReturnAmended',
      schemaVersion: 2,
      upcasters: MONTHLY_RETURN_UPCASTERS.MonthlyReturnAmended,
    });
  });
});
