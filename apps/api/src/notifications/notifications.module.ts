import { Module } from '@nestjs/common';
import { NotificationsController } from './notifications.controller';
import { notificationsHandlers } from './notifications.handlers';

/** Notifications: a person's own list and email preference, the admin's bounced addresses. */
@Module({
  controllers: [NotificationsController],
  providers: [...notificationsHandlers],
})
export class NotificationsModule {}
