/**
 * What a signed-in person may do is decided by their roles, always within their own tenant
 * (organisation). The roles: docs/rules/tenants-and-roles.md#roles.
 */
export const ROLES = [
  /** Runs one home or service; submits its own information. */
  'home-manager',
  /** Line-manages home managers of a region; completes each home's monthly KPI return. */
  'regional-manager',
  /** Human resources: capability reviews, staff records. */
  'hr',
  /** Administers the provider's or council's organisation structure and frameworks. */
  'provider-admin',
  /** A council commissioner monitoring contracted providers. */
  'commissioner',
  /** Ofsted, CQC, Care Inspectorate Wales, internal audit: read-only, scoped to one tenant. */
  'regulator',
  /** Manages the organisation's accounts: invites people with their roles, removes access. */
  'admin',
  /**
   * The data-protection officer: answers requests about personal data, and erases a person's
   * when the law requires it.
   */
  'data-protection',
  /**
   * Checks the organisation's figures (docs/decisions/0037): verifies and publishes returns
   * when sign-off is on, audits samples of them against evidence, comments on indicators.
   */
  'performance-officer',
] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Roles that may invite people, list the organisation's accounts and remove access. */
export const ACCOUNT_ADMINS: readonly Role[] = ['admin'];

/**
 * Roles that may list the organisation's accounts: its admins, and the data-protection officer,
 * who finds there, by their email, a person's data subject id (their account id).
 */
export const ACCOUNT_READERS: readonly Role[] = [...ACCOUNT_ADMINS, 'data-protection'];

/**
 * Roles that may grant a regulator organisation read access to the tenant's trail, list the
 * tenant's grants and revoke them.
 */
export const REGULATOR_GRANTORS: readonly Role[] = ['admin', 'provider-admin'];

/**
 * Roles that may list the grants made to their organisation and read a grantor's trail under
 * one (the grant, not the role, decides what they see).
 */
export const GRANT_HOLDERS: readonly Role[] = ['regulator'];

/**
 * Roles that may read the access log: an organisation's admins (what was read of its data) and
 * regulators (what their own people read under grants).
 */
export const ACCESS_LOG_READERS: readonly Role[] = ['admin', 'provider-admin', 'regulator'];
/** Roles that may erase a data subject's personal data (destroy their key in the vault). */
export const DATA_PROTECTION_OFFICERS: readonly Role[] = ['data-protection'];

/** Roles that may read a tenant's audit trail (stored events and their verification). */
export const AUDIT_READERS: readonly Role[] = ['provider-admin', 'regulator', 'hr'];

/** Roles that may set up regions, services, appointments and KPI frameworks. */
export const ORGANISATION_ADMINS: readonly Role[] = ['provider-admin'];

/** Roles that may submit and amend monthly returns (the regional manager completes them). */
export const RETURN_SUBMITTERS: readonly Role[] = ['regional-manager', 'provider-admin'];

/** Roles that may read returns, the KPI grid and bonus compliance of their tenant. */
export const KPI_READERS: readonly Role[] = [
  'home-manager',
  'regional-manager',
  'hr',
  'provider-admin',
  'commissioner',
  'regulator',
  'performance-officer',
];

/** Roles that may turn the organisation's sign-off of monthly returns on or off. */
export const SIGN_OFF_ADMINS: readonly Role[] = ['provider-admin'];

/**
 * Roles that may verify a return, or send it back with a reason, when sign-off is on: the
 * regional manager (not of figures they gave themselves: the decider checks by person) or a
 * performance officer.
 */
export const RETURN_VERIFIERS: readonly Role[] = ['regional-manager', 'performance-officer'];

/** Roles that may publish a verified return: what councils, reports and the bonus then use. */
export const RETURN_PUBLISHERS: readonly Role[] = ['provider-admin', 'performance-officer'];

/** Roles that may draw data-quality audit samples and record their findings. */
export const DATA_QUALITY_AUDITORS: readonly Role[] = ['performance-officer'];

/**
 * Roles that may write commentary on an indicator's period (what happened, what is being
 * done): the people responsible for the figures.
 */
export const COMMENTARY_WRITERS: readonly Role[] = [
  'home-manager',
  'regional-manager',
  'provider-admin',
  'performance-officer',
];

/**
 * Roles that may read a return with its history (who amended it, when and why): the KPI readers,
 * and the data-protection officer, who finds there the data subject of an amendment's reason.
 */
export const RETURN_HISTORY_READERS: readonly Role[] = [...KPI_READERS, 'data-protection'];

/**
 * Roles that may record Stage 3 reviews and appeals (held by HR or the regional manager;
 * appeals heard by someone senior and not involved before, which the rules check by person).
 */
export const CAPABILITY_RECORDERS: readonly Role[] = ['hr', 'regional-manager', 'provider-admin'];

/**
 * Roles that may read their own capability timeline and its "why" — the record of the manager
 * id their account (or token) is linked to — and nobody else's: mayReadCapabilityRecordOf.
 */
export const OWN_CAPABILITY_RECORD_READERS: readonly Role[] = ['home-manager'];

/** Roles that may record supervision sessions (a home manager supervises the home's staff). */
export const SUPERVISION_RECORDERS: readonly Role[] = [
  'home-manager',
  'regional-manager',
  'hr',
  'provider-admin',
];

/**
 * Roles that may read anyone's capability counters, timelines and their "why": employment
 * records, so not commissioners (another organisation); home managers read only their own
 * (OWN_CAPABILITY_RECORD_READERS).
 */
export const CAPABILITY_READERS: readonly Role[] = [
  'regional-manager',
  'hr',
  'provider-admin',
  'regulator',
];

/** Roles that may keep the staff register: starters, leavers, appraisals, training, DBS checks. */
export const STAFF_RECORDERS: readonly Role[] = [
  'hr',
  'home-manager',
  'regional-manager',
  'provider-admin',
];

/**
 * Roles that may read the workforce measures (supervision compliance, turnover): counts, not
 * personal records, reported as KPIs, so the KPI readers' regulators too — but not
 * commissioners (another organisation; they see the figures in the monthly return).
 */
export const STAFF_READERS: readonly Role[] = [
  'hr',
  'home-manager',
  'regional-manager',
  'provider-admin',
  'regulator',
];

/**
 * Roles that may log complaints and compliments and record their acknowledgement and response
 * (the home's manager, or the regional manager or provider on its behalf).
 */
export const COMPLAINT_RECORDERS: readonly Role[] = [
  'home-manager',
  'regional-manager',
  'provider-admin',
];

/**
 * Roles that may read a tenant's complaints: its managers, regulators, who inspect how
 * complaints are handled, and the data-protection officer, who finds a complainant's data subject
 * id there. Commissioners see them reported with personal details removed.
 */
export const COMPLAINT_READERS: readonly Role[] = [
  'home-manager',
  'regional-manager',
  'provider-admin',
  'regulator',
  'data-protection',
];

/**
 * Roles that may read the complaint KPI and the anonymised complaints report: the readers of
 * complaints and the council's commissioner (the report is made for them; nothing personal).
 */
export const COMPLAINT_REPORT_READERS: readonly Role[] = [...COMPLAINT_READERS, 'commissioner'];

/**
 * Roles that may see upcoming and overdue deadlines (returns, complaints, staff checks): the
 * provider's own people and its regulator; not a commissioner (another organisation).
 */
export const DEADLINE_READERS: readonly Role[] = [
  'home-manager',
  'regional-manager',
  'hr',
  'provider-admin',
  'regulator',
];

/**
 * Roles of a council that run its care-at-home framework: set it up, add providers, refer
 * packages (the placements team). Always checked with the council's own tenant.
 */
export const CALL_OFF_COMMISSIONERS: readonly Role[] = ['commissioner', 'provider-admin'];

/**
 * Roles of a provider on a council's framework that may answer its offers (accept, decline) and
 * record the family contact and the start of care. Checked with the provider's own tenant.
 */
export const PACKAGE_RESPONDERS: readonly Role[] = [
  'provider-admin',
  'regional-manager',
  'home-manager',
];

/**
 * Roles of a provider told of a package a council offers it (they answer offers; home managers,
 * who may too, are not each told of every package).
 */
export const PACKAGE_OFFER_RECIPIENTS: readonly Role[] = ['provider-admin'];

/** Roles told that a Stage 3 review is due (with the home's regional manager): HR holds them. */
export const STAGE_3_REVIEW_RECIPIENTS: readonly Role[] = ['hr'];

/**
 * Roles that see the email addresses mail to which bounced (and clear them): the
 * organisation's account admins.
 */
export const NOTIFICATION_BOUNCE_READERS: readonly Role[] = ACCOUNT_ADMINS;

/** Roles of a provider that may send the council its monthly capacity and quarterly returns. */
export const PROVIDER_RETURN_SUBMITTERS: readonly Role[] = ['provider-admin', 'regional-manager'];

/**
 * Roles that may read provider performance, with the tenant deciding how much: the council's
 * sees every provider on its framework, a provider's only itself, anyone else nothing.
 */
export const PROVIDER_PERFORMANCE_READERS: readonly Role[] = [
  'commissioner',
  'provider-admin',
  'regional-manager',
  'hr',
  'home-manager',
  'regulator',
];

/** Roles of the council that may read the league table across its providers. */
export const LEAGUE_TABLE_READERS: readonly Role[] = [
  'commissioner',
  'provider-admin',
  'regulator',
];

/**
 * Roles that may plan actions (a support plan, an action on a missed KPI, a complaint's
 * learning…), re-date, reassign and cancel them, and change anyone's: the line and HR.
 */
export const ACTION_PLANNERS: readonly Role[] = ['hr', 'regional-manager', 'provider-admin'];

/**
 * Roles that may act on the actions they own (start, note progress, mark milestones, complete):
 * the planners and home managers, who own the actions of their support plans.
 */
export const ACTION_DOERS: readonly Role[] = [...ACTION_PLANNERS, 'home-manager'];

/** Roles that may read actions: those who do them, and regulators. */
export const ACTION_READERS: readonly Role[] = [...ACTION_DOERS, 'regulator'];

/** Roles that may keep the risk register: raise, revise and close risks. */
export const RISK_KEEPERS: readonly Role[] = ['provider-admin', 'regional-manager', 'commissioner'];

/** Roles that may read the risk register. */
export const RISK_READERS: readonly Role[] = [...RISK_KEEPERS, 'hr', 'regulator'];

/**
 * Roles that may attach evidence to each kind of record, and detach it: those who record it
 * (docs/decisions/0040); an action's, those who act on it.
 */
export const EVIDENCE_ATTACHERS = {
  'monthly-return': RETURN_SUBMITTERS,
  complaint: COMPLAINT_RECORDERS,
  'capability-review': CAPABILITY_RECORDERS,
  action: ACTION_DOERS,
} as const satisfies Record<string, readonly Role[]>;

/**
 * Roles that may list and download the evidence of each kind of record: those who may read the
 * record itself.
 */
export const EVIDENCE_READERS = {
  'monthly-return': KPI_READERS,
  complaint: COMPLAINT_READERS,
  'capability-review': CAPABILITY_READERS,
  action: ACTION_READERS,
} as const satisfies Record<string, readonly Role[]>;

/**
 * Roles of a provider that may tell the council of what happened under a package it holds
 * (seed 004 §72–73) and give notice to hand a package back (§51): those who answer its offers.
 */
export const PROVIDER_NOTIFIERS: readonly Role[] = PACKAGE_RESPONDERS;

/** Roles of the council that acknowledge providers' notifications: those who run the framework. */
export const PROVIDER_NOTIFICATION_ACKNOWLEDGERS: readonly Role[] = CALL_OFF_COMMISSIONERS;

/**
 * Roles that may read providers' notifications and hand-back notices (counts, lists): the
 * council's sees every provider's, a provider's only its own.
 */
export const PROVIDER_NOTIFICATION_READERS: readonly Role[] = [
  'commissioner',
  'provider-admin',
  'regional-manager',
  'home-manager',
  'regulator',
];
