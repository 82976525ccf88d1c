import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/core/http/auth-user';
import { ApiDataResponse, DataEnvelope, ok } from '@app/core/http/envelope';
import { ApiErrors } from '@app/http/error-response.dto';
import { RateLimitBucket } from '@app/http/rate-limit-bucket.decorator';
import { CreditsService } from './credits.service';
import { AiCreditsResponseDto } from './dto/ai-credits-response.dto';

@ApiTags('ai')
@ApiBearerAuth()
@ApiErrors(401, 429)
@RateLimitBucket('ai')
@Controller('ai')
export class AiCreditsController {
  constructor(private readonly credits: CreditsService) {}

  @Get('credits')
  @ApiOperation({ summary: 'AI credit balance, daily allowance and next daily reset' })
  @ApiDataResponse(AiCreditsResponseDto)
  async get(@CurrentUser() user: AuthUser): Promise<DataEnvelope<AiCreditsResponseDto>> {
    return ok(await this.credits.aiCredits(user.id));
  }
}
