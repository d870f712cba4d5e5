import type { InvalidCommandError } from '@kpi/domain';
import type { RaiseRiskInput } from '@kpi/features/risks';
import { formText, type FormBody } from '../sign-in/form-text';

/** The risk register's "raise a risk" form, as typed. */
export interface RiskForm {
  title: string;
  owner: string;
  category: string;
  inherentLikelihood: string;
  inherentImpact: string;
  residualLikelihood: string;
  residualImpact: string;
  controls: string;
  reviewOn: string;
}

const FIELDS = [
  'title',
  'owner',
  'category',
  'inherentLikelihood',
  'inherentImpact',
  'residualLikelihood',
  'residualImpact',
  'controls',
  'reviewOn',
] as const;

export const readRiskForm = (body: FormBody | undefined): RiskForm =>
  Object.fromEntries(FIELDS.map((field) => [field, formText(body, field)])) as unknown as RiskForm;

/** A whole number as typed, or the text itself (the decider names it: 1 to 5). */
const rating = (text: string): number =>
  /^\d+$/.test(text.trim()) ? Number(text) : (text as unknown as number);

/** The command of the form: the decider checks every field and names it. */
export function raiseRiskInput(form: RiskForm): RaiseRiskInput {
  return {
    title: form.title,
    owner: form.owner,
    category: form.category,
    inherent: { likelihood: rating(form.inherentLikelihood), impact: rating(form.inherentImpact) },
    residual: { likelihood: rating(form.residualLikelihood), impact: rating(form.residualImpact) },
    controls: form.controls,
    reviewOn: form.reviewOn,
  };
}

const LABELS: Record<string, [field: string, label: string]> = {
  title: ['title', 'Risk'],
  owner: ['owner', 'Owner'],
  category: ['category', 'Category'],
  'inherent.likelihood': ['inherentLikelihood', 'Likelihood before controls'],
  'inherent.impact': ['inherentImpact', 'Impact before controls'],
  'residual.likelihood': ['residualLikelihood', 'Likelihood after controls'],
  'residual.impact': ['residualImpact', 'Impact after controls'],
  residual: ['residualLikelihood', 'After controls, the risk'],
  controls: ['controls', 'Controls'],
  reviewOn: ['reviewOn', 'Review date'],
};

/** The decider's field problems as the form's fields and words. */
export function riskFormErrorsOf(error: InvalidCommandError): Record<string, string> {
  const errorOf: Record<string, string> = {};
  for (const { field, reason } of error.problems) {
    const [name, label] = LABELS[field] ?? [field, field];
    errorOf[name] ??= `${label} ${reason}`;
  }
  return errorOf;
}
