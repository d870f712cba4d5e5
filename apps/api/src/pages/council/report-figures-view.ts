import type { IndicatorUnit } from '@kpi/domain';

/** A RAG status in words beside its GOV.UK tag colour: the colour is never the only sign. */
export interface RagView {
  text: string;
  tagClass: string;
}

const RAG_VIEWS: Record<string, RagView> = {
  red: { text: 'Red', tagClass: 'govuk-tag--red' },
  amber: { text: 'Amber', tagClass: 'govuk-tag--orange' },
  green: { text: 'Green', tagClass: 'govuk-tag--green' },
  grey: { text: 'Not judged', tagClass: 'govuk-tag--grey' },
};

/** The RAG of a figure as the page shows it; null when the figure was not judged. */
export function ragView(rag: string | null | undefined): RagView | null {
  return rag ? (RAG_VIEWS[rag] ?? { text: rag, tagClass: 'govuk-tag--grey' }) : null;
}

const TRAVEL_TEXT: Record<string, string> = {
  better: 'Better',
  same: 'Same',
  worse: 'Worse',
};

/** A direction of travel in words ("Better"), or an empty cell without one. */
export const travelText = (travel: string | null | undefined): string =>
  travel ? (TRAVEL_TEXT[travel] ?? travel) : '';

/** A number as a table shows it: up to one decimal place, a percentage with its sign. */
export function numberText(value: number | null | undefined, unit?: IndicatorUnit): string {
  if (value === null || value === undefined) return '';
  const rounded = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return unit === 'ratio' || unit === 'percentage' ? `${rounded}%` : rounded;
}

/**
 * A value of a report as given: a number, yes/no, a ratio n/d, a breakdown by its total, or
 * "n/a (reason)"; empty without a return.
 */
export function valueText(value: unknown, unit?: IndicatorUnit): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return numberText(value, unit === 'ratio' ? undefined : unit);
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  const v = value as {
    notApplicable?: true;
    reason?: string;
    numerator?: number;
    denominator?: number;
    total?: number;
  };
  if (v.notApplicable) return `n/a${v.reason ? ` (${v.reason})` : ''}`;
  if (v.total !== undefined) return String(v.total);
  if (v.numerator !== undefined) return `${v.numerator}/${v.denominator}`;
  return '';
}
