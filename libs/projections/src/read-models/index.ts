import type { Projection } from '../projection';
import { careFrameworksProjection, carePackagesProjection } from './care-call-off.projection';
import { capabilityCountersProjection } from './capability-counters.projection';
import { capabilityTimelineProjection } from './capability-timeline.projection';
import { complaintsProjection } from './complaints.projection';
import { deadlinesProjection } from './deadlines.projection';
import { kpiGridProjection } from './kpi-grid.projection';
import { monthlyReturnsProjection } from './monthly-returns.projection';
import { providerCapacityReturnsProjection } from './provider-capacity-returns.projection';
import { providerQuarterlyReturnsProjection } from './provider-quarterly-returns.projection';
import { regionsProjection } from './regions.projection';
import { servicesProjection } from './services.projection';
import { supervisionsProjection } from './supervisions.projection';
import { tenantActivityProjection } from './tenant-activity.projection';
import { workforceProjection } from './workforce.projection';

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
