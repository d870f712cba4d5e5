import { SigningKeyRing } from '@kpi/audit-bundle';
import type { AppConfig } from '@kpi/config';
import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../infrastructure/injection-tokens';
import { SigningKeysController } from './signing-keys.controller';

/** The audit signing keys of `AUDIT_SIGNING_KEYS`, and where their public halves are published. */
@Module({
  controllers: [SigningKeysController],
  providers: [
    {
      provide: SigningKeyRing,
      useFactory: (config: AppConfig) => SigningKeyRing.fromConfig(config.AUDIT_SIGNING_KEYS),
      inject: [APP_CONFIG],
    },
  ],
  exports: [SigningKeyRing],
})
export class SigningKeysModule {}
