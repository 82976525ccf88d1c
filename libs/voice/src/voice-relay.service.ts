import type { IncomingMessage } from 'node:http';
import { Injectable } from '@nestjs/common';
import type { WebSocket } from 'ws';
import { EffectiveLimitsService } from '@app/limits/effective-limits.service';
import { AppConfig } from '@app/core/config/app-config';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { clientIpResolver } from '@app/core/http/client-ip';
import { RateLimitGuard } from '@app/core/http/rate-limit.guard';
import { CreditLedgerService } from '@app/credits/credit-ledger.service';
import { DeepgramGateway } from './deepgram.client';
import { VoiceConnection, VoiceRelayDeps } from './voice-connection';
import { VoiceSessionsService } from './voice-sessions.service';
import { UnauthenticatedSockets } from './unauthenticated-sockets';
import { VoiceTiming } from './voice-timing';
import { WsAccessTokenVerifier } from './ws-access-token.verifier';

/** Hands every voice WebSocket connection its own {@link VoiceConnection} with the shared services. */
@Injectable()
export class VoiceRelayService {
  private readonly deps: VoiceRelayDeps;
  private readonly unauthenticated = new UnauthenticatedSockets();
  private readonly clientIp: (request: IncomingMessage) => string;

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
    this.clientIp = clientIpResolver(config.trustProxy);
  }

  /** Starts the connection with a place among its client IP's unauthenticated sockets (none: refused). */
  accept(socket: WebSocket, request: IncomingMessage): void {
    const release = this.unauthenticated.admit(this.clientIp(request));
    if (release) socket.once('close', release);
    new VoiceConnection(this.deps, socket, request, release).start();
  }
}
