import { FeatureCommand } from '@kpi/command-handling';
import type { Invitation, InvitePersonInput } from './accounts.use-cases';
import type { IdentityProviderView } from './identity-providers';
import type { SetIdentityProviderInput } from './identity-provider.use-cases';

/** An admin invites a person by email with their roles. */
export class InvitePerson extends FeatureCommand<InvitePersonInput, Invitation> {}

/** An admin removes a person's access; every session of theirs ends. */
export class RemoveAccess extends FeatureCommand<
  { accountId: string },
  { accountId: string; status: 'removed' }
> {}

/** An admin links a person to the manager id they are in capability records (null: unlinks). */
export class LinkManager extends FeatureCommand<
  { accountId: string; managerId: string | null },
  { accountId: string; managerId: string | null }
> {}

/** An admin sets their organisation's identity provider (the secret kept out of the log). */
export class SetIdentityProvider extends FeatureCommand<
  SetIdentityProviderInput,
  IdentityProviderView
> {}
