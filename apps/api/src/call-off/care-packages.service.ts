import { frameworkViewer } from '@kpi/command-handling';
import {
  carePackageDecider,
  offerMovesBy,
  type CarePackage,
  type CarePackageEvent,
  type CurrentOffer,
} from '@kpi/domain';
import type { EventStore } from '@kpi/event-store';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Pool } from 'pg';
import { CLOCK, EVENT_STORE, PG_POOL } from '../infrastructure/injection-tokens';
import type { CarePackageViewDto } from './care-packages.dto';

/** How many packages a list returns at most (newest first). */
const LIST_LIMIT = 500;

/**
 * Packages as their readers may see them (read model care-packages), with the offer as it
 * stands *now*: a window that has closed has moved on even if the timer has not recorded it
 * yet. The council sees every package; a provider sees those offered to it now or placed with
 * it, and never which other provider took one.
 */
@Injectable()
export class CarePackagesService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  async list(
    tenantId: string,
    councilId: string,
    frameworkId: string,
  ): Promise<CarePackageViewDto[]> {
    const { viewer } = await frameworkViewer(
      { store: this.store, tenantId },
      councilId,
      frameworkId,
    );
    const { rows } = await this.pool.query<{ state: CarePackage }>(
      `SELECT state FROM rm_care_packages WHERE tenant_id = $1 AND framework_id = $2
        ORDER BY registered_at DESC LIMIT ${LIST_LIMIT}`,
      [councilId, frameworkId],
    );
    const now = this.clock();
    const views = rows.map((row) =>
      viewOf(asOf(row.state, now), viewer.kind === 'council' ? null : viewer.providerId, now),
    );
    return views.filter((view): view is CarePackageViewDto => view !== null);
  }

  async get(tenantId: string, councilId: string, packageId: string): Promise<CarePackageViewDto> {
    const { rows } = await this.pool.query<{ state: CarePackage; framework_id: string }>(
      'SELECT state, framework_id FROM rm_care_packages WHERE tenant_id = $1 AND package_id = $2',
      [councilId, packageId],
    );
    const row = rows[0];
    const missing = new NotFoundException(`No care package ${packageId}`);
    if (!row) throw missing;
    const { viewer } = await frameworkViewer(
      { store: this.store, tenantId },
      councilId,
      row.framework_id,
    );
    const now = this.clock();
    const view = viewOf(
      asOf(row.state, now),
      viewer.kind === 'council' ? null : viewer.providerId,
      now,
    );
    if (!view) throw missing;
    return view;
  }
}

/** The package with the offers that are due by `now` applied (what the timer will record). */
function asOf(pkg: CarePackage, now: Date): CarePackage {
  return offerMovesBy(pkg, now).reduce(
    (state, event) =>
      carePackageDecider.evolve({ package: state }, event as CarePackageEvent).package!,
    pkg,
  );
}

/** The council's view (`providerId` null), or a provider's — null when it may not see the package. */
function viewOf(pkg: CarePackage, providerId: string | null, now: Date): CarePackageViewDto | null {
  const current: CurrentOffer | null =
    pkg.accepted || pkg.unplacedAt ? null : (pkg.offers[pkg.offers.length - 1] ?? null);
  const status = pkg.accepted ? 'accepted' : pkg.unplacedAt ? 'unplaced' : 'offered';
  const base = {
    packageId: pkg.packageId,
    frameworkId: pkg.frameworkId,
    urgent: pkg.urgent,
    startDate: pkg.startDate,
    registeredAt: pkg.registeredAt,
    heldUntil: pkg.heldUntil,
  };
  if (providerId === null) {
    return {
      ...base,
      status,
      currentOffer: current,
      offers: pkg.offers,
      declined: Object.entries(pkg.declined).map(([provider, at]) => ({
        providerId: provider,
        declinedAt: at,
      })),
      acceptedBy: pkg.accepted?.providerId ?? null,
      acceptedAt: pkg.accepted?.acceptedAt ?? null,
      familyContactedAt: pkg.familyContactedAt,
      careStartedOn: pkg.careStartedOn,
    };
  }
  const mine = pkg.accepted?.providerId === providerId;
  const offeredNow =
    current !== null &&
    current.providers.includes(providerId) &&
    !(providerId in pkg.declined) &&
    (current.closesAt === null || now.toISOString() < current.closesAt);
  if (!mine && !offeredNow) return null;
  return {
    ...base,
    status: mine ? 'accepted' : 'offered',
    currentOffer: offeredNow ? { ...current!, providers: [providerId] } : null,
    offers: pkg.offers
      .filter((offer) => offer.providers.includes(providerId))
      .map((offer) => ({ ...offer, providers: [providerId] })),
    declined: [],
    acceptedBy: mine ? providerId : null,
    acceptedAt: mine ? pkg.accepted!.acceptedAt : null,
    familyContactedAt: mine ? pkg.familyContactedAt : null,
    careStartedOn: mine ? pkg.careStartedOn : null,
  };
}
