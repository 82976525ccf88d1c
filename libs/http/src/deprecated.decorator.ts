import { applyDecorators, CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiOperation } from '@nestjs/swagger';
import type { Request, Response } from 'express';

/** Deprecation of docs/api.md §1.14 (RFC 9745 `Deprecation`, RFC 8594 `Sunset`) for the PUT aliases. */
export const PUT_ALIAS_DEPRECATION = { deprecatedAt: 1772323200, sunset: 'Mon, 01 Mar 2027 00:00:00 GMT' };
const DEPRECATION_SUCCESSOR = 'perpetua:deprecationSuccessor';

export function DeprecatedRoute(successor: string, summary: string): MethodDecorator {
  return applyDecorators(
    ApiOperation({
      summary,
      deprecated: true,
      description: `Deprecated: use \`${successor}\`. Sunset ${PUT_ALIAS_DEPRECATION.sunset}.`,
    }),
    SetMetadata(DEPRECATION_SUCCESSOR, successor),
  );
}

/** Runs first among the guards so that every answer of a deprecated route carries the headers. */
@Injectable()
export class DeprecationHeadersGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const successor = this.reflector.get<string | undefined>(DEPRECATION_SUCCESSOR, context.getHandler());
    if (successor && context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<Request>();
      const response = context.switchToHttp().getResponse<Response>();
      // Path parameters are client text: percent-encoded, they can never break the header.
      const link = successor.replace(/\{(\w+)\}/g, (placeholder, name: string) =>
        request.params[name] === undefined ? placeholder : encodeURIComponent(String(request.params[name])),
      );
      response.setHeader('Deprecation', `@${PUT_ALIAS_DEPRECATION.deprecatedAt}`);
      response.setHeader('Sunset', PUT_ALIAS_DEPRECATION.sunset);
      response.setHeader('Link', `<${link}>; rel="successor-version"`);
    }
    return true;
  }
}
