import type { IncomingMessage } from 'node:http';
import { OnGatewayConnection, WebSocketGateway } from '@nestjs/websockets';
import type { WebSocket } from 'ws';
import { AppConfig } from '@app/core/config/app-config';
import { clientIpResolver } from '@app/http/client-ip';
import { VoiceRelayService } from './voice-relay.service';
import { MAX_MESSAGE_BYTES } from './voice-rules';

/**
 * `GET /api/v1/ws/voice/transcribe` upgraded to WebSocket (docs/realtime.md §1); thin like a controller.
 * No client message may exceed 64 KiB (audio frames are at most 32 KiB, the auth message a few
 * hundred bytes): a larger one is dropped by the WebSocket layer before it is buffered, close 1009.
 */
@WebSocketGateway({ path: '/api/v1/ws/voice/transcribe', maxPayload: MAX_MESSAGE_BYTES })
export class VoiceGateway implements OnGatewayConnection {
  private readonly clientIp: (request: IncomingMessage) => string;

  constructor(
    private readonly relay: VoiceRelayService,
    config: AppConfig,
  ) {
    this.clientIp = clientIpResolver(config.trustProxy);
  }

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    this.relay.accept(socket, request, this.clientIp(request));
  }
}
