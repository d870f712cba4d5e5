import type { KpiGrid, KpiGridMonth } from '@kpi/features/monthly-returns';

type Rag = 'green' | 'amber' | 'red' | 'grey';

/** A RAG status as words and a GOV.UK tag colour: the colour is never the only sign. */
export const RAG_LABELS: Record<Rag, { text: string; tagClass: string }> = {
  red: { text: 'Red', tagClass: 'govuk-tag--red' },
  amber: { text: 'Amber', tagClass: 'govuk-tag--orange' },
  green: { text: 'Green', tagClass: 'govuk-tag--green' },
  grey: { text: 'Not judged', tagClass: 'govuk-tag--grey' },
};

/** One home-month of the grid as the page shows it. */
export interface GridCellView {
  period: string;
  submitted: boolean;
  /** The worst RAG of the month's indicators, in words and colour. */
  status: { text: string; tagClass: string };
  /** "7 green, 1 amber, 1 red": how the month's indicators were judged. */
  summary: string;
  late: boolean;
  amendments: number;
  /** Where a return in sign-off is, in words (docs/decisions/0037); null when not in it. */
  signOff: string | null;
}

const SIGN_OFF_WORDS: Record<string, string> = {
  submitted: 'Waiting to be verified',
  verified: 'Verified, not published',
  'sent-back': 'Sent back',
  published: 'Published',
};

export interface GridRowView {
  serviceId: string;
  name: string;
  regionId: string;
  /** One per month of the grid, blank (null) before the home opened. */
  cells: (GridCellView | null)[];
}

export interface GridView {
  periods: string[];
  rows: GridRowView[];
}

const WORST_FIRST: Rag[] = ['red', 'amber', 'green', 'grey'];

/** The KPI grid as a table of homes × months, each month summarised by its worst RAG. */
export function kpiGridView(grid: KpiGrid, periods: readonly string[]): GridView {
  return {
    periods: [...periods],
    rows: grid.services.map((service) => {
      const byPeriod = new Map(service.months.map((month) => [month.period, month]));
      return {
        serviceId: service.serviceId,
        name: service.name,
        regionId: service.regionId,
        cells: periods.map((period) => {
          const month = byPeriod.get(period as KpiGridMonth['period']);
          return month ? cellView(month) : null;
        }),
      };
    }),
  };
}

function cellView(month: KpiGridMonth): GridCellView {
  const base = {
    period: month.period,
    submitted: month.submitted,
    late: month.late === true,
    amendments: month.amendments,
    signOff: month.signOff ? SIGN_OFF_WORDS[month.signOff]! : null,
  };
  if (!month.submitted) {
    return { ...base, status: { text: 'Not submitted', tagClass: 'govuk-tag--grey' }, summary: '' };
  }
  const counts = new Map<Rag, number>();
  for (const cell of Object.values(month.cells)) {
    counts.set(cell.rag as Rag, (counts.get(cell.rag as Rag) ?? 0) + 1);
  }
  const worst = WORST_FIRST.find((rag) => (counts.get(rag) ?? 0) > 0) ?? 'grey';
  const summary = (['green', 'amber', 'red', 'grey'] as const)
    .filter((rag) => counts.has(rag))
    .map((rag) => `${counts.get(rag)} ${RAG_LABELS[rag].text.toLowerCase()}`)
    .join(', ');
  return { ...base, status: RAG_LABELS[worst], summary };
}
