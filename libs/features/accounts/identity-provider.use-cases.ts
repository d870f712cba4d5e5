import { handleCommand, type CommandContext } from '@kpi/command-handling';
import { InvalidCommandError, streamIds } from '@kpi/domain';
import type { Pool } from 'pg';
import {
  discoverIdentityProvider,
  IdentityProviderUnreachableError,
  type IdentityProviderClientOptions,
} from './identity-provider-client';
import {
  checkIdentityProviderSettings,
  identityProviderDecider,
  type IdentityProviderSettings,
} from './identity-provider.decider';
import {
  identityProviderView,
  saveIdentityProvider,
  type IdentityProviderView,
} from './identity-providers';

/** Said of an issuer that cannot be discovered, whatever the cause (no probing of networks). */
const NOT_DISCOVERED =
  'could not be discovered: it must be the issuer of your identity provider, whose /.well-known/openid-configuration answers and names it';

export interface SetIdentityProviderInput extends IdentityProviderSettings {
  clientSecret: string;
}

/**
 * An admin sets their organisation's identity provider. The settings are checked, then the
 * issuer's discovery document is fetched (an issuer that cannot be discovered is refused,
 * naming `issuer`, so a typing mistake is found now rather than at someone's sign-in); the
 * event records the settings and who set them, the `identity_providers` row adds the secret
 * (sealed under the vault's master key).
 */
export async function setIdentityProvider(
  context: CommandContext,
  pool: Pool,
  input: SetIdentityProviderInput,
  options: IdentityProviderClientOptions,
): Promise<IdentityProviderView> {
  const { clientSecret, ...settings } = input;
  checkIdentityProviderSettings(settings);
  if (clientSecret === '') throw InvalidCommandError.of('clientSecret', 'must not be empty');
  try {
    await discoverIdentityProvider({ ...settings, clientSecret }, options);
  } catch (error) {
    if (!(error instanceof IdentityProviderUnreachableError)) throw error;
    throw InvalidCommandError.of('issuer', NOT_DISCOVERED);
  }
  const outcome = await handleCommand(
    context,
    streamIds.identityProvider(context.tenantId),
    identityProviderDecider,
    {
      type: 'ConfigureIdentityProvider',
      data: { settings, configuredBy: context.actor, now: context.now },
    },
  );
  const configured = outcome.state.settings!;
  const record = {
    ...configured,
    tenantId: context.tenantId,
    clientSecret,
    configuredBy: context.actor,
    configuredAt: context.now,
  };
  await saveIdentityProvider(pool, record, options.secretsKey);
  return identityProviderView(record);
}
