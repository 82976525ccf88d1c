import type { IncomingMessage } from 'node:http';
import { Injectable } from '@nestjs/common';
import type { WebSocket } from 'ws';
import { AccessTokenVerifier } from '@app/auth/access-token.verifier';
import { AppConfig } from '@app/core/config/app-config';
import { clientIpResolver } from '@app/core/http/client-ip';
import { VoiceChecks } from './voice-checks';
import { VoiceConnection, VoiceConnectionDeps } from './voice-connection';
import { VoiceSettlement } from './voice-settlement';
import { UnauthenticatedSockets } from './unauthenticated-sockets';
import { VoiceTiming } from './voice-timing';

/** Hands every voice WebSocket connection its own {@link VoiceConnection} with the shared services. */
@Injectable()
export class VoiceRelayService {
  private readonly deps: VoiceConnectionDeps;
  private readonly unauthenticated = new UnauthenticatedSockets();
  private readonly clientIp: (request: IncomingMessage) => string;

  constructor(
    verifier: AccessTokenVerifier,
    checks: VoiceChecks,
    settlement: VoiceSettlement,
    config: AppConfig,
    timing: VoiceTiming,
  ) {
    this.deps = { verifier, checks, settlement, config, timing };
    this.clientIp = clientIpResolver(config.trustProxy);
  }

  /** Starts the connection with a place among its client IP's unauthenticated sockets (none: refused). */
  accept(socket: WebSocket, request: IncomingMessage): void {
    const release = this.unauthenticated.admit(this.clientIp(request));
    if (release) socket.once('close', release);
    new VoiceConnection(this.deps, socket, request, release).start();
  }
}
