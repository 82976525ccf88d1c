import { ApiProperty } from '@nestjs/swagger';
import { FocusSessionResponseDto } from './focus-session-response.dto';

/** `POST /focus/end`: the ended session plus the task's new focus total. */
export class FocusEndResponseDto extends FocusSessionResponseDto {
  @ApiProperty({ description: "The task's total focus time after crediting this session", example: 1500 })
  focus_time_seconds: number;
}
