import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SigningKeyRing } from '@kpi/audit-bundle';
import { Public } from '../auth/auth.decorators';
import { SigningKeySetDto } from './signing-keys.dto';

@ApiTags('audit')
@Controller('.well-known')
export class SigningKeysController {
  constructor(@Inject(SigningKeyRing) private readonly keys: SigningKeyRing) {}

  /** Public like /health: public keys are meant to be read by anyone who holds a bundle. */
  @Public()
  @Get('kpi-ledger-signing-keys')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({
    summary: 'The public keys evidence bundles are signed with',
    description:
      'A JSON Web Key Set (RFC 7517) of Ed25519 keys (RFC 8037). Save it and pass it to ' +
      '`node verify-audit-bundle.mjs bundle.tar.gz --public-key <file>`. Needs no token.',
  })
  @ApiOkResponse({ type: SigningKeySetDto })
  signingKeys(): SigningKeySetDto {
    return this.keys.jwks();
  }
}
