import { requiredText } from '../shared/command-fields';
import { ConflictError, InvalidCommandError, type FieldProblem } from '../shared/domain-errors';

/**
 * What the capacity return and the quarterly return share (docs/provider-returns.md): one
 * return per provider per framework per month or quarter, submitted once — a second is refused
 * (409) naming the first — then corrected by amendments, each giving every figure again with
 * a reason. The deciders keep what differs: what a return covers and what its figures are.
 */

export const MAX_PROVIDER_RETURN_REASON = 2000;

/** A count in a return: a whole number, 0 or more. */
export const isWholeNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * A second submission for the same month or quarter (409): `lead` says whose and for when; the
 * details name the first, so the provider can amend it instead.
 */
export function alreadyReturned(
  lead: string,
  covers: { providerId: string } & ({ period: string } | { quarter: string }),
  first: { submittedAt: string; submittedBy: string },
): ConflictError {
  return new ConflictError(`${lead} (submitted ${first.submittedAt}); amend it instead`, {
    existingReturn: { ...covers, submittedAt: first.submittedAt, submittedBy: first.submittedBy },
  });
}

/**
 * The figures and reason of an amendment to a submitted return, checked: every problem with
 * either at once (400), then 409 when the figures are those the return already holds.
 */
export function checkedAmendment<Figures>(amendment: {
  /** Reads the figures as typed, adding a problem per wrong field. */
  readFigures(problems: FieldProblem[]): Figures | undefined;
  reason: unknown;
  current: Figures;
  same(a: Figures, b: Figures): boolean;
  /** The return amended, to start the 409: `The capacity return of bryn-care for 2026-05`. */
  returnName: string;
}): { figures: Figures; reason: string } {
  const problems: FieldProblem[] = [];
  const figures = amendment.readFigures(problems);
  const reason = requiredText(
    amendment.reason,
    'reason',
    MAX_PROVIDER_RETURN_REASON,
    problems,
    `is required: why the figures change (1 to ${MAX_PROVIDER_RETURN_REASON} characters)`,
  );
  if (problems.length > 0 || figures === undefined || reason === undefined)
    throw new InvalidCommandError(problems);
  if (amendment.same(figures, amendment.current)) {
    throw new ConflictError(
      `${amendment.returnName} already holds these figures: the amendment changes nothing`,
      { currentFigures: amendment.current },
    );
  }
  return { figures, reason };
}
