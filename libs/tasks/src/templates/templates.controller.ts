import { Body, Controller, Delete, Get, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/core/http/auth-user';
import { ApiDataResponse, ApiListResponse, DataEnvelope, DeletedDto, ListEnvelope, ok } from '@app/core/http/envelope';
import { ApiErrors } from '@app/http/error-response.dto';
import { IdParamDto } from '../dto/id-param.dto';
import { CreateTemplateDto } from './dto/create-template.dto';
import { GeneratedInstanceResponseDto } from './dto/generated-instance-response.dto';
import { ListTemplatesQueryDto } from './dto/list-templates-query.dto';
import { TemplateCreatedResponseDto } from './dto/template-created-response.dto';
import { TemplateResponseDto } from './dto/template-response.dto';
import { UpdateTemplateDto } from './dto/update-template.dto';
import { TemplatesService } from './templates.service';

@ApiTags('templates')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Get()
  @ApiOperation({ summary: 'List recurring templates, newest first (active only unless include_inactive)' })
  @ApiListResponse(TemplateResponseDto)
  @ApiErrors(400)
  list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListTemplatesQueryDto,
  ): Promise<ListEnvelope<TemplateResponseDto>> {
    return this.templates.list(user.id, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a template' })
  @ApiDataResponse(TemplateResponseDto)
  @ApiErrors(400, 403, 404)
  async get(@CurrentUser() user: AuthUser, @Param() params: IdParamDto): Promise<DataEnvelope<TemplateResponseDto>> {
    return ok(await this.templates.get(user.id, params.id));
  }

  @Post()
  @ApiOperation({ summary: 'Create a template and its first instance (first occurrence after now)' })
  @ApiDataResponse(TemplateCreatedResponseDto, HttpStatus.CREATED)
  @ApiErrors(
    [400, 'VALIDATION_ERROR (incl. an invalid RRULE)'],
    [409, 'LIMIT_EXCEEDED (first instance; nothing is created)'],
  )
  async create(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreateTemplateDto,
  ): Promise<DataEnvelope<TemplateCreatedResponseDto>> {
    return ok(await this.templates.create(user.id, dto));
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Update a template',
    description:
      'Rule changes recompute next_due; active=false stops generation; re-activation generates an instance when none is incomplete; apply_to_future_only=false also updates incomplete, non-archived instances.',
  })
  @ApiDataResponse(TemplateResponseDto)
  @ApiErrors(400, 403, 404)
  async update(
    @CurrentUser() user: AuthUser,
    @Param() params: IdParamDto,
    @Body() dto: UpdateTemplateDto,
  ): Promise<DataEnvelope<TemplateResponseDto>> {
    return ok(await this.templates.update(user.id, params.id, dto));
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a template; its instances stay as standalone tasks' })
  @ApiDataResponse(DeletedDto)
  @ApiErrors(400, 403, 404)
  async delete(@CurrentUser() user: AuthUser, @Param() params: IdParamDto): Promise<DataEnvelope<DeletedDto>> {
    await this.templates.delete(user.id, params.id);
    return ok({ id: params.id, deleted: true });
  }

  @Post(':id/generate')
  @ApiOperation({ summary: 'Generate the next instance now (even if an incomplete one exists)' })
  @ApiDataResponse(GeneratedInstanceResponseDto, HttpStatus.CREATED)
  @ApiErrors(400, 403, 404, [409, 'TEMPLATE_INACTIVE, TEMPLATE_EXHAUSTED or LIMIT_EXCEEDED'])
  async generate(
    @CurrentUser() user: AuthUser,
    @Param() params: IdParamDto,
  ): Promise<DataEnvelope<GeneratedInstanceResponseDto>> {
    return ok(await this.templates.generate(user.id, params.id));
  }
}
