import { ApiProperty } from '@nestjs/swagger';

export class PublishedSigningKeyDto {
  @ApiProperty({
    description: 'The key id: `keyId` of a bundle’s manifest.sig.json names one of these.',
    example: '2026-07',
  })
  kid!: string;

  @ApiProperty({ enum: ['OKP'], example: 'OKP' })
  kty!: 'OKP';

  @ApiProperty({ enum: ['Ed25519'], example: 'Ed25519' })
  crv!: 'Ed25519';

  @ApiProperty({
    description: 'The 32-byte Ed25519 public key, base64url without padding (RFC 8037).',
    example: 'Jn3lj6Thvt-ocM2Z5rRO7fhWQTSouE7lK4KTvFAuzG8',
  })
  x!: string;

  @ApiProperty({ enum: ['sig'], example: 'sig' })
  use!: 'sig';

  @ApiProperty({ enum: ['EdDSA'], example: 'EdDSA' })
  alg!: 'EdDSA';
}

export class SigningKeySetDto {
  @ApiProperty({
    type: [PublishedSigningKeyDto],
    description:
      'Every key evidence bundles are or were signed with: the current one first, then retired ones.',
  })
  keys!: PublishedSigningKeyDto[];
}
