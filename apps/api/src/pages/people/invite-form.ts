import { isEntityId } from '@kpi/command-handling';
import { isRole, ROLES, type Role } from '@kpi/domain';
import type { InvitePersonInput } from '@kpi/features/accounts';
import { formText, formTexts, type FormBody } from '../sign-in/form-text';

/** What a role means, beside its checkbox. */
export const ROLE_CHOICES: readonly { value: Role; text: string; hint: string }[] = [
  { value: 'home-manager', text: 'Home manager', hint: 'Runs one home or service' },
  {
    value: 'regional-manager',
    text: 'Regional manager',
    hint: 'Line-manages the home managers of a region; completes monthly returns',
  },
  { value: 'hr', text: 'HR', hint: 'Capability reviews, staff records' },
  {
    value: 'provider-admin',
    text: 'Provider administrator',
    hint: 'The organisation structure and KPI frameworks',
  },
  { value: 'commissioner', text: 'Commissioner', hint: 'A council monitoring its providers' },
  { value: 'regulator', text: 'Regulator or auditor', hint: 'Reads, and changes nothing' },
  { value: 'admin', text: 'Account administrator', hint: 'Invites people and removes access' },
  {
    value: 'data-protection',
    text: 'Data-protection officer',
    hint: 'Answers requests about personal data; erases a person’s when the law requires it',
  },
  {
    value: 'performance-officer',
    text: 'Performance officer',
    hint: 'Verifies and publishes returns, audits samples of them, comments on indicators',
  },
];
if (ROLE_CHOICES.length !== ROLES.length) throw new Error('Every role needs its choice');

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The invite form as typed, with each field's problem (empty when it can be sent). */
export interface InviteForm {
  form: { email: string; roles: string[]; managerId: string };
  errorOf: Record<string, string>;
  input: InvitePersonInput | null;
}

/** Reads the invite form: an email address, at least one role, an optional manager id. */
export function readInviteForm(body: FormBody | undefined): InviteForm {
  const email = formText(body, 'email').trim().toLowerCase();
  const roles = formTexts(body, 'roles');
  const managerId = formText(body, 'managerId').trim();
  const errorOf: Record<string, string> = {};
  if (!EMAIL.test(email) || email.length > 200) {
    errorOf.email = 'Enter an email address, like name@example.org';
  }
  if (roles.length === 0) errorOf.roles = 'Choose at least one role';
  else if (!roles.every(isRole)) errorOf.roles = 'Choose roles from the list';
  if (managerId !== '' && !isEntityId(managerId)) {
    errorOf.managerId =
      'Enter a manager id of lowercase letters, digits or -, like mgr-home-02, or leave it empty';
  }
  const form = { email, roles, managerId };
  if (Object.keys(errorOf).length) return { form, errorOf, input: null };
  return {
    form,
    errorOf,
    input: { email, roles: roles.filter(isRole), managerId: managerId || null },
  };
}
