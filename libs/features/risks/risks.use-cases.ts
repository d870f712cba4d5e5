import { riskDecider, riskRag, riskScore, streamIds, type RiskCommand } from '@kpi/domain';
import { handleCommand, uuidFromParts, type CommandContext } from '@kpi/command-handling';
import type {
  CloseRiskInput,
  RaiseRiskInput,
  ReviseRiskInput,
  RiskOutcome,
} from './risks.commands';

/** Puts a risk on the register. */
export function raiseRisk(
  context: CommandContext,
  { riskId: givenId, ...facts }: RaiseRiskInput,
): Promise<RiskOutcome> {
  const riskId = givenId ?? uuidFromParts(context.commandId, 'risk');
  return decide(context, riskId, {
    type: 'RaiseRisk',
    data: { riskId, ...facts, actor: context.actor, now: context.now },
  });
}

/** A revision of a risk: the fields given change, the others stay. */
export const reviseRisk = (context: CommandContext, { riskId, changes }: ReviseRiskInput) =>
  decide(context, riskId, {
    type: 'ReviseRisk',
    data: { riskId, changes, actor: context.actor, now: context.now },
  });

/** Closes a risk (today unless a day is given). */
export const closeRisk = (context: CommandContext, { riskId, closedOn }: CloseRiskInput) =>
  decide(context, riskId, {
    type: 'CloseRisk',
    data: { riskId, closedOn, actor: context.actor, now: context.now },
  });

async function decide(
  context: CommandContext,
  riskId: string,
  command: RiskCommand,
): Promise<RiskOutcome> {
  const { streamId, state, replayed } = await handleCommand(
    context,
    streamIds.risk(context.tenantId, riskId),
    riskDecider,
    command,
  );
  const risk = state.risk!;
  const residualScore = riskScore(risk.residual);
  return {
    streamId,
    riskId,
    revision: risk.revision,
    inherentScore: riskScore(risk.inherent),
    residualScore,
    rag: riskRag(residualScore),
    status: risk.closedOn === null ? 'open' : 'closed',
    replayed,
  };
}
