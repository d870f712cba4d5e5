/**
 * Errors a decider throws when a command cannot be carried out. The API maps them to
 * problem+json: InvalidCommand → 400 naming the field, Forbidden → 403, NotFound → 404,
 * Conflict → 409.
 */
export abstract class DomainError extends Error {
  abstract readonly kind: 'invalid-command' | 'forbidden' | 'not-found' | 'conflict';
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export interface FieldProblem {
  /** Where in the command: `values.EDU`, `period`. */
  field: string;
  reason: string;
}

/** The command is malformed or breaks a rule about its own content. */
export class InvalidCommandError extends DomainError {
  readonly kind = 'invalid-command';
  constructor(readonly problems: readonly FieldProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.reason}`).join('; '));
  }

  static of(field: string, reason: string): InvalidCommandError {
    return new InvalidCommandError([{ field, reason }]);
  }
}

/**
 * The asker may not do or read this (403), as opposed to being told it does not exist (404):
 * e.g. a council member without a performance-reading role, a provider asking for the league table.
 */
export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
}

/** The command is about something that does not exist (yet). */
export class NotFoundError extends DomainError {
  readonly kind = 'not-found';
}

/** The command conflicts with what has already happened (e.g. a second return for a month). */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
  constructor(
    message: string,
    /** What it conflicts with, for the client: `{ existingReturn: … }`. */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}
