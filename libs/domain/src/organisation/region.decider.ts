import type { Decider } from '../shared/decider';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-errors';

/** A region of the provider, led by a regional manager who completes its homes' returns. */
export interface RegionRegistered {
  type: 'RegionRegistered';
  data: {
    regionId: string;
    name: string;
    regionalManagerId: string;
    registeredBy: string;
    registeredAt: string;
  };
}

export interface RegionalManagerAssigned {
  type: 'RegionalManagerAssigned';
  data: { regionId: string; regionalManagerId: string; assignedBy: string; assignedAt: string };
}

export type RegionEvent = RegionRegistered | RegionalManagerAssigned;

export interface RegisterRegion {
  type: 'RegisterRegion';
  data: {
    regionId: string;
    name: unknown;
    regionalManagerId: string;
    registeredBy: string;
    now: Date;
  };
}

export interface AssignRegionalManager {
  type: 'AssignRegionalManager';
  data: { regionId: string; regionalManagerId: string; assignedBy: string; now: Date };
}

export type RegionCommand = RegisterRegion | AssignRegionalManager;

export type RegionState =
  | { status: 'none' }
  | { status: 'registered'; regionId: string; name: string; regionalManagerId: string };

export const regionDecider: Decider<RegionCommand, RegionState, RegionEvent> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    switch (command.type) {
      case 'RegisterRegion': {
        const { regionId, name, regionalManagerId, registeredBy, now } = command.data;
        if (state.status === 'registered')
          throw new ConflictError(`Region ${regionId} is already registered`);
        if (typeof name !== 'string' || name.trim() === '' || name.length > 200) {
          throw InvalidCommandError.of('name', 'is required: 1 to 200 characters');
        }
        return [
          {
            type: 'RegionRegistered',
            data: {
              regionId,
              name: name.trim(),
              regionalManagerId,
              registeredBy,
              registeredAt: now.toISOString(),
            },
          },
        ];
      }
      case 'AssignRegionalManager': {
        const { regionId, regionalManagerId, assignedBy, now } = command.data;
        if (state.status !== 'registered') throw new NotFoundError(`No region ${regionId}`);
        if (state.regionalManagerId === regionalManagerId) return [];
        return [
          {
            type: 'RegionalManagerAssigned',
            data: { regionId, regionalManagerId, assignedBy, assignedAt: now.toISOString() },
          },
        ];
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'RegionRegistered':
        return {
          status: 'registered',
          regionId: event.data.regionId,
          name: event.data.name,
          regionalManagerId: event.data.regionalManagerId,
        };
      case 'RegionalManagerAssigned':
        return state.status === 'registered'
          ? { ...state, regionalManagerId: event.data.regionalManagerId }
          : state;
      default: {
        const unexpected: never = event;
        return unexpected;
      }
    }
  },
};
