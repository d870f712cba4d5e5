import type { CommandOutcome, DomainEvent } from '@kpi/command-handling';
import type { CommandAcceptedDto } from './organisation.dto';

export function commandAccepted(outcome: CommandOutcome<DomainEvent>): CommandAcceptedDto {
  return {
    streamId: outcome.streamId,
    streamVersion: outcome.streamVersion,
    events: outcome.events.map((e) => e.type),
    replayed: outcome.replayed,
  };
}
