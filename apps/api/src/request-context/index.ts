export { RequestContext, currentCorrelationId, type RequestContextValues } from './request-context';
export { REQUEST_ID_HEADER } from './request-id';
