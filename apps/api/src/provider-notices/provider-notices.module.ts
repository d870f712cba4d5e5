import { Module } from '@nestjs/common';
import { ProviderNotificationsController } from './provider-notices.controller';
import { providerNotificationsHandlers } from './provider-notices.handlers';

/** Providers' notifications to the council and hand-back notices (docs/decisions/0041). */
@Module({
  controllers: [ProviderNotificationsController],
  providers: [...providerNotificationsHandlers],
})
export class ProviderNoticesModule {}
