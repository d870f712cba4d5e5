import { commandContext } from '@kpi/command-handling';
import type { EventStore } from '@kpi/event-store';
import {
  judgedMonthsFromReadModel,
  publishChildrensHomesPreset,
  PublishChildrensHomesPreset,
  publishFrameworkVersion,
  PublishFrameworkVersion,
  publishPreset,
  PublishPreset,
  readKpiFramework,
  ReadKpiFramework,
  readKpiFrameworkChanges,
  ReadKpiFrameworkChanges,
  readKpiFrameworkVersion,
  ReadKpiFrameworkVersion,
  type FrameworkOutcome,
} from '@kpi/features/kpi-frameworks';
import type { Queryable } from '@kpi/projections';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { queryHandler } from '../http/buses';
import { EVENT_STORE, PG_POOL } from '../infrastructure/injection-tokens';

/**
 * Publishing asks the read model rm_monthly_returns which months are judged, so a version may
 * start in an ended month none of whose returns is judged (decision 0020).
 */
@CommandHandler(PublishFrameworkVersion)
export class PublishFrameworkVersionHandler implements ICommandHandler<
  PublishFrameworkVersion,
  FrameworkOutcome
> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly db: Queryable,
  ) {}

  execute({ input, issued }: PublishFrameworkVersion): Promise<FrameworkOutcome> {
    return publishFrameworkVersion(
      commandContext(this.store, issued),
      input,
      judgedMonthsFromReadModel(this.db),
    );
  }
}

@CommandHandler(PublishChildrensHomesPreset)
export class PublishChildrensHomesPresetHandler implements ICommandHandler<
  PublishChildrensHomesPreset,
  FrameworkOutcome
> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly db: Queryable,
  ) {}

  execute({ input, issued }: PublishChildrensHomesPreset): Promise<FrameworkOutcome> {
    return publishChildrensHomesPreset(
      commandContext(this.store, issued),
      input,
      judgedMonthsFromReadModel(this.db),
    );
  }
}

/** Any preset by name (decision 0022), asking the read model which months are judged. */
@CommandHandler(PublishPreset)
export class PublishPresetHandler implements ICommandHandler<PublishPreset, FrameworkOutcome> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly db: Queryable,
  ) {}

  execute({ input, issued }: PublishPreset): Promise<FrameworkOutcome> {
    return publishPreset(
      commandContext(this.store, issued),
      input,
      judgedMonthsFromReadModel(this.db),
    );
  }
}

/** The handlers of the framework commands and queries. */
export const kpiFrameworksHandlers = [
  PublishFrameworkVersionHandler,
  PublishChildrensHomesPresetHandler,
  PublishPresetHandler,
  queryHandler(ReadKpiFramework, readKpiFramework),
  queryHandler(ReadKpiFrameworkVersion, readKpiFrameworkVersion),
  queryHandler(ReadKpiFrameworkChanges, readKpiFrameworkChanges),
];
