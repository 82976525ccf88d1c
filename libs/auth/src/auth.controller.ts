import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@app/core/http/auth-user';
import { ApiErrors } from '@app/http/error-response.dto';
import { RateLimitBucket } from '@app/http/rate-limit-bucket.decorator';
import { AuthService } from './auth.service';
import { Caller } from './client-info.decorator';
import { DevLoginEnabledGuard } from './dev-login-enabled.guard';
import { DevLoginDto } from './dto/dev-login.dto';
import { GoogleCallbackDto } from './dto/google-callback.dto';
import { RefreshTokenDto } from './dto/refresh-token.dto';
import { LoginResponseDto, TokenResponseDto } from './dto/token-response.dto';
import type { ClientInfo } from './token.service';

/** Public: these routes never evaluate the `Authorization` header (docs/api.md §3). */
@ApiTags('auth')
@Public()
@RateLimitBucket('auth')
@ApiErrors(400, 429)
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('google/callback')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Exchange a Google ID token for access and refresh tokens' })
  @ApiOkResponse({ type: LoginResponseDto, description: 'Token response with the user (not enveloped)' })
  @ApiErrors([401, 'GOOGLE_AUTH_FAILED'], [503, 'AUTH_PROVIDER_UNAVAILABLE'])
  googleCallback(@Body() dto: GoogleCallbackDto, @Caller() client: ClientInfo): Promise<LoginResponseDto> {
    return this.auth.loginWithGoogle(dto.id_token, client);
  }

  @Post('dev/login')
  @HttpCode(HttpStatus.OK)
  @UseGuards(DevLoginEnabledGuard)
  @ApiOperation({ summary: 'Development login by email (only when AUTH_DEV_LOGIN=true)' })
  @ApiOkResponse({ type: LoginResponseDto, description: 'Token response with the user (not enveloped)' })
  @ApiErrors([404, 'NOT_FOUND (dev login disabled)'], [503, 'PAYMENT_SERVICE_UNAVAILABLE (tier pro)'])
  devLogin(@Body() dto: DevLoginDto, @Caller() client: ClientInfo): Promise<LoginResponseDto> {
    return this.auth.loginAsDeveloper(dto, client);
  }

  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Rotate a refresh token for a new token pair' })
  @ApiOkResponse({ type: TokenResponseDto, description: 'Token response without user (not enveloped)' })
  @ApiErrors([401, 'INVALID_REFRESH_TOKEN'])
  refresh(@Body() dto: RefreshTokenDto, @Caller() client: ClientInfo): Promise<TokenResponseDto> {
    return this.auth.refresh(dto.refresh_token, client);
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke a refresh token (always 204)' })
  @ApiNoContentResponse({ description: 'Revoked, or already revoked or unknown' })
  logout(@Body() dto: RefreshTokenDto): Promise<void> {
    return this.auth.logout(dto.refresh_token);
  }
}
