import type { Projection } from '@kpi/projections';
import { careFrameworksProjection, carePackagesProjection } from '@kpi/features/call-off';
import {
  capabilityCountersProjection,
  capabilityTimelineProjection,
} from '@kpi/features/capability';
import { complaintsProjection } from '@kpi/features/complaints';
import { deadlinesProjection } from '@kpi/features/deadlines';
import { kpiGridProjection, monthlyReturnsProjection } from '@kpi/features/monthly-returns';
import {
  providerCapacityReturnsProjection,
  providerQuarterlyReturnsProjection,
} from '@kpi/features/provider-returns';
import {
  regionsProjection,
  servicesProjection,
  tenantActivityProjection,
} from '@kpi/features/organisation';
import { supervisionsProjection, workforceProjection } from '@kpi/features/workforce';

/** Every read model the worker keeps up to date. */
export const allProjections: readonly Projection[] = [
  tenantActivityProjection,
  regionsProjection,
  servicesProjection,
  monthlyReturnsProjection,
  kpiGridProjection,
  capabilityCountersProjection,
  capabilityTimelineProjection,
  supervisionsProjection,
  deadlinesProjection,
  complaintsProjection,
  workforceProjection,
  providerCapacityReturnsProjection,
  providerQuarterlyReturnsProjection,
  careFrameworksProjection,
  carePackagesProjection,
];
