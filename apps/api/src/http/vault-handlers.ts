import {
  commandContext,
  type CommandContext,
  type FeatureCommand,
  type FeatureCommandClass,
} from '@kpi/command-handling';
import type { EventStore } from '@kpi/event-store';
import type { PersonalDataVault } from '@kpi/personal-data';
import type { FeatureQuery, FeatureQueryClass, Queryable, QueryReading } from '@kpi/projections';
import { Inject, type Type } from '@nestjs/common';
import {
  CommandHandler,
  QueryHandler,
  type ICommandHandler,
  type IQueryHandler,
} from '@nestjs/cqrs';
import {
  CLOCK,
  EVENT_STORE,
  PERSONAL_DATA_VAULT,
  PG_POOL,
} from '../infrastructure/injection-tokens';
import type { Clock } from './buses';

/*
 * The handlers of commands and queries that keep or show personal data: as commandHandler and
 * queryHandler (buses.ts), with the personal-data vault at hand.
 */

/** The `@CommandHandler` of `type`: `carryOut` with the vault, against the event store. */
export function commandHandlerWithVault<Input, Result>(
  type: FeatureCommandClass<Input, Result>,
  carryOut: (context: CommandContext, vault: PersonalDataVault, input: Input) => Promise<Result>,
): Type<ICommandHandler> {
  @CommandHandler(type)
  class Handler implements ICommandHandler<FeatureCommand<Input, Result>, Result> {
    constructor(
      @Inject(EVENT_STORE) private readonly store: EventStore,
      @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
    ) {}

    execute({ input, issued }: FeatureCommand<Input, Result>): Promise<Result> {
      return carryOut(commandContext(this.store, issued), this.vault, input);
    }
  }
  Object.defineProperty(Handler, 'name', { value: `${type.name}Handler` });
  return Handler;
}

/** The `@QueryHandler` of `type`: `read` on the pool, with the vault to open texts with. */
export function queryHandlerWithVault<Params, Result>(
  type: FeatureQueryClass<Params, Result>,
  read: (
    db: Queryable,
    tenantId: string,
    params: Params,
    reading: QueryReading & { vault: PersonalDataVault },
  ) => Promise<Result>,
): Type<IQueryHandler> {
  @QueryHandler(type)
  class Handler implements IQueryHandler<FeatureQuery<Params, Result>, Result> {
    constructor(
      @Inject(PG_POOL) private readonly db: Queryable,
      @Inject(EVENT_STORE) private readonly store: EventStore,
      @Inject(CLOCK) private readonly clock: Clock,
      @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
    ) {}

    execute({ tenantId, params }: FeatureQuery<Params, Result>): Promise<Result> {
      const { store, clock, vault } = this;
      return read(this.db, tenantId, params, { store, clock, now: clock(), vault });
    }
  }
  Object.defineProperty(Handler, 'name', { value: `${type.name}Handler` });
  return Handler;
}
