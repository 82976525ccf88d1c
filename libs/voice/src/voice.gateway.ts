import type { IncomingMessage } from 'node:http';
import { OnGatewayConnection, WebSocketGateway } from '@nestjs/websockets';
import type { WebSocket } from 'ws';
import { VoiceRelayService } from './voice-relay.service';

/** `GET /api/v1/ws/voice/transcribe` upgraded to WebSocket (docs/realtime.md §1); thin like a controller. */
@WebSocketGateway({ path: '/api/v1/ws/voice/transcribe', maxPayload: 1024 * 1024 })
export class VoiceGateway implements OnGatewayConnection {
  constructor(private readonly relay: VoiceRelayService) {}

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    this.relay.accept(socket, request);
  }
}
