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
import { commandHandlerWithVault, queryHandlerWithVault } from '../http/vault-handlers';

/** The handlers of the feature's commands and queries. */
export const providerReturnsHandlers = [
  commandHandler(SubmitProviderCapacityReturn, submitProviderCapacityReturn),
  commandHandlerWithVault(AmendProviderCapacityReturn, amendProviderCapacityReturn),
  commandHandler(SubmitProviderQuarterlyReturn, submitProviderQuarterlyReturn),
  commandHandlerWithVault(AmendProviderQuarterlyReturn, amendProviderQuarterlyReturn),
  queryHandlerWithVault(ReadCapacityReturns, readCapacityReturns),
  queryHandlerWithVault(ReadQuarterlyReturns, readQuarterlyReturns),
  queryHandler(ReadQuarterlyReturnDraft, readQuarterlyReturnDraft),
];
