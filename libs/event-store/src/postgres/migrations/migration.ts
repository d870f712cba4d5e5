/** One versioned schema change. Never edit a released migration: add a new one. */
export interface Migration {
  /** Sortable, unique and permanent: `0001_event_store`. */
  id: string;
  /** SQL run in one transaction. */
  sql: string;
}
