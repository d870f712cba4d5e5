export {
  capabilityEscalationProcess,
  CAPABILITY_ESCALATION,
  CAPABILITY_ESCALATION_ACTOR,
} from './capability-escalation.process';
