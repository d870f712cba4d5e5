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
  /** Packages referred so far, with the rotation each got (the next starts at their count). */
  referred: Map<string, CallOffRotation>;
}

/**
 * A framework's rotation (seed 004 §45: "first refusal of a new package on a rotational basis"):
 * the n-th package referred (from 0) goes first to provider n mod count, then to the one after
 * it, then to all the rest. One stream per framework, appended at its expected version, so two
 * packages referred at once never share a turn.
 */
export const callOffRotationDecider: Decider<
  ReferCarePackage,
  CallOffRotationState,
  CallOffRotationEvent
> = {
  initialState: () => ({ referred: new Map() }),

  decide(command, { referred }) {
    const { frameworkId, packageId, providers, now } = command.data;
    if (referred.has(packageId))
      throw new ConflictError(`Package ${packageId} is already referred`, { packageId });
    if (providers.length === 0) throw new Error(`Framework ${frameworkId} has no providers`);
    const rotationPosition = referred.size;
    return [
      {
        type: 'CarePackageReferred',
        data: {
          frameworkId,
          packageId,
          rotationPosition,
          rotation: rotationFrom(providers, rotationPosition),
          referredAt: now.toISOString(),
        },
      },
    ];
  },

  evolve(state, event) {
    const referred = new Map(state.referred);
    referred.set(event.data.packageId, event.data.rotation);
    return { referred };
  },
};
