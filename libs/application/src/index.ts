export type { CommandContext } from './command-context';
export {
  handleCommand,
  loadState,
  eventIdFor,
  uuidFromParts,
  toDomainEvent,
  type CommandOutcome,
  type DomainEvent,
} from './handle-command';
export { entityId } from './entity-ids';
export * from './organisation.use-cases';
export * from './kpi-framework.use-cases';
export * from './monthly-returns.use-cases';
export * from './capability.use-cases';
export * from './calendar.use-cases';
export * from './complaint.use-cases';
export * from './staff.use-cases';
export * from './deadline.use-cases';
export { registeredService } from './registered-service';
export * from './call-off.use-cases';
export * from './provider-returns.use-cases';
