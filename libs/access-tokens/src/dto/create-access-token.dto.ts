import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn } from 'class-validator';
import { ACCESS_TOKEN_SCOPES, AccessTokenScope } from '@app/core/database/enums';
import { OptionalNullable, TextField, TimestampField } from '@app/core/validation/validators';

/** Body of `POST /access-tokens` (docs/access-tokens.md §1). */
export class CreateAccessTokenDto {
  @TextField({ max: 100, description: 'What the token is for, shown in the token list', example: 'Claude Desktop' })
  name: string;

  @ApiProperty({
    enum: ACCESS_TOKEN_SCOPES,
    enumName: 'AccessTokenScope',
    isArray: true,
    description: 'read: GET requests; write: changes to tasks, notes and the rest; ai: AI endpoints that spend credits',
    example: ['read', 'write'],
  })
  @IsArray({ message: 'must be an array' })
  @ArrayMinSize(1, { message: 'must name at least one scope' })
  @ArrayMaxSize(ACCESS_TOKEN_SCOPES.length, { message: `must name at most ${ACCESS_TOKEN_SCOPES.length} scopes` })
  @ArrayUnique({ message: 'must not repeat a scope' })
  @IsIn(ACCESS_TOKEN_SCOPES, { each: true, message: `must each be one of ${ACCESS_TOKEN_SCOPES.join(', ')}` })
  scopes: AccessTokenScope[];

  @OptionalNullable()
  @TimestampField({
    required: false,
    nullable: true,
    description: 'When the token stops working: in the future, at most 366 days away; omitted or null: never',
  })
  expires_at?: Date | null;
}
