import type { Decider } from '../shared/decider';
import {
  ConflictError,
  InvalidCommandError,
  NotFoundError,
  type FieldProblem,
} from '../shared/domain-errors';
import type { ComplaintCommand } from './complaint.commands';
import {
  COMPLAINT_CATEGORIES,
  COMPLAINT_FINDINGS,
  type Complainant,
  type ComplaintCategory,
  type ComplaintEvent,
  type ComplaintFinding,
} from './complaint.events';
import { optionalText, pastDate, requiredText } from '../shared/command-fields';
import { DATA_SUBJECT_ID_RULE, isDataSubjectId } from '../data-subject/personal-data';

/**
 * One complaint, as far as it has gone: logged, then acknowledged and responded to.
 * `subjectId` is the complainant as a data subject (null for a complaint logged before personal
 * data was kept apart): the response is sealed under their key.
 */
export interface ComplaintState {
  complaint: {
    complaintId: string;
    serviceId: string;
    subjectId: string | null;
    receivedOn: string;
    responseDueOn: string;
    acknowledgedOn: string | null;
    respondedOn: string | null;
  } | null;
}

export const MAX_COMPLAINT_SUMMARY = 4000;
const MAX_ESCALATION_ROUTE = 1000;
const MAX_COMPLAINANT_PART = 200;
const MAX_COMPLAINANT_CONTACT = 500;
const COMPLAINANT_FIELDS = ['subjectId', 'relationship', 'name', 'contact'];

export const complaintDecider: Decider<ComplaintCommand, ComplaintState, ComplaintEvent> = {
  initialState: () => ({ complaint: null }),

  decide(command, { complaint }) {
    switch (command.type) {
      case 'LogComplaint': {
        const { complaintId, serviceId, loggedBy, now } = command.data;
        if (complaint) throw new ConflictError(`Complaint ${complaintId} is already logged`);
        const problems: FieldProblem[] = [];
        const receivedOn = pastDate(command.data.receivedOn, 'receivedOn', now, problems);
        const category = command.data.category;
        if (!(COMPLAINT_CATEGORIES as readonly unknown[]).includes(category)) {
          problems.push({
            field: 'category',
            reason: `must be one of ${COMPLAINT_CATEGORIES.join(', ')}`,
          });
        }
        const summary = requiredText(
          command.data.summary,
          'summary',
          MAX_COMPLAINT_SUMMARY,
          problems,
        );
        const complainant = readComplainant(
          command.data.complainant,
          command.data.newSubjectId,
          problems,
        );
        if (problems.length > 0) throw new InvalidCommandError(problems);
        return [
          {
            type: 'ComplaintLogged',
            data: {
              complaintId,
              serviceId,
              receivedOn: receivedOn!,
              category: category as ComplaintCategory,
              summary: summary!,
              complainant,
              acknowledgementDueOn: command.data.acknowledgementDueOn,
              responseDueOn: command.data.responseDueOn,
              loggedBy,
              loggedAt: now.toISOString(),
            },
          },
        ];
      }

      case 'AcknowledgeComplaint': {
        const { complaintId, acknowledgedBy, now } = command.data;
        if (!complaint) throw new NotFoundError(`No complaint ${complaintId}`);
        if (complaint.acknowledgedOn) {
          throw new ConflictError(
            `Complaint ${complaintId} was already acknowledged on ${complaint.acknowledgedOn}`,
            { acknowledgedOn: complaint.acknowledgedOn },
          );
        }
        const problems: FieldProblem[] = [];
        const acknowledgedOn = pastDate(
          command.data.acknowledgedOn,
          'acknowledgedOn',
          now,
          problems,
          { date: complaint.receivedOn, what: 'the complaint was received' },
        );
        if (acknowledgedOn && complaint.respondedOn && acknowledgedOn > complaint.respondedOn) {
          problems.push({
            field: 'acknowledgedOn',
            reason: `is after the response (${complaint.respondedOn})`,
          });
        }
        if (problems.length > 0) throw new InvalidCommandError(problems);
        return [
          {
            type: 'ComplaintAcknowledged',
            data: {
              complaintId,
              acknowledgedOn: acknowledgedOn!,
              acknowledgedBy,
              recordedAt: now.toISOString(),
            },
          },
        ];
      }

      case 'RespondToComplaint': {
        const { complaintId, respondedBy, now } = command.data;
        if (!complaint) throw new NotFoundError(`No complaint ${complaintId}`);
        if (complaint.respondedOn) {
          throw new ConflictError(
            `Complaint ${complaintId} was already responded to on ${complaint.respondedOn}`,
            { respondedOn: complaint.respondedOn },
          );
        }
        const problems: FieldProblem[] = [];
        const respondedOn = pastDate(command.data.respondedOn, 'respondedOn', now, problems, {
          date: complaint.receivedOn,
          what: 'the complaint was received',
        });
        const summary = requiredText(
          command.data.summary,
          'summary',
          MAX_COMPLAINT_SUMMARY,
          problems,
        );
        const escalationRoute = requiredText(
          command.data.escalationRoute,
          'escalationRoute',
          MAX_ESCALATION_ROUTE,
          problems,
          `is required: the response must tell the complainant how to escalate if not satisfied (e.g. to the Local Government and Social Care Ombudsman), 1 to ${MAX_ESCALATION_ROUTE} characters`,
        );
        const upheld = command.data.upheld;
        if (!(COMPLAINT_FINDINGS as readonly unknown[]).includes(upheld)) {
          problems.push({
            field: 'upheld',
            reason: `must be one of ${COMPLAINT_FINDINGS.join(', ')}`,
          });
        }
        if (problems.length > 0) throw new InvalidCommandError(problems);
        return [
          {
            type: 'ComplaintResponded',
            data: {
              complaintId,
              respondedOn: respondedOn!,
              summary: summary!,
              escalationRoute: escalationRoute!,
              upheld: upheld as ComplaintFinding,
              respondedBy,
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
      case 'ComplaintLogged':
        return {
          complaint: {
            complaintId: event.data.complaintId,
            serviceId: event.data.serviceId,
            subjectId: event.data.complainant.subjectId,
            receivedOn: event.data.receivedOn,
            responseDueOn: event.data.responseDueOn,
            acknowledgedOn: null,
            respondedOn: null,
          },
        };
      case 'ComplaintAcknowledged':
        return state.complaint
          ? { complaint: { ...state.complaint, acknowledgedOn: event.data.acknowledgedOn } }
          : state;
      case 'ComplaintResponded':
        return state.complaint
          ? { complaint: { ...state.complaint, respondedOn: event.data.respondedOn } }
          : state;
      default: {
        const unexpected: never = event;
        return unexpected;
      }
    }
  },
};

/**
 * Who complained, as far as they said: their data subject id (a new one unless the request names
 * one), the relationship, and their name and contact details (sealed before they are stored).
 */
function readComplainant(
  raw: unknown,
  newSubjectId: string,
  problems: FieldProblem[],
): Complainant {
  const anonymous: Complainant = {
    subjectId: newSubjectId,
    relationship: null,
    name: null,
    contact: null,
  };
  if (raw === undefined || raw === null) return anonymous;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({
      field: 'complainant',
      reason: 'must be { subjectId?, relationship?, name?, contact? }, or left out',
    });
    return anonymous;
  }
  const given = raw as Record<string, unknown>;
  for (const field of Object.keys(given).filter((f) => !COMPLAINANT_FIELDS.includes(f))) {
    problems.push({
      field: `complainant.${field}`,
      reason: `is not a known field here (${COMPLAINANT_FIELDS.join(', ')})`,
    });
  }
  let subjectId = newSubjectId;
  if (given.subjectId !== undefined && given.subjectId !== null) {
    if (isDataSubjectId(given.subjectId)) subjectId = given.subjectId;
    else problems.push({ field: 'complainant.subjectId', reason: DATA_SUBJECT_ID_RULE });
  }
  const text = (field: string, max: number) =>
    optionalText(given[field], `complainant.${field}`, max, problems);
  return {
    subjectId,
    relationship: text('relationship', MAX_COMPLAINANT_PART),
    name: text('name', MAX_COMPLAINANT_PART),
    contact: text('contact', MAX_COMPLAINANT_CONTACT),
  };
}
