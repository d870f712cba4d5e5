import { Module } from '@nestjs/common';
import {
  ActionEvidenceController,
  CapabilityReviewEvidenceController,
  ComplaintEvidenceController,
  ReturnEvidenceController,
} from './evidence.controller';
import { EvidenceEndpoints } from './evidence-endpoints';
import { evidenceHandlers } from './evidence.handlers';

/**
 * Evidence files attached to returns, complaints, capability reviews and actions: uploaded,
 * listed, downloaded and detached by those entitled to the record (docs/decisions/0040).
 */
@Module({
  controllers: [
    ReturnEvidenceController,
    ComplaintEvidenceController,
    CapabilityReviewEvidenceController,
    ActionEvidenceController,
  ],
  providers: [EvidenceEndpoints, ...evidenceHandlers],
  exports: [EvidenceEndpoints],
})
export class EvidenceModule {}
