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
  publishMonthlyReturn,
  PublishMonthlyReturn,
  readReturnsToVerify,
  ReadReturnsToVerify,
  readSignOffSetting,
  ReadSignOffSetting,
  sendBackMonthlyReturn,
  SendBackMonthlyReturn,
  setSignOff,
  SetSignOff,
  verifyMonthlyReturn,
  VerifyMonthlyReturn,
  drawAuditSample,
  DrawAuditSample,
  readCommentaryHistory,
  ReadCommentaryHistory,
  readIndicatorCommentaries,
  ReadIndicatorCommentaries,
  readDataQualityAudit,
  ReadDataQualityAudit,
  recordAuditFinding,
  RecordAuditFinding,
  returnsOfMonthFromReadModel,
  writeIndicatorCommentary,
  WriteIndicatorCommentary,
  type DrawnSample,
  type JudgedReturn,
  type ReturnsImportReport,
} from '@kpi/features/monthly-returns';
import type { Queryable } from '@kpi/projections';
import type { PersonalDataVault } from '@kpi/personal-data';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { commandHandler, queryHandler } from '../http/buses';
import { commandHandlerWithVault, queryHandlerWithVault } from '../http/vault-handlers';
import { EVENT_STORE, PERSONAL_DATA_VAULT, PG_POOL } from '../infrastructure/injection-tokens';

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

/** A sample is drawn from the returns of the month the read model rm_monthly_returns holds. */
@CommandHandler(DrawAuditSample)
export class DrawAuditSampleHandler implements ICommandHandler<DrawAuditSample, DrawnSample> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly db: Queryable,
  ) {}

  execute({ input, issued }: DrawAuditSample): Promise<DrawnSample> {
    const context = commandContext(this.store, issued);
    return drawAuditSample(context, input, returnsOfMonthFromReadModel(this.db));
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
  queryHandlerWithVault(ReadQuarterlyReport, readQuarterlyReport),
  queryHandler(ReadAnnualReport, readAnnualReport),
  queryHandler(ReadBusinessPlanReport, readBusinessPlanReport),
  commandHandler(SetSignOff, setSignOff),
  commandHandler(VerifyMonthlyReturn, verifyMonthlyReturn),
  commandHandlerWithVault(SendBackMonthlyReturn, sendBackMonthlyReturn),
  commandHandler(PublishMonthlyReturn, publishMonthlyReturn),
  queryHandler(ReadSignOffSetting, readSignOffSetting),
  queryHandler(ReadReturnsToVerify, readReturnsToVerify),
  DrawAuditSampleHandler,
  commandHandlerWithVault(RecordAuditFinding, recordAuditFinding),
  queryHandlerWithVault(ReadDataQualityAudit, readDataQualityAudit),
  commandHandlerWithVault(WriteIndicatorCommentary, writeIndicatorCommentary),
  queryHandlerWithVault(ReadCommentaryHistory, readCommentaryHistory),
  queryHandlerWithVault(ReadIndicatorCommentaries, readIndicatorCommentaries),
];
