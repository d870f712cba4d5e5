import { entityId, type EntityId } from '@kpi/command-handling';
import { parseCalendarDate, parsePeriod, type Period } from '@kpi/domain';

/*
 * Typed values for specs and scripts that call a feature's commands directly, as the API does
 * after parsing a request: each throws, as the edge would refuse, on a malformed literal.
 */

/** An id (`'home-17'`) as a command takes it. */
export const id = (value: string): EntityId => entityId(value, 'id');

/** A month (`'2026-09'`) as a command takes it. */
export const month = (value: string): Period => parsePeriod(value);

/** A calendar date (`'2026-09-30'`) as a command takes it. */
export const day = (value: string) => parseCalendarDate(value, 'date');
