/**
 * The capability procedure's stage table (docs/rules/capability.md#stages),
 * counted per (manager, home, KPI):
 *
 * | consecutive months missed | stage                                              |
 * | ------------------------- | -------------------------------------------------- |
 * | 1                         | Stage 1 — informal                                 |
 * | 2                         | Stage 1 — informal, second month                   |
 * | 3                         | Stage 2 — formal                                   |
 * | 4 or more                 | Stage 3 — final stage before dismissal; review due |
 */
export type CapabilityStage = 1 | 2 | 3;

/** 0: no open stage (the counter is at zero). */
export type CounterStage = 0 | CapabilityStage;

export function stageFor(consecutiveMisses: number): CounterStage {
  if (consecutiveMisses <= 0) return 0;
  if (consecutiveMisses <= 2) return 1;
  if (consecutiveMisses === 3) return 2;
  return 3;
}

export const STAGE_NAMES: Record<CapabilityStage, string> = {
  1: 'Stage 1 — informal',
  2: 'Stage 2 — formal',
  3: 'Stage 3 — final stage before dismissal',
};

/** Stages 2 and 3 are formal: they (and review outcomes) can be appealed. */
export const isFormalStage = (stage: CapabilityStage): boolean => stage >= 2;
