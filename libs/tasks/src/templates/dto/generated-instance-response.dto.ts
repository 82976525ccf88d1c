import { ApiProperty } from '@nestjs/swagger';
import { TaskResponseDto } from '../../dto/task-response.dto';

/** `POST /templates/{id}/generate`. */
export class GeneratedInstanceResponseDto {
  @ApiProperty({ description: 'Template', format: 'uuid', example: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9' })
  template_id: string;

  @ApiProperty({ description: 'The new instance', format: 'uuid', example: '6a2d8c4e-1b3f-4d5a-9c7e-2f4b6d8a0c1e' })
  instance_id: string;

  @ApiProperty({ description: "The instance's title", example: 'Weekly review' })
  title: string;

  @ApiProperty({
    description: "The instance's due date (UTC)",
    format: 'date-time',
    example: '2026-01-21T09:00:00.000Z',
  })
  due_date: string;

  @ApiProperty({ description: 'The new instance', type: TaskResponseDto })
  task: TaskResponseDto;

  @ApiProperty({ description: 'Confirmation', example: 'Instance generated successfully' })
  message: string;
}
