import { Module } from '@nestjs/common';
import { RisksController } from './risks.controller';
import { risksHandlers } from './risks.handlers';

/** The risk register: raising, revising and closing risks; the register by residual score. */
@Module({
  controllers: [RisksController],
  providers: [...risksHandlers],
})
export class RisksModule {}
