import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const BASE64URL_MESSAGE = 'must be base64url';

export class PushKeysDto {
  @ApiProperty({
    description: "Subscriber's P-256 public key (base64url)",
    example: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
  })
  @MaxLength(512)
  @Matches(BASE64URL, { message: BASE64URL_MESSAGE })
  @IsString({ message: 'must be a string' })
  p256dh: string;

  @ApiProperty({ description: 'Authentication secret (base64url)', example: 'tBHItJI5svbpez7KI4CCXg' })
  @MaxLength(512)
  @Matches(BASE64URL, { message: BASE64URL_MESSAGE })
  @IsString({ message: 'must be a string' })
  auth: string;
}

/** Either `{endpoint, p256dh_key, auth_key}` or the browser's `{endpoint, keys: {p256dh, auth}}`. */
export class RegisterPushSubscriptionDto {
  @ApiProperty({
    description: 'Push service URL (https in production), ≤ 2048 characters',
    maxLength: 2048,
    example: 'https://fcm.googleapis.com/fcm/send/abc123',
  })
  @MaxLength(2048, { message: 'must be at most 2048 characters' })
  @IsString({ message: 'must be a string' })
  endpoint: string;

  @ApiProperty({ description: 'Flat form: P-256 public key (base64url)', required: false })
  @IsOptional()
  @MaxLength(512)
  @Matches(BASE64URL, { message: BASE64URL_MESSAGE })
  @IsString({ message: 'must be a string' })
  p256dh_key?: string;

  @ApiProperty({ description: 'Flat form: authentication secret (base64url)', required: false })
  @IsOptional()
  @MaxLength(512)
  @Matches(BASE64URL, { message: BASE64URL_MESSAGE })
  @IsString({ message: 'must be a string' })
  auth_key?: string;

  @ApiProperty({ description: "Browser form: the subscription's keys", type: PushKeysDto, required: false })
  @IsOptional()
  @ValidateNested()
  @Type(() => PushKeysDto)
  keys?: PushKeysDto;
}
