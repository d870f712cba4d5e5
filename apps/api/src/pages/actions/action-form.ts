import type { InvalidCommandError, SupportKind } from '@kpi/domain';
import type { PlanActionInput } from '@kpi/features/actions';
import { formText, type FormBody } from '../sign-in/form-text';

/** The support kinds as a page offers them. */
export const SUPPORT_KIND_CHOICES = [
  { value: 'training', text: 'Training' },
  { value: 'mentoring', text: 'Mentoring' },
  { value: 'developmental-task', text: 'Developmental task' },
] as const satisfies readonly { value: SupportKind; text: string }[];

export const SUPPORT_KIND_TEXT: Record<string, string> = Object.fromEntries(
  SUPPORT_KIND_CHOICES.map(({ value, text }) => [value, text]),
);

/** The support plan's "add an action" form, as typed. */
export interface SupportActionForm {
  title: string;
  owner: string;
  supportKind: string;
  startOn: string;
  dueOn: string;
  description: string;
}

export function readSupportActionForm(
  body: FormBody | undefined,
  defaultOwner: string,
): SupportActionForm {
  return {
    title: formText(body, 'title'),
    owner: formText(body, 'owner') || defaultOwner,
    supportKind: formText(body, 'supportKind'),
    startOn: formText(body, 'startOn'),
    dueOn: formText(body, 'dueOn'),
    description: formText(body, 'description'),
  };
}

/** The command of a support plan's form: the decider checks every field and names it. */
export function supportActionInput(
  form: SupportActionForm,
  managerId: string,
  entryId: string,
): PlanActionInput {
  return {
    title: form.title,
    owner: form.owner,
    startOn: form.startOn,
    dueOn: form.dueOn,
    target: { kind: 'capability-stage', managerId, entryId, supportKind: form.supportKind },
    description: form.description === '' ? null : form.description,
  };
}

/** The decider's field problems as the form's: `target.supportKind` is the form's supportKind. */
export function formErrorsOf(error: InvalidCommandError): Record<string, string> {
  const errorOf: Record<string, string> = {};
  for (const { field, reason } of error.problems) {
    const name = field.replace(/^target\./, '');
    errorOf[name] ??= `${LABELS[name] ?? name} ${reason}`;
  }
  return errorOf;
}

const LABELS: Record<string, string> = {
  title: 'Title',
  owner: 'Owner',
  supportKind: 'Support',
  startOn: 'Start date',
  dueOn: 'Due date',
  description: 'Description',
};
