import type { Commentary } from '@kpi/features/monthly-returns';

/** A commentary as one cell: what happened, then what is being done (or when it was erased). */
export function commentaryText(commentary: Commentary | undefined): string | undefined {
  if (!commentary) return undefined;
  const text = (value: Commentary['whatHappened']) =>
    typeof value === 'string' ? value : `erased on ${value.erasedOn}`;
  return `What happened: ${text(commentary.whatHappened)} — What is being done: ${text(commentary.whatIsBeingDone)}`;
}
