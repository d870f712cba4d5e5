import type { CommandOutcome, DomainEvent } from '@kpi/command-handling';
import { ApiProperty } from '@nestjs/swagger';

export function commandAccepted(outcome: CommandOutcome<DomainEvent>): CommandAcceptedDto {
  return {
    streamId: outcome.streamId,
    streamVersion: outcome.streamVersion,
    events: outcome.events.map((e) => e.type),
    replayed: outcome.replayed,
  };
}

/** What a command that returns no view of its own answers: the stream, its version, the events written. */
export class CommandAcceptedDto {
  @ApiProperty({ example: 'acme:service:ty-gwyn' })
  streamId!: string;

  @ApiProperty({ example: 2, description: 'The version of the stream after the command.' })
  streamVersion!: number;

  @ApiProperty({ example: ['ManagerAppointed'], description: 'The events the command recorded.' })
  events!: string[];

  @ApiProperty({
    example: false,
    description: 'True when this was a retry (same Idempotency-Key): nothing new was written.',
  })
  replayed!: boolean;
}
