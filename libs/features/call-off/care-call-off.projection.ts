import {
  CARE_FRAMEWORK_EVENT_TYPES,
  CARE_PACKAGE_EVENT_TYPES,
  callOffKpiItems,
  carePackageDecider,
  type CallOffKpiItem,
  type CallOffRotationEvent,
  type CareFrameworkEvent,
  type CarePackage,
  type CarePackageEvent,
} from '@kpi/domain';
import { keyedProjection, recordedOneOf, type Recorded } from '@kpi/projections';

/**
 * The care-at-home call-off as councils and providers read it
 * (docs/rules/care-at-home-call-off.md): each council's frameworks with their rotation, and each
 * package's call-off — who it was offered to, when, who answered and when, the family contact and
 * the start of care — which the provider KPIs are computed from.
 */
export interface CareFrameworkRow {
  tenantId: string;
  frameworkId: string;
  name: string;
  contractStartDate: string;
  /** Provider tenant ids in rotation order. */
  providers: string[];
  packagesReferred: number;
}

type FrameworkRowEvent = CareFrameworkEvent | CallOffRotationEvent;
const FRAMEWORK_ROW_EVENT_TYPES = [...CARE_FRAMEWORK_EVENT_TYPES, 'CarePackageReferred'] as const;

export const careFrameworksProjection = keyedProjection<CareFrameworkRow>({
  name: 'care-frameworks',
  version: 1,
  table: 'rm_care_frameworks',
  eventTypes: FRAMEWORK_ROW_EVENT_TYPES,
  columns: [
    { name: 'tenant_id', type: 'text', field: 'tenantId' },
    { name: 'framework_id', type: 'text', field: 'frameworkId' },
    { name: 'name', type: 'text', field: 'name' },
    { name: 'contract_start_date', type: 'date', field: 'contractStartDate' },
    { name: 'providers', type: 'jsonb', field: 'providers' },
    { name: 'packages_referred', type: 'integer', field: 'packagesReferred' },
  ],
  keyOf: (event) => {
    const e = recordedOneOf<FrameworkRowEvent>(event, FRAMEWORK_ROW_EVENT_TYPES);
    return e && JSON.stringify([e.metadata.tenantId, e.data.frameworkId]);
  },
  evolve: (row, event) => evolveCareFramework(row, event as Recorded<FrameworkRowEvent>),
});

export function evolveCareFramework(
  row: CareFrameworkRow | null,
  event: Recorded<FrameworkRowEvent>,
): CareFrameworkRow | null {
  switch (event.type) {
    case 'CareFrameworkEstablished':
      return (
        row ?? {
          tenantId: event.metadata.tenantId,
          frameworkId: event.data.frameworkId,
          name: event.data.name,
          contractStartDate: event.data.contractStartDate,
          providers: [...event.data.providers],
          packagesReferred: 0,
        }
      );
    case 'CareFrameworkProviderAdded':
      return row && { ...row, providers: [...row.providers, event.data.providerId] };
    case 'CarePackageReferred':
      return row && { ...row, packagesReferred: row.packagesReferred + 1 };
    default: {
      const _unexpected: never = event;
      return row;
    }
  }
}

export type CarePackageStatus = 'offered' | 'accepted' | 'unplaced';

export interface CarePackageRow {
  tenantId: string;
  packageId: string;
  frameworkId: string;
  status: CarePackageStatus;
  registeredAt: string;
  acceptedProviderId: string | null;
  /**
   * The latest instant anything happened to it (an offer, an answer, the first contact): with
   * `registered_at`, it bounds every instant a quarter's KPIs count, so a quarter reads only the
   * packages active in it.
   */
  lastActivityAt: string;
  /** The package's call-off as folded by the domain's own decider. */
  state: CarePackage;
  /** What the call-off KPIs count of it (callOffKpiItems): a quarter's figures sum these. */
  kpiItems: CallOffKpiItem[];
}

export const carePackagesProjection = keyedProjection<CarePackageRow>({
  name: 'care-packages',
  version: 3,
  table: 'rm_care_packages',
  eventTypes: CARE_PACKAGE_EVENT_TYPES,
  columns: [
    { name: 'tenant_id', type: 'text', field: 'tenantId' },
    { name: 'package_id', type: 'text', field: 'packageId' },
    { name: 'framework_id', type: 'text', field: 'frameworkId' },
    { name: 'status', type: 'text', field: 'status' },
    { name: 'registered_at', type: 'timestamptz', field: 'registeredAt' },
    { name: 'accepted_provider_id', type: 'text', field: 'acceptedProviderId', nullable: true },
    { name: 'last_activity_at', type: 'timestamptz', field: 'lastActivityAt' },
    { name: 'state', type: 'jsonb', field: 'state' },
    { name: 'kpi_items', type: 'jsonb', field: 'kpiItems' },
  ],
  indexes: [
    ['tenant_id', 'framework_id', 'registered_at'],
    ['tenant_id', 'framework_id', 'last_activity_at'],
  ],
  keyOf: (event) => {
    const e = recordedOneOf<CarePackageEvent>(event, CARE_PACKAGE_EVENT_TYPES);
    return e && JSON.stringify([e.metadata.tenantId, e.data.packageId]);
  },
  evolve: (row, event) => evolveCarePackage(row, event as Recorded<CarePackageEvent>),
});

export function evolveCarePackage(
  row: CarePackageRow | null,
  event: Recorded<CarePackageEvent>,
): CarePackageRow | null {
  if (!row && event.type !== 'CarePackageRegistered') return null;
  const { package: state } = carePackageDecider.evolve({ package: row?.state ?? null }, {
    type: event.type,
    data: event.data,
  } as CarePackageEvent);
  if (!state) return row;
  return {
    tenantId: event.metadata.tenantId,
    packageId: state.packageId,
    frameworkId: state.frameworkId,
    status: state.accepted ? 'accepted' : state.unplacedAt ? 'unplaced' : 'offered',
    registeredAt: state.registeredAt,
    acceptedProviderId: state.accepted?.providerId ?? null,
    lastActivityAt: lastActivityOf(state),
    state,
    kpiItems: callOffKpiItems(state),
  };
}

function lastActivityOf(pkg: CarePackage): string {
  const instants = [
    pkg.registeredAt,
    ...pkg.offers.map((offer) => offer.offeredAt),
    ...Object.values(pkg.declined),
    pkg.accepted?.acceptedAt,
    pkg.unplacedAt,
    pkg.familyContactedAt,
  ].filter((at): at is string => typeof at === 'string');
  return new Date(Math.max(...instants.map((at) => Date.parse(at)))).toISOString();
}
