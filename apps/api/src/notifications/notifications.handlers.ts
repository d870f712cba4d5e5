import type { Issued } from '@kpi/command-handling';
import {
  clearBounce,
  ClearBounce,
  CountUnreadNotifications,
  countUnreadNotifications,
  ListBounces,
  listBounces,
  markNotificationsRead,
  MarkNotificationsRead,
  readMyNotifications,
  ReadMyNotifications,
  setNotificationPreference,
  SetNotificationPreference,
} from '@kpi/features/notifications';
import type { FeatureCommand, FeatureCommandClass } from '@kpi/command-handling';
import { Inject, type Type } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { queryHandler } from '../http/buses';
import { PG_POOL } from '../infrastructure/injection-tokens';

/**
 * The `@CommandHandler` of a notifications command: carried out on the pool (preferences, read
 * marks and bounces are rows of mutable tables, no event).
 */
function poolCommandHandler<Input, Result>(
  type: FeatureCommandClass<Input, Result>,
  carryOut: (pool: Pool, issued: Issued, input: Input) => Promise<Result>,
): Type<ICommandHandler> {
  @CommandHandler(type)
  class Handler implements ICommandHandler<FeatureCommand<Input, Result>, Result> {
    constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

    execute({ input, issued }: FeatureCommand<Input, Result>): Promise<Result> {
      return carryOut(this.pool, issued, input);
    }
  }
  Object.defineProperty(Handler, 'name', { value: `${type.name}Handler` });
  return Handler;
}

export const notificationsHandlers = [
  poolCommandHandler(SetNotificationPreference, setNotificationPreference),
  poolCommandHandler(MarkNotificationsRead, markNotificationsRead),
  poolCommandHandler(ClearBounce, clearBounce),
  queryHandler(ReadMyNotifications, readMyNotifications),
  queryHandler(CountUnreadNotifications, countUnreadNotifications),
  queryHandler(ListBounces, (db, tenantId) => listBounces(db, tenantId)),
];
