import type { QueryReading } from '@kpi/projections';

/**
 * What a call-off reader needs besides the read models: the event store, where it checks who
 * may read a framework (the framework's own stream, never behind), and the time it reads at (an
 * offer whose window has closed has moved on, a KPI item whose time has passed is missed).
 */
export type CallOffReading = Pick<QueryReading, 'store' | 'now'>;
