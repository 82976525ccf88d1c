import { Controller, Get, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthUser, CurrentUser } from '@app/core/http/auth-user';
import { ApiDataResponse, DataEnvelope, ok } from '@app/core/http/envelope';
import { ApiErrors } from '@app/http/error-response.dto';
import { DataExportService } from './data-export.service';
import { DataExportDto } from './dto/data-export.dto';
import { ExportIdParam } from './dto/export-id.param';

@ApiTags('users')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('users/me/export')
export class DataExportController {
  constructor(private readonly exports: DataExportService) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Request an export of all your data; prepared by the job runner, a notification tells when it is ready',
  })
  @ApiDataResponse(DataExportDto, HttpStatus.ACCEPTED)
  @ApiErrors(400)
  async request(@CurrentUser() user: AuthUser): Promise<DataEnvelope<DataExportDto>> {
    return ok(await this.exports.request(user.id));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Status of an export (404 once its 24-hour download window has passed)' })
  @ApiDataResponse(DataExportDto)
  @ApiErrors(400, 403, 404)
  async get(@CurrentUser() user: AuthUser, @Param() { id }: ExportIdParam): Promise<DataEnvelope<DataExportDto>> {
    return ok(await this.exports.get(user.id, id));
  }

  @Get(':id/download')
  @ApiOperation({ summary: 'Download a ready export: the JSON document itself (not enveloped), as an attachment' })
  @ApiProduces('application/json')
  @ApiResponse({
    status: 200,
    description: 'The export document (docs/export-and-deletion.md)',
    schema: { type: 'object', example: { format: 'perpetua-flow-export', version: 1, user: {}, tasks: [] } },
  })
  @ApiErrors(400, 403, 404, [409, 'CONFLICT (still being prepared, or failed)'])
  async download(
    @CurrentUser() user: AuthUser,
    @Param() { id }: ExportIdParam,
    @Res() response: Response,
  ): Promise<void> {
    const { fileName, content } = await this.exports.download(user.id, id);
    response
      .status(200)
      .set({
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Disposition': `attachment; filename="${fileName}"`,
      })
      .send(content);
  }
}
