import {
  addActionMilestone,
  AddActionMilestone,
  cancelAction,
  CancelAction,
  completeAction,
  CompleteAction,
  listActions,
  ListActions,
  markActionMilestoneDone,
  MarkActionMilestoneDone,
  noteActionProgress,
  NoteActionProgress,
  planAction,
  PlanAction,
  readAction,
  ReadAction,
  reassignAction,
  ReassignAction,
  redateAction,
  RedateAction,
  startAction,
  StartAction,
} from '@kpi/features/actions';
import { commandHandler, queryHandler } from '../http/buses';
import { commandHandlerWithVault, queryHandlerWithVault } from '../http/vault-handlers';

/** The actions feature's handlers; those that keep or show its texts with the vault. */
export const actionsHandlers = [
  commandHandlerWithVault(PlanAction, planAction),
  commandHandler(StartAction, startAction),
  commandHandlerWithVault(RedateAction, redateAction),
  commandHandler(ReassignAction, reassignAction),
  commandHandlerWithVault(NoteActionProgress, noteActionProgress),
  commandHandler(AddActionMilestone, addActionMilestone),
  commandHandler(MarkActionMilestoneDone, markActionMilestoneDone),
  commandHandler(CompleteAction, completeAction),
  commandHandlerWithVault(CancelAction, cancelAction),
  queryHandler(ListActions, listActions),
  queryHandlerWithVault(ReadAction, readAction),
];
