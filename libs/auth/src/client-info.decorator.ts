import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { ClientInfo } from './token.service';

/** User agent and address of the caller, stored with the refresh token it receives. */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext): ClientInfo => {
  const request = context.switchToHttp().getRequest<Request>();
  return { userAgent: request.get('user-agent') ?? null, ip: request.ip ?? null };
});
