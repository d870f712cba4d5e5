import { QUARTERLY_RETURN_KPI_CODES, type QuarterlyReturnKpiCode } from '@kpi/domain';
import { ApiProperty, getSchemaPath } from '@nestjs/swagger';

/**
 * The draft of a provider's quarterly return, worked out from its own records
 * (docs/provider-returns.md "A draft from the provider's own records"). `figures` is what
 * `POST …/quarterly-returns` takes as its `figures` once the nulls are typed in; `workings`
 * says, per KPI, where each figure came from.
 */

export const DRAFT_SOURCES = ['records', 'not-recorded'] as const;
export type DraftSource = (typeof DRAFT_SOURCES)[number];

/** A KPI's figure as drafted: both null when the records do not hold it (to be typed in). */
export class DraftFigureDto {
  @ApiProperty({ example: 3, nullable: true, type: Number })
  numerator!: number | null;

  @ApiProperty({ example: 4, nullable: true, type: Number })
  denominator!: number | null;
}

/** How a KPI's figure was arrived at. */
export class DraftWorkingDto {
  @ApiProperty({
    enum: DRAFT_SOURCES,
    example: 'records',
    description:
      '`records`: counted from the provider’s own records in kpi-ledger; `not-recorded`: the records do not hold it, so the figure is null, to be typed in.',
  })
  source!: DraftSource;

  @ApiProperty({
    example:
      '3 of 4 complaints whose response (15 working days from receipt) fell due in 2026-27 Q1 were answered by the due date, across all services.',
    description: 'How it was counted, with the counts it rests on.',
  })
  basis!: string;
}

const byCode = <T>(value: T): Record<QuarterlyReturnKpiCode, T> =>
  Object.fromEntries(QUARTERLY_RETURN_KPI_CODES.map((code) => [code, value])) as Record<
    QuarterlyReturnKpiCode,
    T
  >;

const FIGURES_EXAMPLE = {
  'complaints-answered-in-time': { numerator: 3, denominator: 4 },
  'staff-turnover': { numerator: 2, denominator: 39.5 },
  'quarterly-supervision': { numerator: 35, denominator: 36 },
  'annual-appraisal': { numerator: 30, denominator: 30 },
  'care-certificate-in-12-weeks': { numerator: 1, denominator: 2 },
  'diploma-level-1': { numerator: null, denominator: null },
  'diploma-level-2': { numerator: null, denominator: null },
};

const NOT_RECORDED_EXAMPLE = {
  source: 'not-recorded',
  basis:
    'The staff register does not record NVQ / Diploma levels: type in care staff holding level 1 (or higher) over care staff in post at the quarter end.',
};

const WORKINGS_EXAMPLE = {
  'complaints-answered-in-time': {
    source: 'records',
    basis:
      '3 of 4 complaints whose response (15 working days from receipt) fell due in 2026-27 Q1 were answered by the due date, across all services.',
  },
  'staff-turnover': {
    source: 'records',
    basis:
      '2 staff left in 2026-27 Q1; average headcount (40 in post on 2026-04-01 + 39 at the close of 2026-06-30) ÷ 2 = 39.5. Every role on the staff register, all services.',
  },
  'quarterly-supervision': {
    source: 'records',
    basis:
      '35 of 36 staff in post on 2026-06-30 for at least three months had a one-to-one supervision after 2026-03-30; 3 newer starters are not yet due one.',
  },
  'annual-appraisal': {
    source: 'records',
    basis:
      '30 of 30 staff in post on 2026-06-30 for at least a year were appraised after 2025-06-30; 9 in post under a year are not yet due one.',
  },
  'care-certificate-in-12-weeks': {
    source: 'records',
    basis:
      '1 of 2 staff whose 12 weeks from starting ended in 2026-27 Q1 had completed the Care Certificate by then.',
  },
  'diploma-level-1': NOT_RECORDED_EXAMPLE,
  'diploma-level-2': {
    ...NOT_RECORDED_EXAMPLE,
    basis: NOT_RECORDED_EXAMPLE.basis.replace('level 1', 'level 2'),
  },
};

export class QuarterlyReturnDraftDto {
  @ApiProperty({ example: 'southwark' })
  councilId!: string;

  @ApiProperty({ example: 'care-at-home-2026' })
  frameworkId!: string;

  @ApiProperty({ example: 'bryn-care', description: 'The provider: the caller’s organisation.' })
  providerId!: string;

  @ApiProperty({ example: '2026-27 Q1' })
  quarter!: string;

  @ApiProperty({ example: '2026-04-01' })
  firstDay!: string;

  @ApiProperty({ example: '2026-06-30' })
  lastDay!: string;

  @ApiProperty({
    example: false,
    description:
      'True while the quarter has not ended (London time): the figures are as things stand, as if nothing more were recorded by its last day.',
  })
  provisional!: boolean;

  @ApiProperty({
    type: 'object',
    properties: byCode({ allOf: [{ $ref: getSchemaPath(DraftFigureDto) }] }),
    required: [...QUARTERLY_RETURN_KPI_CODES],
    example: FIGURES_EXAMPLE,
    description:
      'KPI code → { numerator, denominator } for every KPI of the quarterly return, as PROVIDER_KPIS defines them: the `figures` of POST …/quarterly-returns once the nulls are typed in.',
  })
  figures!: Record<QuarterlyReturnKpiCode, DraftFigureDto>;

  @ApiProperty({
    type: 'object',
    properties: byCode({ allOf: [{ $ref: getSchemaPath(DraftWorkingDto) }] }),
    required: [...QUARTERLY_RETURN_KPI_CODES],
    example: WORKINGS_EXAMPLE,
    description: 'KPI code → where its figure came from and how it was counted.',
  })
  workings!: Record<QuarterlyReturnKpiCode, DraftWorkingDto>;

  @ApiProperty({
    enum: QUARTERLY_RETURN_KPI_CODES,
    isArray: true,
    example: ['diploma-level-1', 'diploma-level-2'],
    description: 'The KPIs whose figures are null: the provider types them in.',
  })
  notRecorded!: QuarterlyReturnKpiCode[];
}
