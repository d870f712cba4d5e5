import { ENTITY_ID } from '../event-types';
import type { Decider } from '../shared/decider';
import { parseCalendarDate } from '../shared/calendar-date';
import { ConflictError, InvalidCommandError, type FieldProblem } from '../shared/domain-errors';
import { londonDateOf } from '../shared/period';
import type { SupervisionCommand } from './supervision.commands';
import {
  SUPERVISION_KINDS,
  type CapabilityItem,
  type SupervisionEvent,
  type SupervisionKind,
} from './supervision.events';

/** The supervision sessions one person received. */
export interface SupervisionState {
  sessions: { supervisionId: string; date: string; kind: SupervisionKind }[];
}

export const MAX_CAPABILITY_ITEMS = 50;
const INDICATOR_CODE = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;

export const supervisionDecider: Decider<SupervisionCommand, SupervisionState, SupervisionEvent> = {
  initialState: () => ({ sessions: [] }),

  decide(command, state) {
    const { supervisionId, superviseeId, recordedBy, now } = command.data;
    if (state.sessions.some((s) => s.supervisionId === supervisionId)) {
      throw new ConflictError(`Supervision ${supervisionId} is already recorded`);
    }
    const problems: FieldProblem[] = [];
    const supervisorId = command.data.supervisorId;
    if (typeof supervisorId !== 'string' || !ENTITY_ID.test(supervisorId)) {
      problems.push({
        field: 'supervisorId',
        reason: 'must be 1 to 63 lowercase letters, digits or -, starting with a letter or digit',
      });
    } else if (supervisorId === superviseeId) {
      problems.push({ field: 'supervisorId', reason: 'must be someone other than the supervisee' });
    }
    let date: string | undefined;
    try {
      date = parseCalendarDate(command.data.date, 'date');
      if (date > londonDateOf(now)) {
        problems.push({
          field: 'date',
          reason: `is in the future (today is ${londonDateOf(now)})`,
        });
      }
    } catch (error) {
      if (!(error instanceof InvalidCommandError)) throw error;
      problems.push(...error.problems);
    }
    const kind = command.data.kind;
    if (!(SUPERVISION_KINDS as readonly unknown[]).includes(kind)) {
      problems.push({ field: 'kind', reason: `must be one of ${SUPERVISION_KINDS.join(', ')}` });
    }
    const capabilityItems = readItems(command.data.capabilityItems, problems);
    if (problems.length > 0) throw new InvalidCommandError(problems);
    return [
      {
        type: 'SupervisionRecorded',
        data: {
          supervisionId,
          superviseeId,
          supervisorId: supervisorId as string,
          date: date!,
          kind: kind as SupervisionKind,
          capabilityItems,
          recordedBy,
          recordedAt: now.toISOString(),
        },
      },
    ];
  },

  evolve(state, event) {
    switch (event.type) {
      case 'SupervisionRecorded':
        return {
          sessions: [
            ...state.sessions,
            {
              supervisionId: event.data.supervisionId,
              date: event.data.date,
              kind: event.data.kind,
            },
          ],
        };
      default: {
        const unexpected: never = event.type;
        return unexpected;
      }
    }
  },
};

function readItems(raw: unknown, problems: FieldProblem[]): CapabilityItem[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.length > MAX_CAPABILITY_ITEMS) {
    problems.push({
      field: 'capabilityItems',
      reason: `must be a list of up to ${MAX_CAPABILITY_ITEMS} { serviceId, indicatorCode }`,
    });
    return [];
  }
  const items: CapabilityItem[] = [];
  raw.forEach((item: unknown, index) => {
    const { serviceId, indicatorCode } = (
      typeof item === 'object' && item !== null ? item : {}
    ) as Record<string, unknown>;
    if (typeof serviceId !== 'string' || !ENTITY_ID.test(serviceId)) {
      problems.push({
        field: `capabilityItems[${index}].serviceId`,
        reason: 'must be a service id',
      });
    } else if (typeof indicatorCode !== 'string' || !INDICATOR_CODE.test(indicatorCode)) {
      problems.push({
        field: `capabilityItems[${index}].indicatorCode`,
        reason: 'must be an indicator code',
      });
    } else if (items.some((i) => i.serviceId === serviceId && i.indicatorCode === indicatorCode)) {
      problems.push({ field: `capabilityItems[${index}]`, reason: 'is listed twice' });
    } else items.push({ serviceId, indicatorCode });
  });
  return items;
}
