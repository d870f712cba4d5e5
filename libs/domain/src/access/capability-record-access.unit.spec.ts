import { mayReadCapabilityRecordOf } from './capability-record-access';

describe("who may read a manager's capability record", () => {
  it('HR, the regional manager, the provider admin and the regulator read anyone’s', () => {
    for (const role of ['hr', 'regional-manager', 'provider-admin', 'regulator'] as const) {
      expect(mayReadCapabilityRecordOf({ roles: [role] }, 'mgr-home-02')).toBe(true);
    }
  });

  it('a home manager reads their own record, and only theirs', () => {
    const manager = { roles: ['home-manager'] as const, managerId: 'mgr-home-02' };
    expect(mayReadCapabilityRecordOf(manager, 'mgr-home-02')).toBe(true);
    expect(mayReadCapabilityRecordOf(manager, 'mgr-home-01')).toBe(false);
  });

  it('a home manager linked to no manager id reads none', () => {
    expect(mayReadCapabilityRecordOf({ roles: ['home-manager'] }, 'mgr-home-02')).toBe(false);
    expect(
      mayReadCapabilityRecordOf({ roles: ['home-manager'], managerId: null }, 'mgr-home-02'),
    ).toBe(false);
  });

  it('a linked manager id opens nothing without the home-manager role', () => {
    for (const role of ['commissioner', 'admin'] as const) {
      expect(
        mayReadCapabilityRecordOf({ roles: [role], managerId: 'mgr-home-02' }, 'mgr-home-02'),
      ).toBe(false);
    }
  });
});
