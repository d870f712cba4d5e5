import { FeatureCommand, type EntityId } from '@kpi/command-handling';
import type { GrantPeriod } from './regulator-grant.events';
import type { RegulatorGrantView } from './regulator-grant-view';

/*
 * The grant commands. Formats (ids, dates, the expiry's date-time) are checked at the edge;
 * the rules that relate fields to each other or to now (not your own organisation, the period
 * in order, an expiry after now) by the decider, which names the field.
 */

export interface GrantRegulatorAccessInput {
  /** The regulator organisation's tenant id. */
  regulatorTenantId: string;
  /** The services the grant opens; null opens the whole organisation. */
  serviceIds: EntityId[] | null;
  period: GrantPeriod;
  expiresAt: Date;
  reference: string;
}

/** A grant as the command left it; `replayed` when it was a retry that wrote nothing. */
export type GrantAnswer = RegulatorGrantView & { replayed: boolean };

/** An organisation's admin grants a regulator organisation read access to its trail. */
export class GrantRegulatorAccess extends FeatureCommand<GrantRegulatorAccessInput, GrantAnswer> {}

/** An organisation's admin withdraws a grant: it opens nothing from now on. */
export class RevokeRegulatorAccess extends FeatureCommand<{ grantId: EntityId }, GrantAnswer> {}
