import { ApiProperty } from '@nestjs/swagger';

export class JwkDto {
  @ApiProperty({ description: 'Key type', enum: ['RSA'], enumName: 'JwkKeyType', example: 'RSA' })
  kty: 'RSA';

  @ApiProperty({ description: 'Key use', enum: ['sig'], enumName: 'JwkUse', example: 'sig' })
  use: 'sig';

  @ApiProperty({ description: 'Signature algorithm', enum: ['RS256'], enumName: 'JwkAlgorithm', example: 'RS256' })
  alg: 'RS256';

  @ApiProperty({
    description: 'Key id, the `kid` header of the tokens it verifies',
    example: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs',
  })
  kid: string;

  @ApiProperty({
    description: 'RSA modulus, base64url',
    example:
      '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
  })
  n: string;

  @ApiProperty({ description: 'RSA public exponent, base64url', example: 'AQAB' })
  e: string;
}

export class JwksResponseDto {
  @ApiProperty({ description: 'The current signing key, then retired keys still accepted', type: [JwkDto] })
  keys: JwkDto[];
}
