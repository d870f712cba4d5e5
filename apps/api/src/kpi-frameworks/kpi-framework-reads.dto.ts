import { ApiProperty } from '@nestjs/swagger';
import { BonusRuleBody, IndicatorBody } from './kpi-frameworks.dto';

/** One version of a framework as read back. */
export class FrameworkVersionViewDto {
  @ApiProperty({ example: 2 })
  version!: number;

  @ApiProperty({ example: "Children's homes — stricter education target" })
  name!: string;

  @ApiProperty({ example: '2025-06', description: 'The first month it judges (YYYY-MM).' })
  effectiveFrom!: string;

  @ApiProperty({
    example: '2025-12',
    nullable: true,
    type: String,
    description:
      'The last month it judges (the month before the next version takes effect); null while it is the latest.',
  })
  effectiveUntil!: string | null;

  @ApiProperty({ type: [IndicatorBody], description: 'The indicators as published.' })
  indicators!: IndicatorBody[];

  @ApiProperty({ type: BonusRuleBody, nullable: true, description: 'null: no bonus scheme.' })
  bonusRule!: BonusRuleBody | null;
}

/** A framework and every version of it, in the order published (and of effect). */
export class FrameworkViewDto {
  @ApiProperty({ example: 'childrens-homes' })
  frameworkId!: string;

  @ApiProperty({
    example: "Children's homes — stricter education target",
    description: "The latest version's name.",
  })
  name!: string;

  @ApiProperty({ type: [FrameworkVersionViewDto] })
  versions!: FrameworkVersionViewDto[];
}

/** A field that differs between two versions (null where a version has none). */
export class FieldChangeDto {
  @ApiProperty({ example: 'target' })
  field!: string;

  @ApiProperty({ example: 90, description: 'Any JSON value, or null.' })
  from!: unknown;

  @ApiProperty({ example: 95, description: 'Any JSON value, or null.' })
  to!: unknown;
}

export class IndicatorChangeDto {
  @ApiProperty({ example: 'EDU' })
  code!: string;

  @ApiProperty({ type: [FieldChangeDto] })
  changes!: FieldChangeDto[];
}

export class VersionRefDto {
  @ApiProperty({ example: 1 })
  version!: number;

  @ApiProperty({ example: '2024-04' })
  effectiveFrom!: string;
}

/** What changed from one version to another: indicators added, removed and changed. */
export class FrameworkVersionChangesDto {
  @ApiProperty({ type: VersionRefDto })
  from!: VersionRefDto;

  @ApiProperty({ type: VersionRefDto, example: { version: 2, effectiveFrom: '2025-06' } })
  to!: VersionRefDto;

  @ApiProperty({
    type: [FieldChangeDto],
    description: "The framework's own fields that changed: name, bonusRule.",
    example: [
      {
        field: 'name',
        from: "Children's homes — operational KPIs",
        to: "Children's homes — stricter education target",
      },
    ],
  })
  changes!: FieldChangeDto[];

  @ApiProperty({ type: [IndicatorBody], description: 'Indicators only `to` has.' })
  added!: IndicatorBody[];

  @ApiProperty({ type: [IndicatorBody], description: 'Indicators only `from` has.', example: [] })
  removed!: IndicatorBody[];

  @ApiProperty({
    type: [IndicatorChangeDto],
    description: 'Indicators both have, with each field that changed.',
    example: [{ code: 'EDU', changes: [{ field: 'target', from: 90, to: 95 }] }],
  })
  changed!: IndicatorChangeDto[];
}
