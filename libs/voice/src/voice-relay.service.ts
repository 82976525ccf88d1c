import type { IncomingMessage } from 'node:http';
import { Injectable } from '@nestjs/common';
import type { WebSocket } from 'ws';
import { EffectiveLimitsService } from '@app/achievements/effective-limits.service';
import { AppConfig } from '@app/core/config/app-config';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { RateLimitGuard } from '@app/core/http/rate-limit.guard';
import { CreditLedgerService } from '@app/credits/credit-ledger.service';
import { DeepgramGateway } from './deepgram.client';
import { VoiceConnection, VoiceRelayDeps } from './voice-connection';
import { VoiceSessionsService } from './voice-sessions.service';
import { VoiceTiming } from './voice-timing';
import { WsAccessTokenVerifier } from './ws-access-token.verifier';

/** Hands every voice WebSocket connection its own {@link VoiceConnection} with the shared services. */
@Injectable()
export class VoiceRelayService {
  private readonly deps: VoiceRelayDeps;

  constructor(
    verifier: WsAccessTokenVerifier,
    rateLimit: RateLimitGuard,
    deepgram: DeepgramGateway,
    limits: EffectiveLimitsService,
    sessions: VoiceSessionsService,
    credits: CreditLedgerService,
    uow: UnitOfWork,
    config: AppConfig,
    timing: VoiceTiming,
  ) {
    this.deps = { verifier, rateLimit, deepgram, limits, sessions, credits, uow, config, timing };
  }

  accept(socket: WebSocket, request: IncomingMessage): void {
    new VoiceConnection(this.deps, socket, request).start();
  }
}
