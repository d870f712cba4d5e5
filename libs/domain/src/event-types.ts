import { CAPABILITY_UPCASTERS } from './capability/capability.events';
import { COMPLAINT_UPCASTERS } from './complaint/complaint.events';
import { MONTHLY_RETURN_UPCASTERS } from './monthly-return/monthly-return.events';
import { PROVIDER_RETURN_UPCASTERS } from './provider-return/provider-return.events';
import { STAFF_UPCASTERS } from './staff/staff.events';

/**
 * Every event type the domain writes, with the schema version new events get. Stored type
 * names are these strings, never class names; an upcaster per older version is added here when
 * a schema changes (libs/event-store EventTypeRegistry): `upcasters[n]` turns version n into n + 1.
 */
export const DOMAIN_EVENT_TYPES: readonly {
  type: string;
  schemaVersion: number;
  upcasters?: Readonly<Record<number, (data: unknown) => unknown>>;
}[] = [
  { type: 'OrganisationRegistered', schemaVersion: 1 },
  { type: 'RegionRegistered', schemaVersion: 1 },
  { type: 'RegionalManagerAssigned', schemaVersion: 1 },
  { type: 'ServiceRegistered', schemaVersion: 1 },
  { type: 'ManagerAppointed', schemaVersion: 1 },
  { type: 'ManagerAppointmentEnded', schemaVersion: 1 },
  { type: 'KpiFrameworkVersionPublished', schemaVersion: 1 },
  { type: 'MonthlyReturnSubmitted', schemaVersion: 1 },
  {
    type: 'MonthlyReturnAmended',
    schemaVersion: 2,
    upcasters: MONTHLY_RETURN_UPCASTERS.MonthlyReturnAmended,
  },
  { type: 'CapabilityStageEntered', schemaVersion: 1 },
  { type: 'CapabilityMissCounted', schemaVersion: 1 },
  { type: 'CapabilityStageResolved', schemaVersion: 1 },
  { type: 'CapabilityStageWithdrawn', schemaVersion: 1 },
  { type: 'CapabilityRecordWithdrawn', schemaVersion: 1 },
  {
    type: 'CapabilityReviewRecorded',
    schemaVersion: 2,
    upcasters: CAPABILITY_UPCASTERS.CapabilityReviewRecorded,
  },
  {
    type: 'CapabilityAppealRecorded',
    schemaVersion: 2,
    upcasters: CAPABILITY_UPCASTERS.CapabilityAppealRecorded,
  },
  { type: 'SupervisionRecorded', schemaVersion: 1 },
  { type: 'BankHolidayAdded', schemaVersion: 1 },
  { type: 'BankHolidayRemoved', schemaVersion: 1 },
  { type: 'ComplaintLogged', schemaVersion: 2, upcasters: COMPLAINT_UPCASTERS.ComplaintLogged },
  { type: 'ComplaintAcknowledged', schemaVersion: 1 },
  {
    type: 'ComplaintResponded',
    schemaVersion: 2,
    upcasters: COMPLAINT_UPCASTERS.ComplaintResponded,
  },
  { type: 'ComplimentLogged', schemaVersion: 2, upcasters: COMPLAINT_UPCASTERS.ComplimentLogged },
  { type: 'StaffMemberRegistered', schemaVersion: 1 },
  { type: 'StaffMemberLeft', schemaVersion: 2, upcasters: STAFF_UPCASTERS.StaffMemberLeft },
  { type: 'StaffAppraisalRecorded', schemaVersion: 1 },
  { type: 'StaffTrainingCompleted', schemaVersion: 1 },
  { type: 'StaffDbsCheckRecorded', schemaVersion: 1 },
  { type: 'DeadlineReminderSent', schemaVersion: 1 },
  { type: 'DeadlinePassed', schemaVersion: 1 },
  { type: 'CareFrameworkEstablished', schemaVersion: 1 },
  { type: 'CareFrameworkProviderAdded', schemaVersion: 1 },
  { type: 'CarePackageReferred', schemaVersion: 1 },
  { type: 'CarePackageRegistered', schemaVersion: 1 },
  { type: 'CarePackageOffered', schemaVersion: 1 },
  { type: 'CarePackageDeclined', schemaVersion: 1 },
  { type: 'CarePackageAccepted', schemaVersion: 1 },
  { type: 'CarePackageUnplaced', schemaVersion: 1 },
  { type: 'CarePackageFamilyContacted', schemaVersion: 1 },
  { type: 'CarePackageCareStarted', schemaVersion: 1 },
  { type: 'ProviderCapacityReturnSubmitted', schemaVersion: 1 },
  {
    type: 'ProviderCapacityReturnAmended',
    schemaVersion: 2,
    upcasters: PROVIDER_RETURN_UPCASTERS.ProviderCapacityReturnAmended,
  },
  { type: 'ProviderQuarterlyReturnSubmitted', schemaVersion: 1 },
  {
    type: 'ProviderQuarterlyReturnAmended',
    schemaVersion: 2,
    upcasters: PROVIDER_RETURN_UPCASTERS.ProviderQuarterlyReturnAmended,
  },
  // Version 2 holds the email sealed (the accounts feature); version 1's text is read as stored.
  { type: 'PersonInvited', schemaVersion: 2, upcasters: { 1: (data: unknown): unknown => data } },
  { type: 'InvitationAccepted', schemaVersion: 1 },
  { type: 'RolesChanged', schemaVersion: 1 },
  { type: 'ManagerLinked', schemaVersion: 1 },
  { type: 'AccessRemoved', schemaVersion: 1 },
  { type: 'RegulatorAccessGranted', schemaVersion: 1 },
  { type: 'RegulatorAccessRevoked', schemaVersion: 1 },
  { type: 'PersonJoinedThroughIdentityProvider', schemaVersion: 1 },
  { type: 'IdentityProviderConfigured', schemaVersion: 1 },
  { type: 'DataSubjectErased', schemaVersion: 1 },
  { type: 'LogSealed', schemaVersion: 1 },
  { type: 'MonthlyReturnVerified', schemaVersion: 1 },
  { type: 'MonthlyReturnSentBack', schemaVersion: 1 },
  { type: 'MonthlyReturnPublished', schemaVersion: 1 },
  { type: 'SignOffTurnedOn', schemaVersion: 1 },
  { type: 'SignOffTurnedOff', schemaVersion: 1 },
  { type: 'DataQualitySampleDrawn', schemaVersion: 1 },
  { type: 'DataQualityFindingRecorded', schemaVersion: 1 },
  { type: 'IndicatorCommentaryWritten', schemaVersion: 1 },
  { type: 'ActionPlanned', schemaVersion: 1 },
  { type: 'ActionStarted', schemaVersion: 1 },
  { type: 'ActionRedated', schemaVersion: 1 },
  { type: 'ActionReassigned', schemaVersion: 1 },
  { type: 'ActionProgressNoted', schemaVersion: 1 },
  { type: 'ActionMilestoneAdded', schemaVersion: 1 },
  { type: 'ActionMilestoneDone', schemaVersion: 1 },
  { type: 'ActionCompleted', schemaVersion: 1 },
  { type: 'ActionCancelled', schemaVersion: 1 },
  { type: 'RiskRaised', schemaVersion: 1 },
  { type: 'RiskRevised', schemaVersion: 1 },
  { type: 'RiskClosed', schemaVersion: 1 },
  { type: 'EvidenceAttached', schemaVersion: 1 },
  { type: 'EvidenceDetached', schemaVersion: 1 },
  { type: 'ProviderNotificationLogged', schemaVersion: 1 },
  { type: 'ProviderNotificationAcknowledged', schemaVersion: 1 },
  { type: 'PackageHandBackNoticeGiven', schemaVersion: 1 },
];

/**
 * Stream ids carry the tenant (docs/decisions/0008): `<tenant>:<category>:<key>`. Built only
 * from the tenant of the caller's token and the entity's key.
 */
export const streamIds = {
  organisation: (tenantId: string) => `${tenantId}:organisation`,
  region: (tenantId: string, regionId: string) => `${tenantId}:region:${regionId}`,
  service: (tenantId: string, serviceId: string) => `${tenantId}:service:${serviceId}`,
  kpiFramework: (tenantId: string, frameworkId: string) =>
    `${tenantId}:kpi-framework:${frameworkId}`,
  monthlyReturn: (tenantId: string, serviceId: string, period: string) =>
    `${tenantId}:monthly-return:${serviceId}:${period}`,
  /** One consecutive-miss counter: a manager, a home, a KPI (docs/rules/capability.md#counters). */
  capability: (tenantId: string, managerId: string, serviceId: string, indicatorCode: string) =>
    `${tenantId}:capability:${managerId}:${serviceId}:${indicatorCode}`,
  /** Every supervision session a person received. */
  supervision: (tenantId: string, superviseeId: string) =>
    `${tenantId}:supervision:${superviseeId}`,
  /** Whether the organisation signs its monthly returns off (docs/decisions/0037). */
  signOff: (tenantId: string) => `${tenantId}:sign-off`,
  /** One data-quality audit: its sample of a month's returns and their findings. */
  dataQualityAudit: (tenantId: string, auditId: string) =>
    `${tenantId}:data-quality-audit:${auditId}`,
  /**
   * The commentary on one indicator's period (docs/decisions/0038): `scope` a service id or
   * `organisation`, `periodKey` a month `2026-09` or a quarter `2026-27-q1`.
   */
  commentary: (tenantId: string, scope: string, indicatorCode: string, periodKey: string) =>
    `${tenantId}:commentary:${scope}:${indicatorCode}:${periodKey}`,
  /** The platform's England & Wales bank-holiday adjustments (tenant `platform`, reserved). */
  calendar: () => 'platform:calendar:england-and-wales',
  /** The platform's seals: each a signed Merkle root of every stream's head (tenant `platform`). */
  seals: () => 'platform:seals',
  /** One complaint: logged, acknowledged, responded to. */
  complaint: (tenantId: string, complaintId: string) => `${tenantId}:complaint:${complaintId}`,
  /** One compliment received. */
  compliment: (tenantId: string, complimentId: string) => `${tenantId}:compliment:${complimentId}`,
  /** One staff member's register entry; `staffId` is their supervision `superviseeId`. */
  staff: (tenantId: string, staffId: string) => `${tenantId}:staff:${staffId}`,
  /** One deadline: its reminders and its passing (key: `<kind>:<subject>:<due>`). */
  deadline: (tenantId: string, deadlineKey: string) => `${tenantId}:deadline:${deadlineKey}`,
  /** A council's care-at-home framework agreement: its providers, rotation and referrals. */
  careFramework: (councilId: string, frameworkId: string) =>
    `${councilId}:care-framework:${frameworkId}`,
  /** A person personal data is kept about: their erasure (docs/audit-trail.md). */
  dataSubject: (tenantId: string, subjectId: string) => `${tenantId}:data-subject:${subjectId}`,
  /** One person's account in an organisation: invited, accepted, roles, access removed. */
  account: (tenantId: string, accountId: string) => `${tenantId}:account:${accountId}`,
  /** One grant of read access to the organisation's trail, made to a regulator organisation. */
  regulatorGrant: (tenantId: string, grantId: string) => `${tenantId}:regulator-grant:${grantId}`,
  /** How an organisation's people sign in through its own identity provider (OpenID Connect). */
  identityProvider: (tenantId: string) => `${tenantId}:identity-provider`,
  /** The packages a framework has referred, each with its turn of the rotation. */
  careFrameworkRotation: (councilId: string, frameworkId: string) =>
    `${councilId}:care-framework-rotation:${frameworkId}`,
  /** One care package's call-off and start (in the council's tenant). */
  carePackage: (councilId: string, packageId: string) => `${councilId}:care-package:${packageId}`,
  /** A provider's monthly capacity return to the council. */
  providerCapacityReturn: (
    councilId: string,
    frameworkId: string,
    providerId: string,
    period: string,
  ) => `${councilId}:provider-capacity-return:${frameworkId}:${providerId}:${period}`,
  /** A provider's quarterly return to the council; `quarterKey` is `2026-27-q1`. */
  providerQuarterlyReturn: (
    councilId: string,
    frameworkId: string,
    providerId: string,
    quarterKey: string,
  ) => `${councilId}:provider-quarterly-return:${frameworkId}:${providerId}:${quarterKey}`,
  /** One action: planned, its milestones and notes, completed or cancelled. */
  action: (tenantId: string, actionId: string) => `${tenantId}:action:${actionId}`,
  /** One risk of the risk register, with every revision. */
  risk: (tenantId: string, riskId: string) => `${tenantId}:risk:${riskId}`,
  /** One notification a provider gave the council about a package (seed 004 §72–73). */
  providerNotification: (councilId: string, notificationId: string) =>
    `${councilId}:provider-notification:${notificationId}`,
  /** A package's hand-back by its provider (seed 004 §51): the notice. */
  carePackageHandBack: (councilId: string, packageId: string) =>
    `${councilId}:care-package-hand-back:${packageId}`,
  /** The files attached as evidence to one record (`<kind>:<key>`: evidenceTargetKey). */
  evidence: (tenantId: string, kind: string, key: string) => `${tenantId}:evidence:${kind}:${key}`,
};

/** The tenant a stream id names (`<tenant>:<category>:<key…>`), or null when it names none. */
export function tenantOfStreamId(streamId: string): string | null {
  const colon = streamId.indexOf(':');
  return colon > 0 ? streamId.slice(0, colon) : null;
}

/** Ids of regions, services, frameworks, people: short slugs, safe in stream ids and URLs. */
export const ENTITY_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
