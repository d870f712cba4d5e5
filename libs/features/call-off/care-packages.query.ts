import { frameworkViewer, type EntityId } from '@kpi/command-handling';
import {
  carePackageDecider,
  NotFoundError,
  offerMovesBy,
  type CarePackage,
  type CarePackageEvent,
  type CurrentOffer,
} from '@kpi/domain';
import { FeatureQuery, type Queryable } from '@kpi/projections';
import type { CallOffReading } from './call-off-reads';
import { carePackagesProjection, type CarePackageStatus } from './care-call-off.projection';

/** How many packages a list returns at most (newest first). */
const LIST_LIMIT = 500;

export interface CarePackagesParams {
  councilId: EntityId;
  frameworkId: EntityId;
}

export interface CarePackageParams {
  councilId: EntityId;
  packageId: EntityId;
}

/** A package as its reader may see it: all of it for the council, its own part for a provider. */
export interface CarePackageView {
  packageId: string;
  frameworkId: string;
  urgent: boolean;
  startDate: string;
  registeredAt: string;
  heldUntil: string | null;
  status: CarePackageStatus;
  /** The offer now (windows that have closed have moved on). */
  currentOffer: CurrentOffer | null;
  /** Every offer made (a provider sees only those made to it). */
  offers: CurrentOffer[];
  declined: { providerId: string; declinedAt: string }[];
  acceptedBy: string | null;
  acceptedAt: string | null;
  familyContactedAt: string | null;
  careStartedOn: string | null;
}

/** The packages of a framework its reader may see, newest first (at most 500). */
export class ListCarePackages extends FeatureQuery<CarePackagesParams, CarePackageView[]> {}

/** One package, for the council or the provider it is offered to or placed with (else 404). */
export class ReadCarePackage extends FeatureQuery<CarePackageParams, CarePackageView> {}

/*
 * Packages as their readers may see them (read model care-packages), with the offer as it
 * stands *now*: a window that has closed has moved on even if the timer has not recorded it
 * yet. The council sees every package; a provider sees those offered to it now or placed with
 * it, and never which other provider took one.
 */

export async function listCarePackages(
  db: Queryable,
  tenantId: string,
  { councilId, frameworkId }: CarePackagesParams,
  { store, now }: CallOffReading,
): Promise<CarePackageView[]> {
  const { viewer } = await frameworkViewer({ store, tenantId }, councilId, frameworkId);
  const rows = await carePackagesProjection.rows(
    db,
    'tenant_id = $1 AND framework_id = $2',
    [councilId, frameworkId],
    `registered_at DESC LIMIT ${LIST_LIMIT}`,
  );
  const providerId = viewer.kind === 'council' ? null : viewer.providerId;
  return rows
    .map((row) => viewOf(asOf(row.state, now), providerId, now))
    .filter((view): view is CarePackageView => view !== null);
}

export async function readCarePackage(
  db: Queryable,
  tenantId: string,
  { councilId, packageId }: CarePackageParams,
  { store, now }: CallOffReading,
): Promise<CarePackageView> {
  const [row] = await carePackagesProjection.rows(db, 'tenant_id = $1 AND package_id = $2', [
    councilId,
    packageId,
  ]);
  const missing = new NotFoundError(`No care package ${packageId}`);
  if (!row) throw missing;
  const { viewer } = await frameworkViewer({ store, tenantId }, councilId, row.frameworkId);
  const view = viewOf(
    asOf(row.state, now),
    viewer.kind === 'council' ? null : viewer.providerId,
    now,
  );
  if (!view) throw missing;
  return view;
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
function viewOf(pkg: CarePackage, providerId: string | null, now: Date): CarePackageView | null {
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
    currentOffer: offeredNow ? { ...current, providers: [providerId] } : null,
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
