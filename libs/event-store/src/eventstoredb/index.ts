export {
  EventStoreDbEventStore,
  type EventStoreDbClientLike,
  type EventStoreDbEventStoreOptions,
} from './eventstoredb-event-store';
export { StoredEventFormatError } from './eventstoredb-mapping';
