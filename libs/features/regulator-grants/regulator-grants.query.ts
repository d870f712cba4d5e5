import { loadState } from '@kpi/command-handling';
import { NotFoundError, streamIds, tenantOfStreamId } from '@kpi/domain';
import type { ReadStreamOptions } from '@kpi/event-store';
import { FeatureQuery, type Queryable, type QueryReading } from '@kpi/projections';
import { narrowedToPeriod, periodInstants, streamInScope } from './grant-scope';
import { grantStatusAt, regulatorGrantDecider } from './regulator-grant.decider';
import type { GrantPeriod, GrantScope } from './regulator-grant.events';
import { regulatorGrantsProjection } from './regulator-grants.projection';
import { grantViewAt, type RegulatorGrantView } from './regulator-grant-view';

export interface RegulatorGrantList {
  grants: RegulatorGrantView[];
}

/** The grants the tenant has made, newest first, each with its status now. */
export class ListRegulatorGrants extends FeatureQuery<Record<string, never>, RegulatorGrantList> {}

/** The grants made to the tenant (a regulator organisation) that are active now. */
export class ListGrantsHeld extends FeatureQuery<Record<string, never>, RegulatorGrantList> {}

export interface OpenGrantedStreamParams {
  grantId: string;
  streamId: string;
  /** How the reader asked to read the stream (versions, time, direction, count). */
  requested: ReadStreamOptions;
}

/** A stream opened to a regulator under a grant: whose it is, and the read within the period. */
export interface GrantedStream {
  grantId: string;
  /** The tenant whose trail it is: the audit read runs as this tenant, under the grant. */
  grantorTenantId: string;
  options: ReadStreamOptions;
}

/**
 * Opens a stream of a grantor's trail to a regulator organisation under a grant, or refuses
 * (GrantRefusedError).
 */
export class OpenGrantedStream extends FeatureQuery<OpenGrantedStreamParams, GrantedStream> {}

/**
 * A read under a grant refused, for whatever reason — no such grant, a grant to another
 * organisation, revoked, expired, a stream outside its scope or begun after its period —
 * answered alike as a stream that does not exist (404), so nothing says whether the grant or
 * the stream exists. `grantorTenantId` (when the grant exists) says whose access log records it.
 */
export class GrantRefusedError extends NotFoundError {
  /** `what` is what was asked for under the grant, as the 404 names it: `stream "<id>"`. */
  constructor(
    what: string,
    grantId: string,
    readonly grantorTenantId: string | null,
  ) {
    super(`No ${what} was found under grant ${grantId}`);
  }
}

export interface OpenGrantParams {
  grantId: string;
  /** What is asked for under the grant, for the 404 of a refusal: `export`, `export "<id>"`. */
  what: string;
}

/** A grant checked for its holder: whose trail it opens, which services, which days. */
export interface OpenedGrant {
  grantId: string;
  grantorTenantId: string;
  scope: GrantScope;
  period: GrantPeriod;
}

/**
 * A grant made to the reader's organisation and active now (an export under it), or refused
 * (GrantRefusedError) alike for every reason.
 */
export class OpenGrant extends FeatureQuery<OpenGrantParams, OpenedGrant> {}

export async function readRegulatorGrants(
  db: Queryable,
  tenantId: string,
  _params: Record<string, never>,
  { now }: Pick<QueryReading, 'now'>,
): Promise<RegulatorGrantList> {
  const rows = await regulatorGrantsProjection.rows(
    db,
    'grantor_tenant_id = $1',
    [tenantId],
    'granted_at DESC, grant_id',
  );
  return { grants: rows.map((row) => grantViewAt(row, now)) };
}

export async function readGrantsHeld(
  db: Queryable,
  tenantId: string,
  _params: Record<string, never>,
  { now }: Pick<QueryReading, 'now'>,
): Promise<RegulatorGrantList> {
  const rows = await regulatorGrantsProjection.rows(
    db,
    'regulator_tenant_id = $1 AND revoked_at IS NULL AND expires_at > $2',
    [tenantId, now],
    'expires_at, grantor_tenant_id, grant_id',
  );
  return { grants: rows.map((row) => grantViewAt(row, now)) };
}

/**
 * The checks of a read under a grant, in order: the grant is open to the reader (`openGrant`);
 * the stream is the grantor's (its id and its first event say so), in the grant's scope, and
 * began before the period's end. The read is then narrowed to the events recorded in the period.
 */
export async function openGrantedStream(
  db: Queryable,
  readerTenantId: string,
  { grantId, streamId, requested }: OpenGrantedStreamParams,
  reading: Pick<QueryReading, 'store' | 'now'>,
): Promise<GrantedStream> {
  const what = `stream "${streamId}"`;
  const grant = await openGrant(db, readerTenantId, { grantId, what }, reading);
  const { grantorTenantId } = grant;
  const refused = () => new GrantRefusedError(what, grantId, grantorTenantId);
  if (tenantOfStreamId(streamId) !== grantorTenantId) throw refused();
  const [first] = await reading.store.readStream(streamId, { maxCount: 1 });
  if (
    !first ||
    first.metadata.tenantId !== grantorTenantId ||
    !streamInScope(grant.scope, streamId, first) ||
    first.recordedAt >= periodInstants(grant.period).end
  ) {
    throw refused();
  }
  return {
    grantId,
    grantorTenantId,
    options: await narrowedToPeriod(reading.store, streamId, requested, grant.period),
  };
}

/**
 * The checks of anything done under a grant, in order: the grant exists (its grantor found by
 * its id in the read model), was made to the reader's tenant and is active now — judged on the
 * grant's own stream, so a revocation counts at once.
 */
export async function openGrant(
  db: Queryable,
  readerTenantId: string,
  { grantId, what }: OpenGrantParams,
  { store, now }: Pick<QueryReading, 'store' | 'now'>,
): Promise<OpenedGrant> {
  const found = await regulatorGrantsProjection.rows(db, 'grant_id = $1', [grantId]);
  const row = found.find((r) => r.regulatorTenantId === readerTenantId) ?? found[0];
  if (!row) throw new GrantRefusedError(what, grantId, null);
  const grantorTenantId = row.grantorTenantId;
  const state = await loadState(
    { store },
    streamIds.regulatorGrant(grantorTenantId, grantId),
    regulatorGrantDecider,
  );
  const grant = state.grant;
  if (
    !grant ||
    grant.regulatorTenantId !== readerTenantId ||
    grantStatusAt({ expiresAt: grant.expiresAt, revokedAt: state.revokedAt }, now) !== 'active'
  ) {
    throw new GrantRefusedError(what, grantId, grantorTenantId);
  }
  return { grantId, grantorTenantId, scope: grant.scope, period: grant.period };
}
