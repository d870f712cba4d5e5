import {
  AcknowledgeProviderNotification,
  acknowledgeProviderNotification,
  GiveHandBackNotice,
  giveHandBackNotice,
  ListHandBackNotices,
  listHandBackNotices,
  ListProviderNotifications,
  listProviderNotifications,
  LogProviderNotification,
  logProviderNotification,
  ReadProviderNotification,
  readProviderNotification,
  ReadProviderNotificationCounts,
  readProviderNotificationCounts,
} from '@kpi/features/provider-notices';
import { commandHandler, queryHandler } from '../http/buses';
import { commandHandlerWithVault, queryHandlerWithVault } from '../http/vault-handlers';

/** The handlers of providers' notifications and hand-back notices (texts sealed in the vault). */
export const providerNotificationsHandlers = [
  commandHandlerWithVault(LogProviderNotification, logProviderNotification),
  commandHandler(AcknowledgeProviderNotification, acknowledgeProviderNotification),
  commandHandlerWithVault(GiveHandBackNotice, giveHandBackNotice),
  queryHandler(ListProviderNotifications, listProviderNotifications),
  queryHandler(ReadProviderNotificationCounts, readProviderNotificationCounts),
  queryHandler(ListHandBackNotices, listHandBackNotices),
  queryHandlerWithVault(ReadProviderNotification, readProviderNotification),
];
