import type { Principal } from '@kpi/auth';
import { accountIdOf, ACTION_PLANNERS, type Role } from '@kpi/domain';

/*
 * Who may see and change which actions (docs/decisions/0039), for the API and the pages alike.
 */

/** Whether the caller may change anyone's action (else only those they own). */
export const mayManageActions = (principal: Principal): boolean =>
  principal.roles.some((role) => ACTION_PLANNERS.includes(role));

/** Roles that read every action of the organisation; the others read only their own. */
const READERS_OF_EVERY_ACTION: readonly Role[] = [...ACTION_PLANNERS, 'regulator'];

/** The owner the caller is limited to, when they may read only their own actions. */
export const onlyOwnActionsOf = (principal: Principal): string | undefined =>
  principal.roles.some((role) => READERS_OF_EVERY_ACTION.includes(role))
    ? undefined
    : accountIdOf(principal.userId);
