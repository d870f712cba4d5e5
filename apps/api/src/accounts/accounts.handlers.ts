import { commandContext } from '@kpi/command-handling';
import type { AppConfig } from '@kpi/config';
import type { EventStore } from '@kpi/event-store';
import type { PersonalDataVault } from '@kpi/personal-data';
import {
  invitePerson,
  InvitePerson,
  linkManager,
  LinkManager,
  ListAccounts,
  NamePeople,
  namePeople,
  readAccounts,
  readIdentityProvider,
  removeAccess,
  RemoveAccess,
  setIdentityProvider,
  SetIdentityProvider,
  ShowIdentityProvider,
  type IdentityProviderView,
  type Invitation,
} from '@kpi/features/accounts';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { identityProviderClientOptions } from '../auth/organisation-sign-in';
import { queryHandler } from '../http/buses';
import { queryHandlerWithVault } from '../http/vault-handlers';
import {
  APP_CONFIG,
  EVENT_STORE,
  PERSONAL_DATA_VAULT,
  PG_POOL,
} from '../infrastructure/injection-tokens';

/**
 * Carries out an admin's invitation: the account stream (the email sealed in the vault), the
 * directory row, the token.
 */
@CommandHandler(InvitePerson)
export class InvitePersonHandler implements ICommandHandler<InvitePerson, Invitation> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
  ) {}

  execute({ input, issued }: InvitePerson): Promise<Invitation> {
    return invitePerson(commandContext(this.store, issued), this.pool, this.vault, input);
  }
}

/** Carries out an admin's removal of access: the event, then every session ends. */
@CommandHandler(RemoveAccess)
export class RemoveAccessHandler implements ICommandHandler<
  RemoveAccess,
  { accountId: string; status: 'removed' }
> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  execute({ input, issued }: RemoveAccess) {
    return removeAccess(commandContext(this.store, issued), this.pool, input);
  }
}

/** Carries out an admin's setting of the identity provider: discovery, the event, the row. */
@CommandHandler(SetIdentityProvider)
export class SetIdentityProviderHandler implements ICommandHandler<
  SetIdentityProvider,
  IdentityProviderView
> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  execute({ input, issued }: SetIdentityProvider): Promise<IdentityProviderView> {
    return setIdentityProvider(
      commandContext(this.store, issued),
      this.pool,
      input,
      identityProviderClientOptions(this.config),
    );
  }
}

/** Carries out an admin's link of a person to their manager id. */
@CommandHandler(LinkManager)
export class LinkManagerHandler implements ICommandHandler<
  LinkManager,
  { accountId: string; managerId: string | null }
> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  execute({ input, issued }: LinkManager) {
    return linkManager(commandContext(this.store, issued), this.pool, input);
  }
}

export const accountsHandlers = [
  InvitePersonHandler,
  LinkManagerHandler,
  RemoveAccessHandler,
  SetIdentityProviderHandler,
  queryHandlerWithVault(ListAccounts, readAccounts),
  queryHandler(NamePeople, namePeople),
  queryHandler(ShowIdentityProvider, readIdentityProvider),
];
