import type { EventStore } from '@kpi/event-store';

/**
 * What a call-off reader needs besides the read models: the event store, where it checks who
 * may read a framework (the framework's own stream, never behind), and the time it reads at (an
 * offer whose window has closed has moved on, a KPI item whose time has passed is missed).
 */
export interface CallOffReading {
  store: EventStore;
  now: Date;
}

/**
 * A reader who may not read this (403), as opposed to one who is told it does not exist (404):
 * a council member without a performance-reading role, a provider asking for the league table.
 */
export class CallOffReadRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CallOffReadRefused';
  }
}
