import { Body, Controller, Delete, Get, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/core/http/auth-user';
import { ApiCollectionResponse, ApiDataResponse, DataEnvelope, DeletedDto, ok } from '@app/core/http/envelope';
import { ApiErrors } from '@app/http/error-response.dto';
import { TokenScope } from '@app/http/token-scope.decorator';
import { ReplayAs } from '@app/core/idempotency/idempotency-options.decorator';
import { AccessTokensService } from './access-tokens.service';
import { AccessTokenIdParamDto } from './dto/access-token-id-param.dto';
import { AccessTokenResponseDto, CreatedAccessTokenResponseDto } from './dto/access-token-response.dto';
import { CreateAccessTokenDto } from './dto/create-access-token.dto';

/** A replay of a creation shows the token without its secret, which is stored nowhere. */
const withoutSecret = (body: unknown): unknown => {
  const { data } = body as DataEnvelope<CreatedAccessTokenResponseDto>;
  return { data: { ...data, token: null } };
};

/** Personal access tokens (docs/access-tokens.md): managed with a session only, never with a token. */
@ApiTags('access-tokens')
@ApiBearerAuth()
@TokenScope('session')
@ApiErrors(401, [403, 'SESSION_REQUIRED (called with a personal access token)'], 429)
@Controller('access-tokens')
export class AccessTokensController {
  constructor(private readonly tokens: AccessTokensService) {}

  @Get()
  @ApiOperation({ summary: 'List your personal access tokens, newest first (never their secrets)' })
  @ApiCollectionResponse(AccessTokenResponseDto)
  async list(@CurrentUser() user: AuthUser): Promise<DataEnvelope<AccessTokenResponseDto[]>> {
    return ok(await this.tokens.list(user.id));
  }

  @Post()
  @ReplayAs(withoutSecret)
  @ApiOperation({ summary: 'Create a personal access token; its secret is shown in this answer only' })
  @ApiDataResponse(CreatedAccessTokenResponseDto, HttpStatus.CREATED)
  @ApiErrors(400, [409, 'LIMIT_EXCEEDED (20 active tokens; carries limit and current)'])
  async create(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreateAccessTokenDto,
  ): Promise<DataEnvelope<CreatedAccessTokenResponseDto>> {
    return ok(await this.tokens.create(user.id, dto));
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke a personal access token (its next request is 401)' })
  @ApiDataResponse(DeletedDto)
  @ApiErrors(400, [403, 'FORBIDDEN (another user’s token)'], 404)
  async revoke(
    @CurrentUser() user: AuthUser,
    @Param() params: AccessTokenIdParamDto,
  ): Promise<DataEnvelope<DeletedDto>> {
    return ok(await this.tokens.revoke(user.id, params.id));
  }
}
