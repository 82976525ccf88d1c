import type { IncomingMessage } from 'node:http';
import { Injectable } from '@nestjs/common';
import type { WebSocket } from 'ws';
import { AccessTokenVerifier } from '@app/auth/access-token.verifier';
import { AppConfig } from '@app/core/config/app-config';
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

  constructor(
    verifier: AccessTokenVerifier,
    checks: VoiceChecks,
    settlement: VoiceSettlement,
    config: AppConfig,
    timing: VoiceTiming,
  ) {
    this.deps = { verifier, checks, settlement, config, timing };
  }

  /** Starts the connection with a place among its client IP's unauthenticated sockets (none: refused). */
  accept(socket: WebSocket, request: IncomingMessage, clientIp: string): void {
    const release = this.unauthenticated.admit(clientIp);
    if (release) socket.once('close', release);
    new VoiceConnection(this.deps, socket, request, release).start();
  }
}
