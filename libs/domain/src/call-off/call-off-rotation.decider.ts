import type { Decider } from '../shared/decider';
import { ConflictError } from '../shared/domain-errors';
import type { CallOffRotation, CallOffRotationEvent } from './call-off.events';
import { rotationFrom } from './care-framework.decider';

export interface ReferCarePackage {
  type: 'ReferCarePackage';
  data: {
    frameworkId: string;
    packageId: string;
    /** The framework's providers now, in rotation order (from its stream). */
    providers: readonly string[];
    now: Date;
  };
}

export interface CallOffRotationState {
  /** The turn the next package takes: one after the last referral's. */
  nextPosition: number;
  /** The referrals folded (the stream's most recent ones), by package, with their rotation. */
  referred: Map<string, CallOffRotation>;
}

/**
 * A framework's rotation (providers get first refusal of new packages in turn):
 * the n-th package referred (from 0) goes first to provider n mod count, then to the one after
 * it, then to all the rest. One stream per framework, appended at its expected version, so two
 * packages referred at once never share a turn.
 *
 * The state folds from any tail of the stream (the next turn follows the last referral's), so a
 * referral reads only the most recent ones however long the framework has run.
 */
export const callOffRotationDecider: Decider<
  ReferCarePackage,
  CallOffRotationState,
  CallOffRotationEvent
> = {
  initialState: () => ({ nextPosition: 0, referred: new Map() }),

  decide(command, { nextPosition, referred }) {
    const { frameworkId, packageId, providers, now } = command.data;
    if (referred.has(packageId))
      throw new ConflictError(`Package ${packageId} is already referred`, { packageId });
    if (providers.length === 0) throw new Error(`Framework ${frameworkId} has no providers`);
    return [
      {
        type: 'CarePackageReferred',
        data: {
          frameworkId,
          packageId,
          rotationPosition: nextPosition,
          rotation: rotationFrom(providers, nextPosition),
          referredAt: now.toISOString(),
        },
      },
    ];
  },

  evolve(state, event) {
    const referred = new Map(state.referred);
    referred.set(event.data.packageId, event.data.rotation);
    return { nextPosition: event.data.rotationPosition + 1, referred };
  },
};
