import type {
  BusinessPlanReport,
  Commentary,
  QuarterlyLine,
  QuarterlyReport,
} from '@kpi/features/monthly-returns';
import { pageText } from '../personal-text';
import { numberText, ragView, travelText, valueText, type RagView } from './report-figures-view';

/** One figure of a table: as given, and its RAG in words (null when not judged). */
export interface FigureView {
  text: string;
  rag: RagView | null;
}

/** One indicator of a service (or of all services) in the quarter. */
export interface QuarterlyRowView {
  code: string;
  name: string;
  /** The three months, when the page shows them. */
  months: FigureView[] | null;
  quarter: FigureView;
  target: string;
  travel: string;
  /** The commentary on the quarter (docs/decisions/0038), where there is one. */
  commentary: CommentaryView | null;
}

/** A commentary's texts as the page shows them: the text, or when it was erased. */
export interface CommentaryView {
  whatHappened: { text: string | null; erased: string | null };
  whatIsBeingDone: { text: string | null; erased: string | null };
  writtenBy: string;
  version: number;
}

export interface QuarterlyReportView {
  quarter: string;
  months: string[];
  total: QuarterlyRowView[];
  services: { serviceId: string; name: string; regionId: string; rows: QuarterlyRowView[] }[];
  /** The audited share of the quarter's returns, in words (docs/decisions/0037). */
  dataQuality: string;
}

const commentaryView = (commentary: Commentary | undefined): CommentaryView | null =>
  commentary
    ? {
        whatHappened: pageText(commentary.whatHappened),
        whatIsBeingDone: pageText(commentary.whatIsBeingDone),
        writtenBy: commentary.writtenBy,
        version: commentary.version,
      }
    : null;

function dataQualityWords({
  returns,
  audited,
  auditedShare,
  confirmed,
  corrected,
  queried,
}: QuarterlyReport['dataQuality']): string {
  if (audited === 0) return `None of the ${returns} returns of the quarter has been audited yet.`;
  return `${audited} of ${returns} returns audited (${auditedShare} %): ${confirmed} confirmed, ${corrected} corrected by amendment, ${queried} queried.`;
}

/** The quarterly report as tables: the total first (with its months), then each service. */
export function quarterlyReportView(report: QuarterlyReport): QuarterlyReportView {
  const indicators = new Map(report.indicators.map((i) => [`${i.frameworkId}|${i.code}`, i]));
  const row = (line: QuarterlyLine): QuarterlyRowView => {
    const indicator = indicators.get(`${line.frameworkId}|${line.code}`);
    const unit = indicator?.unit;
    const q = line.quarter;
    return {
      code: line.code,
      name: indicator?.name ?? line.code,
      months: line.months
        ? line.months.map((m) => ({
            text: valueText(m.value, unit),
            rag: ragView(m.judgement?.rag),
          }))
        : null,
      quarter: {
        text:
          q.notRolledUp !== undefined
            ? `Not rolled up (${q.notRolledUp})`
            : q.judgedValue !== null
              ? numberText(q.judgedValue, unit)
              : valueText(q.value, unit),
        rag: ragView(q.judgement?.rag),
      },
      target: numberText(q.judgement?.target ?? null, unit),
      travel: travelText(q.travel.againstPreviousQuarter),
      commentary: commentaryView(line.commentary),
    };
  };
  return {
    quarter: report.quarter,
    months: [...report.months],
    total: report.total.map(row),
    services: report.services.map((s) => ({
      serviceId: s.serviceId,
      name: s.name,
      regionId: s.regionId,
      rows: s.lines.map(row),
    })),
    dataQuality: dataQualityWords(report.dataQuality),
  };
}

/** One quarter, term or year of a plan indicator. */
export interface PlanPeriodView {
  period: string;
  target: string;
  actual: string;
  rag: RagView | null;
  travel: string;
}

export interface PlanIndicatorView {
  code: string;
  name: string;
  group: string | null;
  floor: string;
  outturn: string;
  benchmark: string;
  periods: PlanPeriodView[];
}

/** The business-plan report: per indicator its context figures, then its periods. */
export function businessPlanView(report: BusinessPlanReport): PlanIndicatorView[] {
  return report.indicators.map((line) => ({
    code: line.code,
    name: line.name,
    group: line.group,
    floor: numberText(line.floor, line.unit),
    outturn: line.previousOutturn
      ? `${numberText(line.previousOutturn.value, line.unit)} (${line.previousOutturn.period})`
      : '',
    benchmark: line.comparativeBenchmark
      ? `${numberText(line.comparativeBenchmark.value, line.unit)} (${line.comparativeBenchmark.source})`
      : '',
    periods: line.periods.map((p) => ({
      period: p.period,
      target: p.expectedRange
        ? `${numberText(p.expectedRange.lower, line.unit)} to ${numberText(p.expectedRange.upper, line.unit)}`
        : numberText(p.target, line.unit),
      actual:
        p.judgedValue !== null
          ? numberText(p.judgedValue, line.unit)
          : valueText(p.value, line.unit),
      rag: ragView(p.rag),
      travel: travelText(p.travel.againstPreviousPeriod),
    })),
  }));
}
