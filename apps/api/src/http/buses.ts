import { randomUUID } from 'node:crypto';
import {
  commandContext,
  uuidFromParts,
  type CommandContext,
  type FeatureCommand,
  type FeatureCommandClass,
} from '@kpi/command-handling';
import type { Principal } from '@kpi/auth';
import { canonicalJson, type EventStore } from '@kpi/event-store';
import type { FeatureQuery, FeatureQueryClass, Queryable, QueryReading } from '@kpi/projections';
import { Inject, Injectable, type Type } from '@nestjs/common';
import {
  CommandBus,
  CommandHandler,
  QueryBus,
  QueryHandler,
  type ICommandHandler,
  type IQueryHandler,
} from '@nestjs/cqrs';
import { InvalidRequestException } from '../problems/invalid-request.exception';
import { currentCorrelationId } from '../request-context';
import { CLOCK, EVENT_STORE, PG_POOL } from '../infrastructure/injection-tokens';

export type Clock = () => Date;

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * Dispatches a feature's commands for a caller through the CommandBus: the tenant and actor
 * from the token, the request id as correlation id, and a command id that is the same for
 * every retry carrying the same Idempotency-Key (so a retry returns the first result and
 * writes nothing).
 */
@Injectable()
export class Commands {
  constructor(
    private readonly bus: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Carries out `type` with `input` for the caller. With an Idempotency-Key, the command id
   * derives from the key *and* what is asked (the command and its input): a retry of the same
   * request replays the first result, while the same key on a different request is a different
   * command and is carried out (never silently answered with the earlier result).
   */
  execute<Input, Result>(
    principal: Principal,
    idempotencyKey: string | undefined,
    type: FeatureCommandClass<Input, Result>,
    input: Input,
  ): Promise<Result> {
    const command = new type(input, {
      tenantId: principal.tenantId,
      actor: principal.userId,
      correlationId: currentCorrelationId(),
      commandId: commandIdFor(principal, idempotencyKey, [type.name, input]),
      now: this.clock(),
    });
    return this.bus.execute<FeatureCommand<Input, Result>, Result>(command);
  }
}

/** Asks a feature's queries for a caller's tenant through the QueryBus. */
@Injectable()
export class Queries {
  constructor(private readonly bus: QueryBus) {}

  ask<Params, Result>(
    principal: Principal,
    type: FeatureQueryClass<Params, Result>,
    params: Params,
  ): Promise<Result> {
    return this.bus.execute<FeatureQuery<Params, Result>, Result>(
      new type(principal.tenantId, params),
    );
  }
}

/**
 * The `@CommandHandler` of `type`: carries the command out with `carryOut`, the feature's
 * Nest-free function, against the event store. For a command whose function needs more (a
 * cache), the feature module writes its handler class itself.
 */
export function commandHandler<Input, Result>(
  type: FeatureCommandClass<Input, Result>,
  carryOut: (context: CommandContext, input: Input) => Promise<Result>,
): Type<ICommandHandler> {
  @CommandHandler(type)
  class Handler implements ICommandHandler<FeatureCommand<Input, Result>, Result> {
    constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

    execute({ input, issued }: FeatureCommand<Input, Result>): Promise<Result> {
      return carryOut(commandContext(this.store, issued), input);
    }
  }
  Object.defineProperty(Handler, 'name', { value: `${type.name}Handler` });
  return Handler;
}

/**
 * The `@QueryHandler` of `type`: answers it with `read`, the feature's reader, on the pool, with
 * the event store and the clock at hand for readers that need them.
 */
export function queryHandler<Params, Result>(
  type: FeatureQueryClass<Params, Result>,
  read: (db: Queryable, tenantId: string, params: Params, reading: QueryReading) => Promise<Result>,
): Type<IQueryHandler> {
  @QueryHandler(type)
  class Handler implements IQueryHandler<FeatureQuery<Params, Result>, Result> {
    constructor(
      @Inject(PG_POOL) private readonly db: Queryable,
      @Inject(EVENT_STORE) private readonly store: EventStore,
      @Inject(CLOCK) private readonly clock: Clock,
    ) {}

    execute({ tenantId, params }: FeatureQuery<Params, Result>): Promise<Result> {
      const { store, clock } = this;
      return read(this.db, tenantId, params, { store, clock, now: clock() });
    }
  }
  Object.defineProperty(Handler, 'name', { value: `${type.name}Handler` });
  return Handler;
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
