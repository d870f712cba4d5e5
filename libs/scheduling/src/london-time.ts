/** London wall-clock time lives in the domain (the call-off windows need it); re-exported here. */
export { endOfLondonDay, londonInstant } from '@kpi/domain';
