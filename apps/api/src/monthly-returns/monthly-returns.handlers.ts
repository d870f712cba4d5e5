import { commandContext, type FeatureCommand } from '@kpi/command-handling';
import type { EventStore, PostgresEventStore } from '@kpi/event-store';
import {
  amendMonthlyReturn,
  AmendMonthlyReturn,
  MonthlyReturnCaches,
  readAnnualReport,
  ReadAnnualReport,
  readBonusCompliance,
  ReadBonusCompliance,
  readBusinessPlanReport,
  ReadBusinessPlanReport,
  readKpiGrid,
  readQuarterlyReport,
  ReadQuarterlyReport,
  ReadKpiGrid,
  readReturnForm,
  ReadReturnForm,
  readReturnHistory,
  ReadReturnHistory,
  readReturnsDue,
  ReadReturnsDue,
  submitMonthlyReturn,
  SubmitMonthlyReturn,
  importReturns,
  ImportReturns,
  type JudgedReturn,
  type ReturnsImportReport,
} from '@kpi/features/monthly-returns';
import type { PersonalDataVault } from '@kpi/personal-data';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { queryHandler } from '../http/buses';
import { queryHandlerWithVault } from '../http/vault-handlers';
import { EVENT_STORE, PERSONAL_DATA_VAULT } from '../infrastructure/injection-tokens';

type Handles<Command> =
  Command extends FeatureCommand<unknown, JudgedReturn>
    ? ICommandHandler<Command, JudgedReturn>
    : never;

@CommandHandler(SubmitMonthlyReturn)
export class SubmitMonthlyReturnHandler implements Handles<SubmitMonthlyReturn> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly caches: MonthlyReturnCaches,
  ) {}

  execute({ input, issued }: SubmitMonthlyReturn): Promise<JudgedReturn> {
    return submitMonthlyReturn(commandContext(this.store, issued), input, this.caches);
  }
}

/** An amendment: its reason is sealed into the personal-data vault. */
@CommandHandler(AmendMonthlyReturn)
export class AmendMonthlyReturnHandler implements Handles<AmendMonthlyReturn> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
    private readonly caches: MonthlyReturnCaches,
  ) {}

  execute({ input, issued }: AmendMonthlyReturn): Promise<JudgedReturn> {
    const context = commandContext(this.store, issued);
    return amendMonthlyReturn(context, this.vault, input, this.caches);
  }
}

/** A returns file checked, then stored all or nothing (docs/decisions/0024). */
@CommandHandler(ImportReturns)
export class ImportReturnsHandler implements ICommandHandler<ImportReturns, ReturnsImportReport> {
  // The PostgreSQL store behind the port: it appends to many streams in one transaction.
  constructor(@Inject(EVENT_STORE) private readonly store: PostgresEventStore) {}

  execute({ input, issued }: ImportReturns): Promise<ReturnsImportReport> {
    const context = { ...commandContext(this.store, issued), store: this.store };
    return importReturns(context, input.file, { dryRun: input.dryRun });
  }
}

/**
 * The handlers of the feature's commands and queries, with what they share; the history (which
 * shows amendments' reasons) with the personal-data vault.
 */
export const monthlyReturnsHandlers = [
  { provide: MonthlyReturnCaches, useFactory: () => new MonthlyReturnCaches() },
  SubmitMonthlyReturnHandler,
  AmendMonthlyReturnHandler,
  ImportReturnsHandler,
  queryHandler(ReadKpiGrid, readKpiGrid),
  queryHandler(ReadBonusCompliance, readBonusCompliance),
  queryHandler(ReadReturnsDue, readReturnsDue),
  queryHandlerWithVault(ReadReturnHistory, readReturnHistory),
  queryHandler(ReadReturnForm, readReturnForm),
  queryHandler(ReadQuarterlyReport, readQuarterlyReport),
  queryHandler(ReadAnnualReport, readAnnualReport),
  queryHandler(ReadBusinessPlanReport, readBusinessPlanReport),
];
