import { entityId, type EntityId } from '@kpi/command-handling';
import { FRAMEWORK_PRESET_NAMES, parsePeriod, type Period } from '@kpi/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { ParsedBy } from '../http/query-params';

/** `POST /frameworks/presets/{preset}`: when it takes effect, and as which framework. */
export class PublishNamedPresetBody {
  @ApiProperty({ example: '2026-04', description: 'The first month the preset judges (YYYY-MM).' })
  @ParsedBy('isPeriod', (value) => parsePeriod(value, 'effectiveFrom'))
  effectiveFrom!: Period;

  @ApiPropertyOptional({
    example: 'day-services',
    description: `The framework to publish it as; the preset's own (${FRAMEWORK_PRESET_NAMES.join(', ')}) when left out.`,
  })
  @IsOptional()
  @ParsedBy('isEntityId', (value) => entityId(value, 'frameworkId'))
  frameworkId?: EntityId;
}
