import { ApiProperty } from '@nestjs/swagger';
import { DeletedDto } from '@app/core/http/envelope';

/** `DELETE /tasks/{id}`: the deletion plus the tombstone that can restore it. */
export class TaskDeletedResponseDto extends DeletedDto {
  @ApiProperty({
    description: 'Tombstone to recover from',
    format: 'uuid',
    example: '7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f',
  })
  tombstone_id: string;

  @ApiProperty({
    description: 'Recoverable while now < this (UTC)',
    format: 'date-time',
    example: '2026-01-26T10:30:00.000Z',
  })
  recoverable_until: string;
}
