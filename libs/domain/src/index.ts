export {
  ROLES,
  isRole,
  ACCOUNT_ADMINS,
  ACCOUNT_READERS,
  ACCESS_LOG_READERS,
  AUDIT_READERS,
  GRANT_HOLDERS,
  REGULATOR_GRANTORS,
  DATA_PROTECTION_OFFICERS,
  ORGANISATION_ADMINS,
  RETURN_SUBMITTERS,
  KPI_READERS,
  SIGN_OFF_ADMINS,
  RETURN_VERIFIERS,
  RETURN_PUBLISHERS,
  DATA_QUALITY_AUDITORS,
  COMMENTARY_WRITERS,
  RETURN_HISTORY_READERS,
  CAPABILITY_RECORDERS,
  SUPERVISION_RECORDERS,
  CAPABILITY_READERS,
  OWN_CAPABILITY_RECORD_READERS,
  DEADLINE_READERS,
  COMPLAINT_REPORT_READERS,
  COMPLAINT_RECORDERS,
  COMPLAINT_READERS,
  STAFF_RECORDERS,
  STAFF_READERS,
  CALL_OFF_COMMISSIONERS,
  PACKAGE_RESPONDERS,
  PROVIDER_RETURN_SUBMITTERS,
  PROVIDER_PERFORMANCE_READERS,
  LEAGUE_TABLE_READERS,
  PACKAGE_OFFER_RECIPIENTS,
  STAGE_3_REVIEW_RECIPIENTS,
  NOTIFICATION_BOUNCE_READERS,
  ACTION_PLANNERS,
  ACTION_DOERS,
  ACTION_READERS,
  RISK_KEEPERS,
  RISK_READERS,
  EVIDENCE_ATTACHERS,
  EVIDENCE_READERS,
  PROVIDER_NOTIFIERS,
  PROVIDER_NOTIFICATION_ACKNOWLEDGERS,
  PROVIDER_NOTIFICATION_READERS,
  type Role,
} from './access/roles';
export {
  mayReadCapabilityRecordOf,
  type CapabilityRecordReader,
} from './access/capability-record-access';
export { foldEvents, type Decider } from './shared/decider';
export {
  DomainError,
  InvalidCommandError,
  NotFoundError,
  ConflictError,
  ForbiddenError,
  type FieldProblem,
} from './shared/domain-errors';
export * from './shared/period';
export * from './kpi/indicator';
export * from './kpi/indicator-value';
export * from './kpi/indicator-problems';
export * from './kpi/judge-indicator.policy';
export * from './kpi-framework/kpi-framework.events';
export * from './kpi-framework/kpi-framework.commands';
export * from './kpi-framework/kpi-framework.decider';
export * from './kpi-framework/collection';
export * from './kpi-framework/presets/childrens-homes.preset';
export * from './kpi-framework/presets/direct-services.preset';
export * from './kpi-framework/presets/direct-services-respite.preset';
export * from './kpi-framework/presets/business-plan.preset';
export * from './kpi-framework/presets/framework-presets';
export * from './monthly-return/monthly-return.events';
export * from './monthly-return/monthly-return.commands';
export * from './monthly-return/monthly-return.decider';
export * from './sign-off/sign-off.events';
export * from './sign-off/sign-off.commands';
export * from './sign-off/sign-off.decider';
export * from './data-quality-audit/data-quality-audit.events';
export * from './data-quality-audit/data-quality-audit.commands';
export * from './data-quality-audit/data-quality-audit.decider';
export * from './data-quality-audit/seeded-sample';
export * from './commentary/commentary.events';
export * from './commentary/commentary.commands';
export * from './commentary/commentary.decider';
export * from './shared/calendar-date';
export * from './organisation/service.events';
export * from './organisation/service.commands';
export * from './organisation/service.decider';
export * from './organisation/region.decider';
export * from './organisation/service-streams';
export * from './event-types';
export * from './organisation/organisation.decider';
export * from './capability/capability-stage.policy';
export * from './capability/capability.events';
export * from './capability/capability.commands';
export * from './capability/capability-facts';
export * from './capability/capability-ledger.policy';
export * from './capability/capability.decider';
export * from './capability/capability-process';
export * from './capability/capability-next-month';
export * from './supervision/supervision.events';
export * from './supervision/supervision.commands';
export * from './supervision/supervision.decider';
export * from './shared/platform-tenant';
export * from './calendar/working-day-calendar';
export * from './calendar/bank-holidays';
export * from './calendar/calendar.events';
export * from './calendar/calendar.commands';
export * from './calendar/calendar.decider';
export * from './data-subject/personal-data';
export * from './data-subject/data-subject.events';
export * from './data-subject/data-subject.commands';
export * from './data-subject/data-subject.decider';
export * from './complaint/complaint.events';
export * from './complaint/complaint.commands';
export * from './complaint/complaint.decider';
export * from './complaint/complaint-deadlines.policy';
export * from './complaint/compliment.decider';
export * from './staff/staff.events';
export * from './staff/staff.commands';
export * from './staff/staff.decider';
export * from './staff/workforce-measures';
export * from './deadline/deadline';
export * from './deadline/deadline.events';
export * from './deadline/deadline.commands';
export * from './deadline/deadline.decider';
export * from './deadline/deadline-sources';
export * from './complaint/complaint-kpi';
export * from './shared/london-time';
export * from './call-off/call-off.events';
export * from './call-off/call-off-windows';
export * from './call-off/care-framework.decider';
export * from './call-off/call-off-rotation.decider';
export * from './call-off/care-package.commands';
export * from './call-off/care-package.decider';
export * from './call-off/provider-kpis';
export * from './provider-return/provider-return.events';
export * from './provider-return/provider-return.commands';
export * from './provider-return/capacity-return.decider';
export * from './provider-return/quarterly-return.decider';
export * from './staff/annual-workforce-measures';
export * from './shared/academic-year';
export * from './kpi/aggregation';
export * from './kpi/direction-of-travel';
export * from './notification/notification';
export * from './notification/notification-rules';
export * from './action/action.events';
export * from './action/action.commands';
export * from './action/action.decider';
export * from './risk/risk.events';
export * from './risk/risk.commands';
export * from './risk/risk.decider';
export * from './evidence/evidence-file.policy';
export * from './evidence/evidence.events';
export * from './evidence/evidence.commands';
export * from './evidence/evidence.decider';
export * from './provider-notification/provider-notification.events';
export * from './provider-notification/provider-notification.commands';
export * from './provider-notification/provider-notification.policy';
export * from './provider-notification/provider-notification.decider';
