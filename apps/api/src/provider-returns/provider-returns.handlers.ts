import {
  amendProviderCapacityReturn,
  AmendProviderCapacityReturn,
  amendProviderQuarterlyReturn,
  AmendProviderQuarterlyReturn,
  readCapacityReturns,
  ReadCapacityReturns,
  readQuarterlyReturnDraft,
  ReadQuarterlyReturnDraft,
  readQuarterlyReturns,
  ReadQuarterlyReturns,
  submitProviderCapacityReturn,
  SubmitProviderCapacityReturn,
  submitProviderQuarterlyReturn,
  SubmitProviderQuarterlyReturn,
} from '@kpi/features/provider-returns';
import { commandHandler, queryHandler } from '../http/buses';

/** The handlers of the feature's commands and queries. */
export const providerReturnsHandlers = [
  commandHandler(SubmitProviderCapacityReturn, submitProviderCapacityReturn),
  commandHandler(AmendProviderCapacityReturn, amendProviderCapacityReturn),
  commandHandler(SubmitProviderQuarterlyReturn, submitProviderQuarterlyReturn),
  commandHandler(AmendProviderQuarterlyReturn, amendProviderQuarterlyReturn),
  queryHandler(ReadCapacityReturns, readCapacityReturns),
  queryHandler(ReadQuarterlyReturns, readQuarterlyReturns),
  queryHandler(ReadQuarterlyReturnDraft, readQuarterlyReturnDraft),
];
