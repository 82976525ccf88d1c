import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/core/http/auth-user';
import { ApiDataResponse, DataEnvelope, ok } from '@app/core/http/envelope';
import { ApiErrors } from '@app/http/error-response.dto';
import { QuickAddDto } from './dto/quick-add.dto';
import { QuickAddPreviewResponseDto } from './dto/quick-add-preview-response.dto';
import { QuickAddResponseDto } from './dto/quick-add-response.dto';
import { QuickAddService } from './quick-add.service';

@ApiTags('tasks')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('tasks/quick-add')
export class QuickAddController {
  constructor(private readonly quickAdd: QuickAddService) {}

  @Post()
  @ApiOperation({ summary: 'Create a task (or a recurring template and its first instance) from one sentence' })
  @ApiDataResponse(QuickAddResponseDto, HttpStatus.CREATED)
  @ApiErrors(400, [409, 'LIMIT_EXCEEDED (active-task or reminder limit)'])
  async create(@CurrentUser() user: AuthUser, @Body() dto: QuickAddDto): Promise<DataEnvelope<QuickAddResponseDto>> {
    return ok(await this.quickAdd.create(user.id, dto.text, 'user'));
  }

  @Post('preview')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'What quick add would create from the sentence (creates nothing)' })
  @ApiDataResponse(QuickAddPreviewResponseDto)
  @ApiErrors(400)
  async preview(
    @CurrentUser() user: AuthUser,
    @Body() dto: QuickAddDto,
  ): Promise<DataEnvelope<QuickAddPreviewResponseDto>> {
    return ok(await this.quickAdd.preview(user.id, dto.text));
  }
}
