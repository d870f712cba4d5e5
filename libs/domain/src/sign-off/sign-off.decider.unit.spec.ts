import { deciderSpecification } from '@kpi/testing';
import { signOffDecider } from './sign-off.decider';

const spec = deciderSpecification(signOffDecider);
const now = new Date('2026-10-01T09:00:00Z');
const turnedOn = {
  type: 'SignOffTurnedOn',
  data: { turnedOnBy: 'user:admin-1', turnedOnAt: '2026-10-01T09:00:00.000Z' },
} as const;

describe("an organisation's sign-off setting", () => {
  it('is off until turned on', () => {
    spec
      .given([])
      .when({ type: 'SetSignOff', data: { on: true, by: 'user:admin-1', now } })
      .then([turnedOn]);
  });

  it('turns off again', () => {
    spec
      .given([turnedOn])
      .when({ type: 'SetSignOff', data: { on: false, by: 'user:admin-2', now } })
      .then([
        {
          type: 'SignOffTurnedOff',
          data: { turnedOffBy: 'user:admin-2', turnedOffAt: '2026-10-01T09:00:00.000Z' },
        },
      ]);
  });

  it('writes nothing when set to what it is', () => {
    spec
      .given([turnedOn])
      .when({ type: 'SetSignOff', data: { on: true, by: 'user:admin-1', now } })
      .thenNothingHappened();
    spec
      .given([])
      .when({ type: 'SetSignOff', data: { on: false, by: 'user:admin-1', now } })
      .thenNothingHappened();
  });
});
