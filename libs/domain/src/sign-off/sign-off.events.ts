/**
 * An organisation turned sign-off of its monthly returns on (docs/decisions/0037): from then on a
 * return's figures are verified and published before councils, reports and the bonus use them.
 */
export interface SignOffTurnedOn {
  type: 'SignOffTurnedOn';
  data: { turnedOnBy: string; turnedOnAt: string };
}

/** Sign-off turned off: returns given from then on are published as they are given. */
export interface SignOffTurnedOff {
  type: 'SignOffTurnedOff';
  data: { turnedOffBy: string; turnedOffAt: string };
}

export type SignOffEvent = SignOffTurnedOn | SignOffTurnedOff;
