import { Body, Controller, Delete, Get, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DeprecatedRoute } from '@app/http/deprecated.decorator';
import { AuthUser, CurrentUser } from '@app/core/http/auth-user';
import { ApiDataResponse, ApiListResponse, DataEnvelope, DeletedDto, ListEnvelope, ok } from '@app/core/http/envelope';
import { ApiErrors } from '@app/http/error-response.dto';
import { CreateNoteDto } from './dto/create-note.dto';
import { NoteIdParam } from './dto/note-id.param';
import { NoteResponseDto } from './dto/note-response.dto';
import { NotesQueryDto } from './dto/notes-query.dto';
import { UpdateNoteDto } from './dto/update-note.dto';
import { NotesService } from './notes.service';

@ApiTags('notes')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('notes')
export class NotesController {
  constructor(private readonly notes: NotesService) {}

  @Get()
  @ApiOperation({ summary: "List the caller's notes, newest first" })
  @ApiListResponse(NoteResponseDto)
  @ApiErrors(400)
  list(@CurrentUser() user: AuthUser, @Query() query: NotesQueryDto): Promise<ListEnvelope<NoteResponseDto>> {
    return this.notes.list(user.id, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a note (archived ones included)' })
  @ApiDataResponse(NoteResponseDto)
  @ApiErrors(400, 403, 404)
  async get(@CurrentUser() user: AuthUser, @Param() { id }: NoteIdParam): Promise<DataEnvelope<NoteResponseDto>> {
    return ok(await this.notes.get(user.id, id));
  }

  @Post()
  @ApiOperation({ summary: 'Create a note (voice notes require Pro)' })
  @ApiDataResponse(NoteResponseDto, 201)
  @ApiErrors(400, [403, 'TIER_REQUIRED (voice note on the free tier)'], [409, 'LIMIT_EXCEEDED'])
  async create(@CurrentUser() user: AuthUser, @Body() dto: CreateNoteDto): Promise<DataEnvelope<NoteResponseDto>> {
    return ok(await this.notes.create(user.id, dto));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Update or archive a note' })
  @ApiDataResponse(NoteResponseDto)
  @ApiErrors(400, 403, 404, [409, 'ARCHIVED'])
  async update(
    @CurrentUser() user: AuthUser,
    @Param() { id }: NoteIdParam,
    @Body() dto: UpdateNoteDto,
  ): Promise<DataEnvelope<NoteResponseDto>> {
    return ok(await this.notes.update(user.id, id, dto));
  }

  @Put(':id')
  @DeprecatedRoute('/api/v1/notes/{id}', 'Update a note (deprecated alias of PATCH)')
  @ApiDataResponse(NoteResponseDto)
  @ApiErrors(400, 403, 404, [409, 'ARCHIVED'])
  async replace(
    @CurrentUser() user: AuthUser,
    @Param() { id }: NoteIdParam,
    @Body() dto: UpdateNoteDto,
  ): Promise<DataEnvelope<NoteResponseDto>> {
    return ok(await this.notes.update(user.id, id, dto));
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a note permanently' })
  @ApiDataResponse(DeletedDto)
  @ApiErrors(400, 403, 404)
  async delete(@CurrentUser() user: AuthUser, @Param() { id }: NoteIdParam): Promise<DataEnvelope<DeletedDto>> {
    return ok(await this.notes.delete(user.id, id));
  }
}
