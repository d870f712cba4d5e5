/** Turns the organisation's sign-off of monthly returns on or off. */
export interface SetSignOff {
  type: 'SetSignOff';
  data: { on: boolean; by: string; now: Date };
}

export type SignOffCommand = SetSignOff;
