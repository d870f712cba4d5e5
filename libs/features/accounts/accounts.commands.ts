import { FeatureCommand } from '@kpi/command-handling';
import type { Invitation, InvitePersonInput } from './accounts.use-cases';

/** An admin invites a person by email with their roles. */
export class InvitePerson extends FeatureCommand<InvitePersonInput, Invitation> {}

/** An admin removes a person's access; every session of theirs ends. */
export class RemoveAccess extends FeatureCommand<
  { accountId: string },
  { accountId: string; status: 'removed' }
> {}
