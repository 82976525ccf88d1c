import { ApiProperty } from '@nestjs/swagger';
import { TaskResponseDto } from '../../dto/task-response.dto';
import { TemplateResponseDto } from './template-response.dto';

/** `POST /templates`: the template and its first instance (null when the rule yields no future occurrence). */
export class TemplateCreatedResponseDto extends TemplateResponseDto {
  @ApiProperty({ description: 'The first generated instance', type: TaskResponseDto, nullable: true })
  first_instance: TaskResponseDto | null;
}
