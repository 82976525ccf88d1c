import { ApiProperty } from '@nestjs/swagger';

export class VapidPublicKeyResponseDto {
  @ApiProperty({ description: 'Whether Web Push is configured', example: true })
  enabled: boolean;

  @ApiProperty({
    description: 'VAPID public key (base64url) for PushManager.subscribe',
    type: String,
    nullable: true,
    example: 'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U',
  })
  public_key: string | null;
}
