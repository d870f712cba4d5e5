import type { ActionListed } from '@kpi/features/actions';
import { randomUUID } from 'node:crypto';
import { formText, type FormBody } from '../sign-in/form-text';
import { SUPPORT_KIND_TEXT } from './action-form';

/*
 * What the action pages share: an action as a row of a table, the support plan's address, and
 * a form's idempotency key.
 */

const STATUS_TAG: Record<ActionListed['status'], { text: string; classes: string }> = {
  planned: { text: 'Planned', classes: 'govuk-tag--grey' },
  'in-progress': { text: 'In progress', classes: 'govuk-tag--blue' },
  completed: { text: 'Completed', classes: 'govuk-tag--green' },
  cancelled: { text: 'Cancelled', classes: 'govuk-tag--grey' },
};

/** An action as a row of a page's table. */
export function actionRow(action: ActionListed) {
  return {
    ...action,
    href: `/app/actions/${encodeURIComponent(action.actionId)}`,
    statusTag: STATUS_TAG[action.status],
    supportText: action.supportKind ? SUPPORT_KIND_TEXT[action.supportKind] : null,
    actsOn: actsOn(action.target),
  };
}

/** What an action acts on, in words, with a link to it when a page shows it. */
function actsOn(target: ActionListed['target']): { text: string; href: string | null } {
  switch (target.kind) {
    case 'capability-stage':
      return {
        text: `The support plan of ${target.managerId} (${target.entryId})`,
        href: supportPlanPath(target.managerId, target.entryId),
      };
    case 'indicator':
      return {
        text: `${target.indicatorCode} missed at ${target.serviceId} in ${target.period}`,
        href: null,
      };
    case 'objective':
      return { text: `Business-plan objective: ${target.reference}`, href: null };
    case 'complaint':
      return { text: `What complaint ${target.complaintId} taught`, href: null };
    case 'audit-finding':
      return { text: `Audit finding ${target.findingId}`, href: null };
    default: {
      const unexpected: never = target;
      return unexpected;
    }
  }
}

export const supportPlanPath = (managerId: string, entryId: string) =>
  `/app/capability/managers/${encodeURIComponent(managerId)}/timeline/${encodeURIComponent(entryId)}/support-plan`;

/** The form's idempotency key (a double submit is one command), or a new one. */
export const keyOf = (body: FormBody): string => formText(body, '_formKey') || randomUUID();
