import type { Decider } from '../shared/decider';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-errors';
import type { Period } from '../shared/period';
import type { DataQualityAuditCommand } from './data-quality-audit.commands';
import type { DataQualityAuditEvent, DataQualityFinding } from './data-quality-audit.events';
import { seededSample } from './seeded-sample';

/** A data-quality audit: its sample of a month's returns and the finding of each, so far. */
export type DataQualityAuditState =
  | { status: 'none' }
  | {
      status: 'drawn';
      auditId: string;
      period: Period;
      sample: string[];
      /** Service id → its latest finding. */
      findings: Record<string, DataQualityFinding>;
    };

export const dataQualityAuditDecider: Decider<
  DataQualityAuditCommand,
  DataQualityAuditState,
  DataQualityAuditEvent
> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    switch (command.type) {
      case 'DrawAuditSample': {
        const { auditId, period, method, drawnBy, now } = command.data;
        if (state.status !== 'none') {
          throw new ConflictError(`Audit ${auditId} has drawn its sample already`, {
            auditId,
            period: state.period,
          });
        }
        const population = [...new Set(command.data.population)].sort();
        if (population.length === 0) {
          throw InvalidCommandError.of('period', `no return for ${period} has been submitted`);
        }
        let sample: string[];
        if (method.kind === 'random') {
          if (
            !Number.isInteger(method.size) ||
            method.size < 1 ||
            method.size > population.length
          ) {
            throw InvalidCommandError.of(
              'random.size',
              `must be a whole number from 1 to ${population.length} (the returns for ${period})`,
            );
          }
          sample = seededSample(population, method.size, method.seed);
        } else {
          sample = [...new Set(method.serviceIds)];
          const missing = sample.filter((id) => !population.includes(id));
          if (sample.length === 0 || missing.length > 0) {
            throw InvalidCommandError.of(
              'serviceIds',
              sample.length === 0
                ? 'must name at least one service'
                : `${missing.join(', ')} ${missing.length === 1 ? 'has' : 'have'} no return for ${period}`,
            );
          }
        }
        return [
          {
            type: 'DataQualitySampleDrawn',
            data: {
              auditId,
              period,
              method: method.kind,
              seed: method.kind === 'random' ? method.seed : null,
              population,
              sample,
              drawnBy,
              drawnAt: now.toISOString(),
            },
          },
        ];
      }

      case 'RecordAuditFinding': {
        const { auditId, findingId, serviceId, finding, recordedBy, now } = command.data;
        if (state.status === 'none') throw new NotFoundError(`There is no audit ${auditId}`);
        if (!state.sample.includes(serviceId)) {
          throw InvalidCommandError.of(
            'serviceId',
            `${serviceId}'s return for ${state.period} is not in audit ${auditId}'s sample`,
          );
        }
        const before = state.findings[serviceId];
        if (before === 'confirmed' || before === 'corrected') {
          throw new ConflictError(
            `${serviceId}'s return was found ${before} already in audit ${auditId}`,
            { findingId, finding: before },
          );
        }
        if (before === 'queried' && finding === 'queried') {
          throw new ConflictError(
            `${serviceId}'s return is queried already: record it confirmed or corrected once answered`,
            { findingId, finding: before },
          );
        }
        let amendment: { eventId: string; amendmentNumber: number } | null = null;
        if (finding === 'corrected') {
          amendment =
            command.data.amendments.find((a) => a.eventId === command.data.amendmentEventId) ??
            null;
          if (!amendment) {
            throw InvalidCommandError.of(
              'amendmentEventId',
              command.data.amendmentEventId
                ? `is not an amendment of ${serviceId}'s return for ${state.period}`
                : 'is required: the event id of the amendment that corrected the return',
            );
          }
        }
        const query = command.data.query?.trim() ?? '';
        if (finding === 'queried' && query === '') {
          throw InvalidCommandError.of('query', 'is required for a queried return: what is asked');
        }
        return [
          {
            type: 'DataQualityFindingRecorded',
            data: {
              auditId,
              findingId,
              serviceId,
              period: state.period,
              finding,
              amendmentEventId: amendment?.eventId ?? null,
              amendmentNumber: amendment?.amendmentNumber ?? null,
              checked: command.data.checked.trim(),
              query: finding === 'queried' ? query : null,
              recordedBy,
              recordedAt: now.toISOString(),
            },
          },
        ];
      }

      default: {
        const unexpected: never = command;
        return unexpected;
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'DataQualitySampleDrawn':
        return {
          status: 'drawn',
          auditId: event.data.auditId,
          period: event.data.period,
          sample: event.data.sample,
          findings: {},
        };
      case 'DataQualityFindingRecorded':
        if (state.status !== 'drawn') return state;
        return {
          ...state,
          findings: { ...state.findings, [event.data.serviceId]: event.data.finding },
        };
      default: {
        const unexpected: never = event;
        return unexpected;
      }
    }
  },
};
