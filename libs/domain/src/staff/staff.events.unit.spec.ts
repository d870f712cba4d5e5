import { DOMAIN_EVENT_TYPES } from '../event-types';
import { STAFF_UPCASTERS } from './staff.events';

describe('a leaver stored before the reason was kept apart (schema version 1)', () => {
  it('is read as it was: its reason the text', () => {
    const v1 = { staffId: 'sw-1', leftOn: '2026-04-30', reason: 'Moved to Cardiff' };
    expect(STAFF_UPCASTERS.StaffMemberLeft[1](v1)).toEqual(v1);
  });

  it('is upcast on read: new leavers are written at version 2', () => {
    expect(DOMAIN_EVENT_TYPES.find((t) => t.type === 'StaffMemberLeft')).toEqual({
      type: 'StaffMemberLeft',
      schemaVersion: 2,
      upcasters: STAFF_UPCASTERS.StaffMemberLeft,
    });
  });
});
