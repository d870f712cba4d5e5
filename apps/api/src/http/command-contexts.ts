import { randomUUID } from 'node:crypto';
import { uuidFromParts, type CommandContext } from '@kpi/command-handling';
import type { Principal } from '@kpi/auth';
import { canonicalJson, type EventStore } from '@kpi/event-store';
import { Inject, Injectable } from '@nestjs/common';
import { InvalidRequestException } from '../problems/invalid-request.exception';
import { currentCorrelationId } from '../request-context';
import { CLOCK, EVENT_STORE } from '../infrastructure/injection-tokens';

export type Clock = () => Date;

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * Builds the context of a command from the request: the tenant and actor from the token, the
 * request id as correlation id, and a command id that is the same for every retry carrying the
 * same Idempotency-Key (so a retry returns the first result and writes nothing).
 */
@Injectable()
export class CommandContexts {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Runs a use case for the caller. With an Idempotency-Key, the command id derives from the
   * key *and* what is asked (the use case and its input): a retry of the same request replays
   * the first result, while the same key on a different request is a different command and is
   * carried out (never silently answered with the earlier result).
   */
  run<Input, Result>(
    principal: Principal,
    idempotencyKey: string | undefined,
    useCase: (context: CommandContext, input: Input) => Promise<Result>,
    input: Input,
  ): Promise<Result> {
    return useCase(
      this.for(principal, commandIdFor(principal, idempotencyKey, [useCase.name, input])),
      input,
    );
  }

  private for(principal: Principal, commandId: string): CommandContext {
    return {
      store: this.store,
      tenantId: principal.tenantId,
      actor: principal.userId,
      correlationId: currentCorrelationId(),
      commandId,
      now: this.clock(),
    };
  }
}

function commandIdFor(
  principal: Principal,
  idempotencyKey: string | undefined,
  request: unknown,
): string {
  if (idempotencyKey === undefined) return randomUUID();
  if (!IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw new InvalidRequestException([
      { field: 'Idempotency-Key', reason: 'must be 1 to 200 visible ASCII characters' },
    ]);
  }
  return uuidFromParts(
    principal.tenantId,
    principal.userId,
    idempotencyKey,
    canonicalJson(request),
  );
}
