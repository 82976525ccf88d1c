import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';

/** Body of `POST /auth/refresh` and `POST /auth/logout`. */
export class RefreshTokenDto {
  @ApiProperty({
    description: 'Opaque refresh token from a login or the previous refresh',
    example: 'q3V2Zl9fQk9Ob3R0bGVfY2FwX3JlZnJlc2hfdG9rZW5fZXhhbXBsZQ',
  })
  @IsString({ message: 'must be a string' })
  refresh_token: string;
}
