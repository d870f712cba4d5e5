import type { Decider } from '../shared/decider';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-errors';
import type { FieldProblem } from '../shared/domain-errors';
import type { PersonalText } from '../data-subject/personal-data';
import type { EvidenceCommand } from './evidence.commands';
import type { EvidenceEvent, EvidenceTarget, PersonalEvidence } from './evidence.events';
import type { EvidenceMediaType } from './evidence-file.policy';

/** One file attached, as its evidence list shows it. */
export interface AttachedEvidence {
  evidenceId: string;
  sha256: string;
  size: number;
  mediaType: EvidenceMediaType;
  fileName: PersonalText | null;
  personalData: PersonalEvidence | null;
  attachedBy: string;
  attachedAt: string;
  /** Null while attached. */
  detachedAt: string | null;
}

/** The evidence of one thing (a return, a complaint, a review, an action), in attaching order. */
export interface EvidenceState {
  /** What the evidence is of; null before the first file. */
  target: EvidenceTarget | null;
  attachments: AttachedEvidence[];
}

export const MAX_EVIDENCE_FILE_NAME = 255;

export const evidenceDecider: Decider<EvidenceCommand, EvidenceState, EvidenceEvent> = {
  initialState: () => ({ target: null, attachments: [] }),

  decide(command, { target, attachments }) {
    switch (command.type) {
      case 'AttachEvidence': {
        const { evidenceId, attachedTo, sha256, size, mediaType, personalSubjectId } = command.data;
        if (attachments.some((a) => a.evidenceId === evidenceId)) {
          throw new ConflictError(`Evidence ${evidenceId} is attached already`, { evidenceId });
        }
        const same = attachments.find((a) => a.sha256 === sha256 && a.detachedAt === null);
        if (same) {
          throw new ConflictError(
            `The same file (SHA-256 ${sha256}) is attached here already, as ${same.evidenceId}`,
            { evidenceId: same.evidenceId },
          );
        }
        const problems: FieldProblem[] = [];
        const fileName = readFileName(command.data.fileName, problems);
        if (problems.length > 0) throw new InvalidCommandError(problems);
        return [
          {
            type: 'EvidenceAttached',
            data: {
              evidenceId,
              attachedTo,
              sha256,
              size,
              mediaType,
              fileName,
              // The use case seals the bytes under the subject and puts the reference here.
              personalData: personalSubjectId
                ? { subjectId: personalSubjectId, content: null }
                : null,
              attachedBy: command.data.attachedBy,
              attachedAt: command.data.now.toISOString(),
            },
          },
        ];
      }

      case 'DetachEvidence': {
        const { evidenceId, detachedBy, now } = command.data;
        const attached = attachments.find((a) => a.evidenceId === evidenceId);
        if (!attached || !target) throw new NotFoundError(`No evidence ${evidenceId} here`);
        if (attached.detachedAt) {
          throw new ConflictError(
            `Evidence ${evidenceId} was detached already at ${attached.detachedAt}`,
            { detachedAt: attached.detachedAt },
          );
        }
        return [
          {
            type: 'EvidenceDetached',
            data: {
              evidenceId,
              attachedTo: target,
              detachedBy,
              detachedAt: now.toISOString(),
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
      case 'EvidenceAttached': {
        const { attachedTo, ...attached } = event.data;
        return {
          target: state.target ?? attachedTo,
          attachments: [...state.attachments, { ...attached, detachedAt: null }],
        };
      }
      case 'EvidenceDetached':
        return {
          ...state,
          attachments: state.attachments.map((a) =>
            a.evidenceId === event.data.evidenceId
              ? { ...a, detachedAt: event.data.detachedAt }
              : a,
          ),
        };
      default: {
        const unexpected: never = event;
        return unexpected;
      }
    }
  },
};

/** A file's name: optional, up to 255 characters, a name and not a path. */
function readFileName(value: unknown, problems: FieldProblem[]): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (
    typeof value !== 'string' ||
    value.trim() === '' ||
    value.length > MAX_EVIDENCE_FILE_NAME ||
    // eslint-disable-next-line no-control-regex -- control characters are what it refuses
    /[/\\\u0000-\u001f\u007f]/.test(value)
  ) {
    problems.push({
      field: 'fileName',
      reason: `must be a file name of 1 to ${MAX_EVIDENCE_FILE_NAME} characters, without / or \\ or control characters`,
    });
    return null;
  }
  return value.trim();
}
