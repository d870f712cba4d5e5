import { loadState, type EntityId } from '@kpi/command-handling';
import {
  kpiFrameworkDecider,
  NotFoundError,
  previousPeriod,
  streamIds,
  type BonusRule,
  type FrameworkVersion,
  type IndicatorDefinition,
  type KpiFrameworkState,
  type Period,
} from '@kpi/domain';
import { FeatureQuery, type Queryable, type QueryReading } from '@kpi/projections';
import { frameworkVersionChanges, type FrameworkVersionChanges } from './framework-changes';

/** One version as read back: the months it judges and what it judges them by. */
export interface FrameworkVersionView {
  version: number;
  name: string;
  effectiveFrom: Period;
  /** The last month it judges (the month before the next version's); null while it is the latest. */
  effectiveUntil: Period | null;
  indicators: IndicatorDefinition[];
  bonusRule: BonusRule | null;
}

/** A framework as read back: its versions in the order they were published. */
export interface FrameworkView {
  frameworkId: string;
  /** The latest version's name. */
  name: string;
  versions: FrameworkVersionView[];
}

export interface FrameworkParams {
  frameworkId: EntityId;
}

export interface FrameworkVersionParams extends FrameworkParams {
  version: number;
}

export interface FrameworkChangesParams extends FrameworkParams {
  from: number;
  to: number;
}

/** A framework of the tenant and all its versions (404 for none, another tenant's alike). */
export class ReadKpiFramework extends FeatureQuery<FrameworkParams, FrameworkView> {}

/** One version of a framework (404 naming the framework or the version). */
export class ReadKpiFrameworkVersion extends FeatureQuery<
  FrameworkVersionParams,
  FrameworkVersionView
> {}

/** What changed from one version of a framework to another. */
export class ReadKpiFrameworkChanges extends FeatureQuery<
  FrameworkChangesParams,
  FrameworkVersionChanges
> {}

/** The framework from its own stream (the event store: always current). */
export async function readKpiFramework(
  _db: Queryable,
  tenantId: string,
  { frameworkId }: FrameworkParams,
  { store }: QueryReading,
): Promise<FrameworkView> {
  const state = await frameworkOf(store, tenantId, frameworkId);
  const versions = state.versions.map((v, i) => versionView(v, state.versions[i + 1]));
  return { frameworkId, name: versions[versions.length - 1]!.name, versions };
}

export async function readKpiFrameworkVersion(
  _db: Queryable,
  tenantId: string,
  { frameworkId, version }: FrameworkVersionParams,
  { store }: QueryReading,
): Promise<FrameworkVersionView> {
  const state = await frameworkOf(store, tenantId, frameworkId);
  return versionOf(state, frameworkId, version);
}

export async function readKpiFrameworkChanges(
  _db: Queryable,
  tenantId: string,
  { frameworkId, from, to }: FrameworkChangesParams,
  { store }: QueryReading,
): Promise<FrameworkVersionChanges> {
  const state = await frameworkOf(store, tenantId, frameworkId);
  return frameworkVersionChanges(
    versionOf(state, frameworkId, from),
    versionOf(state, frameworkId, to),
  );
}

async function frameworkOf(
  store: QueryReading['store'],
  tenantId: string,
  frameworkId: string,
): Promise<KpiFrameworkState> {
  const state = await loadState(
    { store },
    streamIds.kpiFramework(tenantId, frameworkId),
    kpiFrameworkDecider,
  );
  if (state.versions.length === 0) throw new NotFoundError(`No KPI framework ${frameworkId}`);
  return state;
}

function versionOf(
  state: KpiFrameworkState,
  frameworkId: string,
  version: number,
): FrameworkVersionView {
  const at = state.versions.findIndex((v) => v.version === version);
  if (at < 0) {
    throw new NotFoundError(
      `KPI framework ${frameworkId} has no version ${version} (it has 1 to ${state.versions.length})`,
    );
  }
  return versionView(state.versions[at]!, state.versions[at + 1]);
}

function versionView(
  { version, name, effectiveFrom, indicators, bonusRule }: FrameworkVersion,
  next: FrameworkVersion | undefined,
): FrameworkVersionView {
  return {
    version,
    name,
    effectiveFrom,
    effectiveUntil: next ? previousPeriod(next.effectiveFrom) : null,
    indicators,
    bonusRule,
  };
}
