import type { Projection } from '@kpi/projections';
// Each projection from its own file, not the feature's index: a process that only needs the
// read models (the CLI's `projections`, `rebuild`) then loads no timers, queues or BullMQ.
import {
  careFrameworksProjection,
  carePackagesProjection,
} from './call-off/care-call-off.projection';
import { capabilityCountersProjection } from './capability/capability-counters.projection';
import { capabilityTimelineProjection } from './capability/capability-timeline.projection';
import { complaintsProjection } from './complaints/complaints.projection';
import { deadlinesProjection } from './deadlines/deadlines.projection';
import { kpiGridProjection } from './monthly-returns/kpi-grid.projection';
import { monthlyReturnsProjection } from './monthly-returns/monthly-returns.projection';
import { auditedReturnsProjection } from './monthly-returns/data-quality-audit.projection';
import { commentaryProjection } from './monthly-returns/commentary.projection';
import { regionsProjection } from './organisation/regions.projection';
import { servicesProjection } from './organisation/services.projection';
import { tenantActivityProjection } from './organisation/tenant-activity.projection';
import { providerCapacityReturnsProjection } from './provider-returns/provider-capacity-returns.projection';
import { providerQuarterlyReturnsProjection } from './provider-returns/provider-quarterly-returns.projection';
import { providerNotificationsProjection } from './provider-notices/provider-notices.projection';
import { regulatorGrantsProjection } from './regulator-grants/regulator-grants.projection';
import { supervisionsProjection } from './workforce/supervisions.projection';
import { workforceProjection } from './workforce/workforce.projection';
import { actionsProjection } from './actions/actions.projection';
import { risksProjection } from './risks/risks.projection';

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
  regulatorGrantsProjection,
  auditedReturnsProjection,
  commentaryProjection,
  actionsProjection,
  risksProjection,
  providerNotificationsProjection,
];
