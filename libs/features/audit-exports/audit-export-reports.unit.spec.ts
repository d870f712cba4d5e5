import type { StoredEventRecord } from '@kpi/event-store';
import { allMet, returnSubmitted } from '@kpi/testing';
import {
  missCounted,
  returnAmended,
  reviewRecorded,
  stageEntered,
  stageResolved,
  stageWithdrawn,
} from '@kpi/testing/fixtures';
import { ExportReports } from './audit-export-reports';

let position = 0;
/** A domain event as a bundle holds it (only what the reports read is real). */
function stored(event: { type: string; data: unknown }, eventId: string): StoredEventRecord {
  position += 1;
  return {
    globalPosition: position,
    eventId,
    streamId: 'acme:fixture',
    streamVersion: position,
    type: event.type,
    schemaVersion: 1,
    data: event.data,
    metadata: {
      tenantId: 'acme',
      actor: 'user:fixture',
      correlationId: null,
      causationId: null,
      commandId: null,
    },
    effectiveAt: null,
    recordedAt: `2026-10-2${position % 10}T12:00:00.000Z`,
    recordedAtMicros: '0',
    contentHash: '',
    previousHash: '',
    hash: '',
  };
}

function reportsOf(events: StoredEventRecord[]): Map<string, string[][]> {
  const reports = new ExportReports();
  for (const event of events) reports.add(event);
  return new Map(
    reports.files().map((file) => {
      const text = (file as { content: string }).content;
      expect(text.startsWith('\uFEFF')).toBe(true);
      expect(text.endsWith('\r\n')).toBe(true);
      const rows = text.slice(1, -2).split('\r\n');
      return [file.path, rows.map((row) => row.split(','))];
    }),
  );
}

describe('the KPI returns report', () => {
  const submitted = returnSubmitted({
    serviceId: 'ty-gwyn',
    period: '2026-09' as never,
    values: { SUP: 100, TRN: 96, EDU: 70, PLN: 100, RTI: 100, NTF: 100, R44: true, RPI: 1, AGY: 8 },
    submittedBy: 'user:rm-gwen',
    submittedAt: '2026-10-12T09:00:00.000Z',
  });
  const amended = returnAmended(
    [submitted],
    { EDU: 92 },
    {
      amendedBy: 'user:rm-huw',
      amendedAt: '2026-10-25T14:00:00.000Z',
    },
  );

  it('holds one row per service, month and indicator: the latest value, who set it, when, by which event', () => {
    const rows = reportsOf([stored(submitted, 'ev-sub'), stored(amended, 'ev-amend')]).get(
      'reports/kpi-returns.csv',
    )!;

    expect(rows[0]).toEqual([
      'service_id',
      'month',
      'indicator',
      'value',
      'outcome',
      'changed_by',
      'changed_at',
      'event_id',
    ]);
    expect(rows.slice(1).map((row) => row[2])).toEqual([
      'AGY',
      'EDU',
      'NTF',
      'PLN',
      'R44',
      'RPI',
      'RTI',
      'SUP',
      'TRN',
    ]);
    const byIndicator = new Map(rows.slice(1).map((row) => [row[2], row]));
    expect(byIndicator.get('EDU')).toEqual([
      'ty-gwyn',
      '2026-09',
      'EDU',
      '92',
      'met',
      'user:rm-huw',
      '2026-10-25T14:00:00.000Z',
      'ev-amend',
    ]);
    expect(byIndicator.get('R44')).toEqual([
      'ty-gwyn',
      '2026-09',
      'R44',
      'true',
      'met',
      'user:rm-gwen',
      '2026-10-12T09:00:00.000Z',
      'ev-sub',
    ]);
  });

  it('leaves who and when blank for a value set before the period (only the amendment is in it)', () => {
    const rows = reportsOf([stored(amended, 'ev-amend')]).get('reports/kpi-returns.csv')!;
    const byIndicator = new Map(rows.slice(1).map((row) => [row[2], row]));
    expect(byIndicator.get('SUP')).toEqual(['ty-gwyn', '2026-09', 'SUP', '100', 'met', '', '', '']);
    expect(byIndicator.get('EDU')![7]).toBe('ev-amend');
  });

  it('writes a value that is neither a number nor yes/no as its JSON, quoted', () => {
    const notApplicable = returnSubmitted({
      serviceId: 'ty-gwyn',
      values: { ...allMet, SUP: { notApplicable: true, reason: 'No staff, yet' } },
    });
    const reports = new ExportReports();
    reports.add(stored(notApplicable, 'ev-na'));
    const text = (reports.files()[0] as { content: string }).content;
    expect(text).toContain(
      'ty-gwyn,2026-09,SUP,"{""notApplicable"":true,""reason"":""No staff, yet""}",',
    );
  });
});

describe('the capability timeline report', () => {
  it('lists the stage events in the order of the bundle, and nothing else', () => {
    const entered = stageEntered({ period: '2026-02', misses: 2 });
    const rows = reportsOf([
      stored(entered, 'ev-1'),
      stored(missCounted({ period: '2026-03', misses: 2 }), 'ev-miss'),
      stored(stageResolved({ stage: 1, period: '2026-04' }), 'ev-2'),
      stored(stageWithdrawn(entered), 'ev-3'),
      stored(reviewRecorded(), 'ev-review'),
    ]).get('reports/capability-timeline.csv')!;

    expect(rows).toEqual([
      [
        'recorded_at',
        'event',
        'manager_id',
        'service_id',
        'indicator',
        'stage',
        'month',
        'event_id',
      ],
      [
        expect.any(String),
        'CapabilityStageEntered',
        'mgr-a',
        'home-02',
        'EDU',
        '1',
        '2026-02',
        'ev-1',
      ],
      [
        expect.any(String),
        'CapabilityStageResolved',
        'mgr-a',
        'home-02',
        'EDU',
        '1',
        '2026-04',
        'ev-2',
      ],
      [
        expect.any(String),
        'CapabilityStageWithdrawn',
        'mgr-a',
        'home-02',
        'EDU',
        '1',
        '2026-02',
        'ev-3',
      ],
    ]);
  });
});
