import {
  foldEvents,
  monthlyReturnDecider,
  type MonthlyReturnCommand,
  type MonthlyReturnEvent,
} from '@kpi/domain';
import { childrensHomesV1, returnSubmitted } from '@kpi/testing';
import { recorded } from '@kpi/testing/fixtures';
import {
  evolveKpiGridCell,
  kpiGridKey,
  kpiGridKeysOf,
  type KpiGridRow,
} from './kpi-grid.projection';
import { evolveMonthlyReturn, type MonthlyReturnRow } from './monthly-returns.projection';

/**
 * What the grid and the returns' read model keep of a return in sign-off (docs/decisions/0037):
 * its published figures only, the published ones kept while an amendment waits.
 */
const ref = { serviceId: 'home-17', period: '2026-09' as MonthlyReturnEvent['data']['period'] };

function after(history: MonthlyReturnEvent[], ...commands: MonthlyReturnCommand[]) {
  let events = [...history];
  for (const command of commands) {
    events = [
      ...events,
      ...monthlyReturnDecider.decide(command, foldEvents(monthlyReturnDecider, events)),
    ];
  }
  return events;
}
const amend = (EDU: number) =>
  ({
    type: 'AmendMonthlyReturn',
    data: {
      ...ref,
      values: { EDU },
      reason: 'Recounted',
      framework: childrensHomesV1,
      amendedBy: 'user:rm-1',
      signOff: true,
      now: new Date('2026-10-14T10:00:00Z'),
    },
  }) as MonthlyReturnCommand;
const verify = {
  type: 'VerifyMonthlyReturn',
  data: { ...ref, verifiedBy: 'user:po-1', now: new Date('2026-10-15T09:00:00Z') },
} as MonthlyReturnCommand;
const publish = {
  type: 'PublishMonthlyReturn',
  data: { ...ref, publishedBy: 'user:admin-1', now: new Date('2026-10-16T09:00:00Z') },
} as MonthlyReturnCommand;

const eduCell = (events: MonthlyReturnEvent[]): KpiGridRow | null => {
  const key = kpiGridKey('acme', 'home-17', '2026-09', 'EDU');
  return events
    .map((event) => recorded(event))
    .reduce<KpiGridRow | null>(
      (row, event) =>
        kpiGridKeysOf(event).includes(key) ? evolveKpiGridCell(row, event, key) : row,
      null,
    );
};
const returnRow = (events: MonthlyReturnEvent[]): MonthlyReturnRow | null =>
  events
    .map((event) => recorded(event))
    .reduce<MonthlyReturnRow | null>((row, event) => evolveMonthlyReturn(row, event), null);

const submitted = returnSubmitted({ signOffRequired: true });

describe('the KPI grid and the returns read model with sign-off', () => {
  it('keep no figures of a return waiting for sign-off, and say where it is', () => {
    expect(kpiGridKeysOf(recorded(submitted))).toEqual([]);
    expect(eduCell([submitted])).toBeNull();
    expect(returnRow([submitted])).toMatchObject({
      published: false,
      signOff: 'submitted',
      bonusCompliant: null,
    });
    expect(returnRow(after([submitted], verify))).toMatchObject({ signOff: 'verified' });
  });

  it('take the figures from the publication', () => {
    const published = after([submitted], verify, publish);
    expect(eduCell(published)).toMatchObject({
      value: 92,
      amended: false,
      lastChangedAt: '2026-10-12T09:00:00.000Z',
    });
    expect(returnRow(published)).toMatchObject({
      published: true,
      signOff: 'published',
      bonusCompliant: true,
      signOffAt: '2026-10-16T09:00:00.000Z',
    });
  });

  it('keep the published figures while an amendment of them waits, then show it once published', () => {
    const amended = after([submitted], verify, publish, amend(70));
    expect(eduCell(amended)).toMatchObject({ value: 92, amendmentCount: 0 });
    expect(returnRow(amended)).toMatchObject({
      published: true,
      signOff: 'submitted',
      amendments: 1,
      bonusMet: 9,
    });
    const republished = after(amended, verify, publish);
    expect(eduCell(republished)).toMatchObject({
      value: 70,
      amended: true,
      amendmentCount: 1,
      lastChangedAt: '2026-10-14T10:00:00.000Z',
    });
    expect(returnRow(republished)).toMatchObject({ signOff: 'published', bonusMet: 8 });
  });

  it('change nothing when the same publication is delivered twice', () => {
    const published = after([submitted], verify, publish);
    const last = recorded(published[published.length - 1]!);
    const key = kpiGridKey('acme', 'home-17', '2026-09', 'EDU');
    const once = eduCell(published)!;
    expect(evolveKpiGridCell(once, last, key)).toEqual(once);
    const row = returnRow(published)!;
    expect(evolveMonthlyReturn(row, last)).toEqual(row);
  });

  it('without sign-off, keep the figures as given, as before', () => {
    const plain = returnSubmitted();
    expect(eduCell([plain])).toMatchObject({ value: 92 });
    const row = returnRow([plain])!;
    expect([row.published, row.signOff, row.signOffAt]).toEqual([undefined, undefined, undefined]);
  });
});
