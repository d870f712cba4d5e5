import { Module } from '@nestjs/common';
import { ActionsController } from './actions.controller';
import { actionsHandlers } from './actions.handlers';

/** Actions and support plans: planning them, moving them on, reading them. */
@Module({
  controllers: [ActionsController],
  providers: [...actionsHandlers],
})
export class ActionsModule {}
