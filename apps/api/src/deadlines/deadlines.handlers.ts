import { readDeadlines, ReadDeadlines } from '@kpi/features/deadlines';
import { queryHandler } from '../http/buses';

/** The handlers of the deadlines' queries (its commands are the jobs', not the API's). */
export const deadlinesHandlers = [queryHandler(ReadDeadlines, readDeadlines)];
