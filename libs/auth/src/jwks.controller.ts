import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@app/core/http/auth-user';
import { SkipRateLimit } from '@app/http/rate-limit-bucket.decorator';
import { JwksResponseDto } from './dto/jwks-response.dto';
import { JwtKeysService } from './jwt-keys.service';

/** Served outside the global prefix too; the api app excludes this controller from it. */
@ApiTags('auth')
@Public()
@SkipRateLimit()
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: JwtKeysService) {}

  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=3600')
  @ApiOperation({ summary: 'Public keys that verify access tokens (JWKS)' })
  @ApiOkResponse({ type: JwksResponseDto, description: 'JWK set (not enveloped)' })
  jwks(): JwksResponseDto {
    return this.keys.jwks();
  }
}
