import { randomUUID } from 'node:crypto';
import { isEntityId, type CommandContext } from '@kpi/command-handling';
import type { EventStore } from '@kpi/event-store';
import {
  invitePerson,
  setIdentityProvider,
  type IdentityProviderClientOptions,
  type IdentityProviderView,
  type Invitation,
  type RoleMapping,
} from '@kpi/features/accounts';
import type { Role } from '@kpi/domain';
import { parseMasterKey, PersonalDataVault } from '@kpi/personal-data';
import { loadEnvironment, openDatabase } from '@kpi/runtime';
import type { Pool } from 'pg';

export interface CreateAdminOptions {
  tenant: string;
  email: string;
  baseUrl: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * `cli accounts create-admin`: invites an organisation's first account admin (role `admin`)
 * and prints the invitation link (they choose their password there, then invite the others
 * at /app/people). The event names `system:cli` as who invited them.
 */
export async function createAdminCommand(options: CreateAdminOptions): Promise<void> {
  const { config, logger } = loadEnvironment('cli', { logTo: 'stderr' });
  const { pool, store } = await openDatabase(config, logger, { component: 'cli' });
  try {
    const vault = new PersonalDataVault(pool, config.PERSONAL_DATA_KEY);
    const invitation = await createAdmin(store, pool, vault, options);
    console.log(invitationLine(invitation, options.baseUrl));
  } finally {
    await pool.end();
  }
}

/**
 * Invites `email` as an admin of `tenant` (the event holds it sealed in the vault); a bad
 * tenant id or email is refused, nothing written.
 */
export async function createAdmin(
  store: EventStore,
  pool: Pool,
  vault: PersonalDataVault,
  { tenant, email }: { tenant: string; email: string },
): Promise<Invitation> {
  if (!isEntityId(tenant)) {
    throw new Error(
      `--tenant must be 1 to 63 lowercase letters, digits or -, starting with a letter or digit; got "${tenant}"`,
    );
  }
  const address = email.trim().toLowerCase();
  if (!EMAIL.test(address)) throw new Error(`--email must be an email address; got "${email}"`);
  const context: CommandContext = {
    store,
    tenantId: tenant,
    actor: 'system:cli',
    correlationId: null,
    commandId: randomUUID(),
    now: new Date(),
  };
  return invitePerson(context, pool, vault, {
    email: address,
    roles: ['admin'],
    managerId: null,
  });
}

/** What the command prints: the link to give the admin, and until when it works. */
export function invitationLine(invitation: Invitation, baseUrl: string): string {
  const link = `${baseUrl.replace(/\/+$/, '')}/app/invitations/${invitation.invitationToken}`;
  return `${link}\n(invitation for ${invitation.email}, account ${invitation.accountId}; single use, valid until ${invitation.expiresAt})`;
}

/** The environment variable `set-identity-provider` reads the client secret from. */
export const CLIENT_SECRET_VARIABLE = 'IDENTITY_PROVIDER_CLIENT_SECRET';

export interface SetIdentityProviderOptions {
  tenant: string;
  issuer: string;
  clientId: string;
  roleClaim: string;
  /** `claim value=role[,role…]`, one per mapping. */
  map: string[];
  scope?: string[];
  baseUrl: string;
}

/**
 * `cli accounts set-identity-provider`: sets an organisation's identity provider as its admin
 * would (the same checks, discovery included; the event names `system:cli`). The client
 * secret comes from IDENTITY_PROVIDER_CLIENT_SECRET, not an argument (which shells keep in
 * their history and other users see in the process list). Prints the redirect URI to
 * register at the provider and the organisation's sign-in link.
 */
export async function setIdentityProviderCommand(options: SetIdentityProviderOptions) {
  const { config, logger } = loadEnvironment('cli', { logTo: 'stderr' });
  const clientSecret = process.env[CLIENT_SECRET_VARIABLE] ?? '';
  if (clientSecret === '') {
    throw new Error(`${CLIENT_SECRET_VARIABLE} must hold the client secret the provider gave`);
  }
  const { pool, store } = await openDatabase(config, logger, { component: 'cli' });
  try {
    const allowLoopbackHttp = config.NODE_ENV !== 'production';
    await configureIdentityProvider(store, pool, options, clientSecret, {
      allowLoopbackHttp,
      secretsKey: parseMasterKey(config.PERSONAL_DATA_KEY),
    });
    console.log(identityProviderLines(options.tenant, options.baseUrl));
  } finally {
    await pool.end();
  }
}

/** Sets the tenant's identity provider from the command's options; nothing written if refused. */
export async function configureIdentityProvider(
  store: EventStore,
  pool: Pool,
  options: Omit<SetIdentityProviderOptions, 'baseUrl'>,
  clientSecret: string,
  clientOptions: IdentityProviderClientOptions,
): Promise<IdentityProviderView> {
  if (!isEntityId(options.tenant)) {
    throw new Error(
      `--tenant must be 1 to 63 lowercase letters, digits or -; got "${options.tenant}"`,
    );
  }
  const context: CommandContext = {
    store,
    tenantId: options.tenant,
    actor: 'system:cli',
    correlationId: null,
    commandId: randomUUID(),
    now: new Date(),
  };
  return setIdentityProvider(
    context,
    pool,
    {
      issuer: options.issuer,
      clientId: options.clientId,
      clientSecret,
      roleClaim: options.roleClaim,
      roleMappings: options.map.map(roleMappingOf),
      additionalScopes: options.scope ?? [],
    },
    clientOptions,
  );
}

/** `kpi-admins=admin,hr` → { claimValue: 'kpi-admins', roles: ['admin', 'hr'] }. */
export function roleMappingOf(text: string): RoleMapping {
  const separator = text.lastIndexOf('=');
  if (separator <= 0) throw new Error(`--map takes "claim value=role[,role…]"; got "${text}"`);
  const roles = text
    .slice(separator + 1)
    .split(',')
    .map((role) => role.trim())
    .filter((role) => role !== '');
  return { claimValue: text.slice(0, separator), roles: roles as Role[] };
}

/** What set-identity-provider prints: what to register at the provider, and the sign-in link. */
export function identityProviderLines(tenant: string, baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return [
    `redirect URI to register at the provider: ${base}/app/sign-in/organisation/callback`,
    `sign-in link for ${tenant}'s people: ${base}/app/sign-in/organisation?organisation=${tenant}`,
  ].join('\n');
}
