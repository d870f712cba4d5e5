import { loadState, registeredService } from '@kpi/command-handling';
import {
  kpiFrameworkDecider,
  NotFoundError,
  returnDueDate,
  streamIds,
  versionInForce,
  type IndicatorDefinition,
  type Period,
} from '@kpi/domain';
import { FeatureQuery, type Queryable, type QueryReading } from '@kpi/projections';

export interface ReturnFormParams {
  serviceId: string;
  period: Period;
}

/** What a return for a service's month asks for: the indicators of the version in force. */
export interface ReturnForm {
  serviceId: string;
  serviceName: string;
  regionId: string;
  period: Period;
  /** `YYYY-MM-DD`: the 20th of the following month. */
  dueDate: string;
  frameworkId: string;
  frameworkVersion: number;
  frameworkName: string;
  indicators: IndicatorDefinition[];
}

/** The questions of a service's return for a month (a form, a template, a checklist). */
export class ReadReturnForm extends FeatureQuery<ReturnFormParams, ReturnForm> {}

/**
 * The indicators a return for the month must give, as the framework version in force for that
 * month defines them: the same version `submitMonthlyReturn` judges the return by. Another
 * tenant's service, or none, is not found; so is a month with no version in force.
 */
export async function readReturnForm(
  _db: Queryable,
  tenantId: string,
  { serviceId, period }: ReturnFormParams,
  { store }: Pick<QueryReading, 'store'>,
): Promise<ReturnForm> {
  const service = await registeredService({ store, tenantId }, serviceId);
  const framework = await loadState(
    { store },
    streamIds.kpiFramework(tenantId, service.frameworkId),
    kpiFrameworkDecider,
  );
  const version = versionInForce(framework, period);
  if (!version) {
    throw new NotFoundError(`KPI framework ${service.frameworkId} has no version for ${period}`);
  }
  return {
    serviceId,
    serviceName: service.name,
    regionId: service.regionId,
    period,
    dueDate: returnDueDate(period),
    frameworkId: service.frameworkId,
    frameworkVersion: version.version,
    frameworkName: version.name,
    indicators: version.indicators,
  };
}
