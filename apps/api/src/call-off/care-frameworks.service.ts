import { frameworkViewer } from '@kpi/command-handling';
import { contractYearOn, londonDateOf, rotationFrom } from '@kpi/domain';
import type { EventStore } from '@kpi/event-store';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { CLOCK, EVENT_STORE, PG_POOL } from '../infrastructure/injection-tokens';
import type { CareFrameworkViewDto } from './care-frameworks.dto';

/** A council's frameworks (read model care-frameworks), with the access rule of every call-off read. */
@Injectable()
export class CareFrameworksService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  async get(
    tenantId: string,
    councilId: string,
    frameworkId: string,
  ): Promise<CareFrameworkViewDto> {
    const { framework, viewer } = await frameworkViewer(
      { store: this.store, tenantId },
      councilId,
      frameworkId,
    );
    const { rows } = await this.pool.query<{ packages_referred: number }>(
      'SELECT packages_referred FROM rm_care_frameworks WHERE tenant_id = $1 AND framework_id = $2',
      [councilId, frameworkId],
    );
    const referred = rows[0]?.packages_referred ?? 0;
    const today = londonDateOf(this.clock());
    const council = viewer.kind === 'council';
    return {
      frameworkId,
      name: framework.name,
      contractStartDate: framework.contractStartDate,
      contractYear: contractYearOn(framework.contractStartDate, today),
      providers: council ? framework.providers : [viewer.providerId],
      packagesReferred: council ? referred : 0,
      nextFirstRefusal: council ? rotationFrom(framework.providers, referred).firstRefusal : null,
    };
  }
}
