import { ApiProperty } from '@nestjs/swagger';
import { UserResponseDto } from '@app/users/dto/user-response.dto';

/** Answer of `POST /auth/refresh` (not enveloped). */
export class TokenResponseDto {
  @ApiProperty({
    description: 'RS256 access token (JWT) for `Authorization: Bearer`',
    example: 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6Ii4uLiJ9.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl',
  })
  access_token: string;

  @ApiProperty({
    description: 'Opaque single-use refresh token; a refresh returns a new one',
    example: 'q3V2Zl9fQk9Ob3R0bGVfY2FwX3JlZnJlc2hfdG9rZW5fZXhhbXBsZQ',
  })
  refresh_token: string;

  @ApiProperty({ description: 'Always `Bearer`', enum: ['Bearer'], enumName: 'TokenType', example: 'Bearer' })
  token_type: 'Bearer';

  @ApiProperty({ description: 'Lifetime of the access token in seconds', example: 900 })
  expires_in: number;
}

/** Answer of the Google callback and of dev login (not enveloped). */
export class LoginResponseDto extends TokenResponseDto {
  @ApiProperty({ description: 'The signed-in user', type: UserResponseDto })
  user: UserResponseDto;
}
