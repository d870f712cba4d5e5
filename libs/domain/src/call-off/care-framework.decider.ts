import { ENTITY_ID } from '../event-types';
import { parseCalendarDate } from '../shared/calendar-date';
import type { Decider } from '../shared/decider';
import {
  ConflictError,
  InvalidCommandError,
  NotFoundError,
  type FieldProblem,
} from '../shared/domain-errors';
import { requiredText } from '../shared/command-fields';
import type { CallOffRotation, CareFrameworkEvent } from './call-off.events';

export interface EstablishCareFramework {
  type: 'EstablishCareFramework';
  data: {
    frameworkId: string;
    /** The council's own tenant id: it cannot be a provider on its own framework. */
    councilId: string;
    name: unknown;
    contractStartDate: unknown;
    providers: unknown;
    establishedBy: string;
    now: Date;
  };
}

export interface AddProviderToCareFramework {
  type: 'AddProviderToCareFramework';
  data: { frameworkId: string; providerId: string; addedBy: string; now: Date };
}

export type CareFrameworkCommand = EstablishCareFramework | AddProviderToCareFramework;

export interface CareFrameworkState {
  framework: {
    frameworkId: string;
    name: string;
    contractStartDate: string;
    /** Rotation order. */
    providers: string[];
  } | null;
}

const MAX_NAME = 200;
const MAX_PROVIDERS = 100;

/**
 * A framework agreement: the providers in rotation order and the contract start
 * date its contract years count from. Packages take their turn of the rotation on a stream of
 * their own ({@link callOffRotationDecider}), so this one stays short: every access check reads it.
 */
export const careFrameworkDecider: Decider<
  CareFrameworkCommand,
  CareFrameworkState,
  CareFrameworkEvent
> = {
  initialState: () => ({ framework: null }),

  decide(command, { framework }) {
    switch (command.type) {
      case 'EstablishCareFramework': {
        const { frameworkId, councilId, establishedBy, now } = command.data;
        if (framework) throw new ConflictError(`Framework ${frameworkId} is already established`);
        const problems: FieldProblem[] = [];
        const name = requiredText(command.data.name, 'name', MAX_NAME, problems);
        let contractStartDate: string | undefined;
        try {
          contractStartDate = parseCalendarDate(
            command.data.contractStartDate,
            'contractStartDate',
          );
        } catch (error) {
          if (!(error instanceof InvalidCommandError)) throw error;
          problems.push(...error.problems);
        }
        const providers = readProviders(command.data.providers, councilId, problems);
        if (problems.length > 0) throw new InvalidCommandError(problems);
        return [
          {
            type: 'CareFrameworkEstablished',
            data: {
              frameworkId,
              name: name!,
              contractStartDate: contractStartDate!,
              providers: providers!,
              establishedBy,
              establishedAt: now.toISOString(),
            },
          },
        ];
      }

      case 'AddProviderToCareFramework': {
        const { frameworkId, providerId, addedBy, now } = command.data;
        if (!framework) throw new NotFoundError(`No framework ${frameworkId}`);
        if (framework.providers.includes(providerId))
          throw new ConflictError(`${providerId} is already on framework ${frameworkId}`);
        if (framework.providers.length >= MAX_PROVIDERS)
          throw InvalidCommandError.of(
            'providerId',
            `a framework holds at most ${MAX_PROVIDERS} providers`,
          );
        return [
          {
            type: 'CareFrameworkProviderAdded',
            data: { frameworkId, providerId, addedBy, addedAt: now.toISOString() },
          },
        ];
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'CareFrameworkEstablished':
        return {
          framework: {
            frameworkId: event.data.frameworkId,
            name: event.data.name,
            contractStartDate: event.data.contractStartDate,
            providers: [...event.data.providers],
          },
        };
      case 'CareFrameworkProviderAdded':
        return state.framework
          ? {
              framework: {
                ...state.framework,
                providers: [...state.framework.providers, event.data.providerId],
              },
            }
          : state;
    }
  },
};

/** The rotation for the package at `position`: first refusal, the next, then the rest in order. */
export function rotationFrom(providers: readonly string[], position: number): CallOffRotation {
  const count = providers.length;
  const inTurn = providers.map((_, i) => providers[(position + i) % count]!);
  return { firstRefusal: inTurn[0]!, second: inTurn[1] ?? null, others: inTurn.slice(2) };
}

function readProviders(
  value: unknown,
  councilId: string,
  problems: FieldProblem[],
): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_PROVIDERS) {
    problems.push({
      field: 'providers',
      reason: `must list 1 to ${MAX_PROVIDERS} provider organisation ids, in rotation order`,
    });
    return undefined;
  }
  const seen = new Set<string>();
  value.forEach((provider, index) => {
    const field = `providers[${index}]`;
    if (typeof provider !== 'string' || !ENTITY_ID.test(provider)) {
      problems.push({ field, reason: 'must be a provider organisation id (a lowercase slug)' });
    } else if (provider === councilId) {
      problems.push({ field, reason: 'is the council itself, not a provider' });
    } else if (seen.has(provider)) {
      problems.push({
        field,
        reason: `repeats ${provider}: each provider has one place in the rotation`,
      });
    } else seen.add(provider);
  });
  return value as string[];
}
