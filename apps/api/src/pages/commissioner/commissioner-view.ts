import type { ProviderKpiResult } from '@kpi/domain';

/** A RAG as a GOV.UK tag: the word is the label, the colour only repeats it. */
const RAG_TAGS: Record<string, { text: string; classes: string }> = {
  green: { text: 'Met', classes: 'govuk-tag--green' },
  red: { text: 'Missed', classes: 'govuk-tag--red' },
  grey: { text: 'No data', classes: 'govuk-tag--grey' },
};

export const ragTag = (rag: string) => RAG_TAGS[rag] ?? { text: rag, classes: 'govuk-tag--grey' };

/** A KPI's row: its value and target as the table prints them, and its RAG in words. */
export const kpiRow = (kpi: ProviderKpiResult) => ({
  ...kpi,
  valueText: kpi.value === null ? '–' : `${kpi.value}%`,
  targetText: kpi.target === null ? '–' : `${kpi.target}%`,
  tag: ragTag(kpi.rag),
});

/** The path of a framework's pages for a council. */
export const frameworkPath = (councilId: string, frameworkId: string) =>
  `/app/councils/${encodeURIComponent(councilId)}/care-frameworks/${encodeURIComponent(frameworkId)}`;
