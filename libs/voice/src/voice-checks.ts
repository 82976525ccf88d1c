import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/core/config/app-config';
import type { AuthUser } from '@app/core/http/auth-user';
import { RateLimiter } from '@app/core/rate-limit/rate-limiter';
import { CreditLedgerService } from '@app/credits/credit-ledger.service';
import { EffectiveLimitsService } from '@app/limits/effective-limits.service';
import { DeepgramGateway, LiveHandlers, LiveTranscription } from './deepgram.client';
import { VoiceRefusal } from './voice-rules';
import { VoiceSessionsService } from './voice-sessions.service';

export interface ChecksPassed {
  /** The credit balance, for `connected`. */
  balance: number;
  live: LiveTranscription;
}

/** The checks after authentication, in the order of docs/realtime.md §1.1; the first failure is a refusal. */
@Injectable()
export class VoiceChecks {
  private readonly logger = new Logger(VoiceChecks.name);

  constructor(
    private readonly rateLimiter: RateLimiter,
    private readonly deepgram: DeepgramGateway,
    private readonly limits: EffectiveLimitsService,
    private readonly sessions: VoiceSessionsService,
    private readonly credits: CreditLedgerService,
    private readonly config: AppConfig,
  ) {}

  /** Checks 1–6; the last one opens the live transcription that `handlers` then receive. */
  async run(user: AuthUser, language: string, handlers: LiveHandlers): Promise<ChecksPassed> {
    if (!(await this.rateLimiter.consume('ai', user.id)).allowed)
      throw new VoiceRefusal('RATE_LIMIT_EXCEEDED', 'Rate limit exceeded', 4429);
    if (!this.deepgram.configured) {
      throw new VoiceRefusal('TRANSCRIPTION_SERVICE_UNAVAILABLE', 'Voice transcription is unavailable', 1013);
    }
    if (!(await this.limits.forUser(user.id)).voiceAllowed)
      throw new VoiceRefusal('TIER_REQUIRED', 'Voice transcription requires Pro', 4403);
    if (await this.sessions.hasActiveSession(user.id, new Date())) {
      throw new VoiceRefusal('SESSION_ALREADY_ACTIVE', 'Another voice session is active', 4409);
    }
    const balance = (await this.credits.readBalance(user.id)).total;
    if (balance < this.config.AI_CREDIT_TRANSCRIPTION_PER_MIN) {
      throw new VoiceRefusal('INSUFFICIENT_CREDITS', 'Not enough AI credits to start', 4402);
    }
    const live = await this.deepgram.openLive(language, handlers).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'live transcription connection failed');
      throw new VoiceRefusal('TRANSCRIPTION_FAILED', 'The transcription provider is unavailable', 1011);
    });
    return { balance, live };
  }
}
