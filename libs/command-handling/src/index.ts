export { actingForProvider, type CommandContext } from './command-context';
export {
  handleCommand,
  loadState,
  metadataOf,
  eventIdFor,
  uuidFromParts,
  toDomainEvent,
  type CommandOutcome,
  type DomainEvent,
} from './handle-command';
export { entityId } from './entity-ids';
export {
  registeredService,
  loadWorkingDayCalendar,
  councilFramework,
  frameworkViewer,
  type CareFramework,
  type FrameworkViewer,
} from './cross-feature-reads';
