import { readInviteForm } from './invite-form';

describe('readInviteForm', () => {
  it('reads a trimmed, lower-cased email, the roles ticked and an optional manager id', () => {
    expect(
      readInviteForm({ email: ' Gwen@Example.ORG ', roles: ['hr', 'admin'], managerId: '' }).input,
    ).toEqual({ email: 'gwen@example.org', roles: ['hr', 'admin'], managerId: null });
    expect(
      readInviteForm({ email: 'a@b.org', roles: 'home-manager', managerId: ' mgr-home-02 ' }).input,
    ).toEqual({ email: 'a@b.org', roles: ['home-manager'], managerId: 'mgr-home-02' });
  });

  it('names each bad field, and gives no input to send', () => {
    const read = readInviteForm({ email: 'gwen', managerId: 'Mgr 2' });
    expect(read.input).toBeNull();
    expect(Object.keys(read.errorOf)).toEqual(['email', 'roles', 'managerId']);
    expect(readInviteForm({ email: 'a@b.org', roles: ['hr', 'king'] }).errorOf).toEqual({
      roles: 'Choose roles from the list',
    });
    expect(readInviteForm({ email: `${'a'.repeat(200)}@b.org`, roles: 'hr' }).errorOf.email).toBe(
      'Enter an email address, like name@example.org',
    );
  });
});
