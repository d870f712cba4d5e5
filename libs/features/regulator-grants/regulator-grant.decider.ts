import {
  ConflictError,
  InvalidCommandError,
  NotFoundError,
  type Decider,
  type FieldProblem,
} from '@kpi/domain';
import type {
  GrantPeriod,
  GrantScope,
  RegulatorAccessGranted,
  RegulatorGrantEvent,
} from './regulator-grant.events';

export type RegulatorGrantCommand =
  | {
      type: 'GrantRegulatorAccess';
      data: {
        grantId: string;
        grantorTenantId: string;
        regulatorTenantId: string;
        scope: GrantScope;
        period: GrantPeriod;
        expiresAt: Date;
        reference: string;
        grantedBy: string;
        now: Date;
      };
    }
  | { type: 'RevokeRegulatorAccess'; data: { grantId: string; revokedBy: string; now: Date } };

/** The terms of a grant as it was made. */
export type GrantTerms = RegulatorAccessGranted['data'];

/**
 * One grant: `granted` from the moment it is made (it opens nothing once `expiresAt` has
 * passed: {@link grantStatusAt}), `revoked` for good once the organisation withdraws it.
 */
export interface RegulatorGrantState {
  status: 'none' | 'granted' | 'revoked';
  grant: GrantTerms | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

/** What a grant opens at an instant: everything in its terms, or nothing any more. */
export type GrantStatus = 'active' | 'expired' | 'revoked';

/** A grant's status at `now`: revoked, expired (at and after `expiresAt`) or active. */
export function grantStatusAt(
  grant: { expiresAt: string; revokedAt: string | null },
  now: Date,
): GrantStatus {
  if (grant.revokedAt !== null) return 'revoked';
  return now.getTime() >= Date.parse(grant.expiresAt) ? 'expired' : 'active';
}

export const regulatorGrantDecider: Decider<
  RegulatorGrantCommand,
  RegulatorGrantState,
  RegulatorGrantEvent
> = {
  initialState: () => ({ status: 'none', grant: null, revokedAt: null, revokedBy: null }),

  decide(command, state) {
    switch (command.type) {
      case 'GrantRegulatorAccess': {
        if (state.status !== 'none') throw new ConflictError('This grant has been made already');
        const { grantId, regulatorTenantId, scope, period, expiresAt, reference, grantedBy, now } =
          command.data;
        const problems = grantProblems(command.data);
        if (problems.length > 0) throw new InvalidCommandError(problems);
        return [
          {
            type: 'RegulatorAccessGranted',
            data: {
              grantId,
              regulatorTenantId,
              scope:
                scope.kind === 'services'
                  ? { kind: 'services', serviceIds: [...new Set(scope.serviceIds)] }
                  : scope,
              period,
              expiresAt: expiresAt.toISOString(),
              reference,
              grantedBy,
              grantedAt: now.toISOString(),
            },
          },
        ];
      }
      case 'RevokeRegulatorAccess': {
        const { grantId, revokedBy, now } = command.data;
        if (state.status === 'none') throw new NotFoundError(`No grant ${grantId}`);
        if (state.status === 'revoked') return [];
        return [
          {
            type: 'RegulatorAccessRevoked',
            data: { grantId, revokedBy, revokedAt: now.toISOString() },
          },
        ];
      }
      default: {
        const unknown: never = command;
        throw new Error(`Unknown command ${JSON.stringify(unknown)}`);
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'RegulatorAccessGranted':
        return { status: 'granted', grant: event.data, revokedAt: null, revokedBy: null };
      case 'RegulatorAccessRevoked':
        return {
          ...state,
          status: 'revoked',
          revokedAt: event.data.revokedAt,
          revokedBy: event.data.revokedBy,
        };
      default: {
        const unknown: never = event;
        throw new Error(`Unknown event ${JSON.stringify(unknown)}`);
      }
    }
  },
};

/** What is wrong with a grant's terms, each named by its field (empty when nothing is). */
function grantProblems({
  grantorTenantId,
  regulatorTenantId,
  scope,
  period,
  expiresAt,
  now,
}: Extract<RegulatorGrantCommand, { type: 'GrantRegulatorAccess' }>['data']): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (regulatorTenantId === grantorTenantId) {
    problems.push({
      field: 'regulatorTenantId',
      reason: 'must be another organisation than yours (the regulator’s tenant id)',
    });
  }
  if (scope.kind === 'services' && scope.serviceIds.length === 0) {
    problems.push({
      field: 'serviceIds',
      reason: 'name at least one service, or leave it out to grant the whole organisation',
    });
  }
  if (period.to < period.from) {
    problems.push({
      field: 'period.to',
      reason: `must not be before period.from (${period.from})`,
    });
  }
  if (expiresAt.getTime() <= now.getTime()) {
    problems.push({ field: 'expiresAt', reason: `must be after now (${now.toISOString()})` });
  }
  return problems;
}
