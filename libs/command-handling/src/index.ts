export { actingForProvider, type CommandContext } from './command-context';
export {
  handleCommand,
  loadState,
  metadataOf,
  eventIdFor,
  uuidFromParts,
  toDomainEvent,
  type CommandOutcome,
  type HandleCommandOptions,
  type StreamRead,
  type DomainEvent,
} from './handle-command';
export { entityId, isEntityId, type EntityId } from './entity-ids';
export {
  registeredService,
  registeredRegion,
  requireKnownIds,
  loadWorkingDayCalendar,
  councilFramework,
  frameworkViewer,
  type CareFramework,
  type FrameworkViewer,
} from './cross-feature-reads';
export {
  FeatureCommand,
  commandContext,
  type FeatureCommandClass,
  type Issued,
} from './feature-command';
