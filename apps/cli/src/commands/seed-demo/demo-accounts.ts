import { randomBytes, randomUUID } from 'node:crypto';
import type { Role } from '@kpi/domain';
import type { EventStore } from '@kpi/event-store';
import { acceptInvitation, invitePerson } from '@kpi/features/accounts';
import type { PersonalDataVault } from '@kpi/personal-data';
import type { Pool } from 'pg';
import type { SeedDemoSummary } from './seed-demo';

/** One person of the demo who can sign in: what they are for, in a few words. */
export interface DemoAccount {
  tenantId: string;
  email: string;
  roles: Role[];
  managerId: string | null;
  /** What this person sees, for the sign-in list seed-demo prints. */
  sees: string;
}

export interface DemoAccounts {
  /** The one password every demo account was given: random per seed, printed once. */
  password: string;
  accounts: DemoAccount[];
}

/**
 * The demo's people, one per role: for the provider, its account admin, provider admin,
 * regional manager (linked to the Stage 3 home's region, so its notices reach them), HR, the home manager of the Stage 3 story (linked to their own capability
 * record) and its regulator; for the council (when this seed created it), its account admin and
 * its commissioner. Emails are `<role>@<tenant>.example` (a domain that never receives mail).
 */
export function demoAccountsOf(summary: SeedDemoSummary): DemoAccount[] {
  const tenant = summary.provider.tenant;
  const person = (
    tenantId: string,
    role: Role,
    sees: string,
    managerId: string | null = null,
  ): DemoAccount => ({
    tenantId,
    email: `${role}@${tenantId}.example`,
    roles: [role],
    managerId,
    sees,
  });
  const accounts = [
    person(tenant, 'admin', 'People: invite and remove'),
    person(tenant, 'provider-admin', 'everything of the provider'),
    person(
      tenant,
      'regional-manager',
      `the KPI grid, returns due, submit and amend returns (${summary.provider.stage3.regionalManagerId}, the Stage 3 home's region)`,
      summary.provider.stage3.regionalManagerId,
    ),
    person(tenant, 'hr', 'managers by capability stage → timeline → why'),
    person(
      tenant,
      'home-manager',
      `the KPI grid and their own capability record (${summary.provider.stage3.managerId}, Stage 3)`,
      summary.provider.stage3.managerId,
    ),
    person(tenant, 'regulator', 'the KPI grid, capability records, the audit trail (read-only)'),
  ];
  const council = summary.council?.councilId;
  if (council) {
    accounts.push(
      person(council, 'admin', 'People: invite and remove'),
      person(
        council,
        'commissioner',
        'the framework, league table, packages, provider returns, quarterly and business-plan reports',
      ),
    );
  }
  return accounts;
}

/**
 * Creates the demo's accounts, active, all with one new random password (invited and accepted
 * through the same use cases as the pages, so each is in the trail as `PersonInvited` then
 * `InvitationAccepted`).
 */
export async function seedDemoAccounts(
  store: EventStore,
  pool: Pool,
  vault: PersonalDataVault,
  summary: SeedDemoSummary,
  now: Date = new Date(summary.asOf),
): Promise<DemoAccounts> {
  const password = `demo-${randomBytes(9).toString('base64url')}`;
  const accounts = demoAccountsOf(summary);
  for (const account of accounts) {
    const invitation = await invitePerson(
      {
        store,
        tenantId: account.tenantId,
        actor: 'system:seed-demo',
        correlationId: 'seed-demo',
        commandId: randomUUID(),
        now,
      },
      pool,
      vault,
      { email: account.email, roles: account.roles, managerId: account.managerId },
    );
    await acceptInvitation(store, pool, {
      invitationToken: invitation.invitationToken,
      password,
      now,
      correlationId: 'seed-demo',
    });
  }
  return { password, accounts };
}

/** The lines seed-demo prints: where to sign in, as whom, and the password. */
export function signInLines({ password, accounts }: DemoAccounts, baseUrl: string): string[] {
  const width = Math.max(...accounts.map((a) => a.email.length));
  return [
    `Sign in at ${baseUrl.replace(/\/+$/, '')}/app/sign-in as any of these, with the password ${password}`,
    ...accounts.map((a) => `  ${a.email.padEnd(width)}  ${a.roles.join(', ')}: ${a.sees}`),
  ];
}
