import type { EntityId } from '@kpi/command-handling';
import type { Principal } from '@kpi/auth';
import { DATA_PROTECTION_OFFICERS } from '@kpi/domain';
import { EraseDataSubject } from '@kpi/personal-data';
import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi';
import { Commands } from '../http/buses';
import { ApiIdempotencyKey, IdempotencyKey } from '../http/idempotency-key';
import { IdInPath } from '../http/path-params';
import { DataSubjectErasureDto, EraseDataSubjectBody } from './data-subjects.dto';

/**
 * People personal data is kept about (data subjects: a complainant, a member of staff), and
 * their erasure by the organisation's data-protection officer
 * (docs/audit-trail.md#personal-data-and-erasure).
 */
@ApiTags('data subjects')
@ApiBearerAuth(BEARER_SCHEME)
@ApiIdempotencyKey()
@Roles(...DATA_PROTECTION_OFFICERS)
@Controller('data-subjects')
export class DataSubjectsController {
  constructor(private readonly commands: Commands) {}

  @Post(':subjectId/erasure')
  @ApiOperation({
    summary: "Erase a data subject's personal data",
    description:
      "Destroys the subject's key, so every text kept under it — a complaint's summary, the complainant's name and contact, the response — is unreadable for good: reads show `{ erasedOn }` instead. The erasure is an event in the trail (DataSubjectErased: the subject id, the reason's category, who, when), and every hash chain still verifies, as events hold only a reference and a hash of each ciphertext. A complainant's subject id is the complaint's `dataSubjectId`. A manager's is their manager id: the reasons of their capability reviews and appeals go. A person's account is theirs (`dataSubjectId` in GET /accounts): the email of their invitation goes, and with it their account's email, password and sessions — their access is removed (AccessRemoved on the account's stream). 404 when the organisation keeps nothing about that subject; 409 when it is erased already.",
  })
  @ApiCreatedResponse({ type: DataSubjectErasureDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  erase(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @IdInPath('subjectId', '3f6c1e0d-9a47-8b8e-9c52-7d1f4a369a51') subjectId: EntityId,
    @Body() body: EraseDataSubjectBody,
  ): Promise<DataSubjectErasureDto> {
    return this.commands.execute(principal, key, EraseDataSubject, { subjectId, ...body });
  }
}
