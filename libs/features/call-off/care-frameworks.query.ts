import { frameworkViewer, type EntityId } from '@kpi/command-handling';
import { contractYearOn, londonDateOf, rotationFrom } from '@kpi/domain';
import { FeatureQuery, type Queryable } from '@kpi/projections';
import type { CallOffReading } from './call-off-reads';
import { careFrameworksProjection } from './care-call-off.projection';

export interface CareFrameworkParams {
  councilId: EntityId;
  frameworkId: EntityId;
}

/** A framework as its reader may see it: the council sees the rotation, a provider only itself. */
export interface CareFrameworkView {
  frameworkId: string;
  name: string;
  contractStartDate: string;
  /** The contract year in force today (London); null before the contract starts. */
  contractYear: number | null;
  /** The providers in rotation order (a provider sees only itself). */
  providers: string[];
  /** Packages referred so far (the council only; 0 for a provider). */
  packagesReferred: number;
  /** Whose first refusal the next package will be (the council only). */
  nextFirstRefusal: string | null;
}

/** One of a council's frameworks, for the council or a provider on it (404 for anyone else). */
export class ReadCareFramework extends FeatureQuery<CareFrameworkParams, CareFrameworkView> {}

/**
 * The framework from its stream (which also says who may read it), with how many packages were
 * referred from the read model care-frameworks (moments behind).
 */
export async function readCareFramework(
  db: Queryable,
  tenantId: string,
  { councilId, frameworkId }: CareFrameworkParams,
  { store, now }: CallOffReading,
): Promise<CareFrameworkView> {
  const { framework, viewer } = await frameworkViewer({ store, tenantId }, councilId, frameworkId);
  const [row] = await careFrameworksProjection.rows(db, 'tenant_id = $1 AND framework_id = $2', [
    councilId,
    frameworkId,
  ]);
  const referred = row?.packagesReferred ?? 0;
  const council = viewer.kind === 'council';
  return {
    frameworkId,
    name: framework.name,
    contractStartDate: framework.contractStartDate,
    contractYear: contractYearOn(framework.contractStartDate, londonDateOf(now)),
    providers: council ? framework.providers : [viewer.providerId],
    packagesReferred: council ? referred : 0,
    nextFirstRefusal: council ? rotationFrom(framework.providers, referred).firstRefusal : null,
  };
}

/** A council's framework in the list of its own frameworks. */
export interface CareFrameworkListed {
  frameworkId: string;
  name: string;
  contractStartDate: string;
  providers: string[];
  packagesReferred: number;
}

/** The caller's council's own frameworks (read model care-frameworks), by name. */
export class ListCareFrameworks extends FeatureQuery<
  Record<string, never>,
  CareFrameworkListed[]
> {}

/** Only the caller's own tenant's frameworks: a provider has none of its own, so none. */
export async function listCareFrameworks(
  db: Queryable,
  tenantId: string,
): Promise<CareFrameworkListed[]> {
  const rows = await careFrameworksProjection.rows(db, 'tenant_id = $1', [tenantId], 'name');
  return rows.map(({ frameworkId, name, contractStartDate, providers, packagesReferred }) => ({
    frameworkId,
    name,
    contractStartDate,
    providers,
    packagesReferred,
  }));
}
