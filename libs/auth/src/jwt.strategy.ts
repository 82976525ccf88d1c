import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { AuthUser } from '@app/core/http/auth-user';
import { UnauthorizedError } from '@app/core/errors/domain-error';
import { UUID_PATTERN } from '@app/core/validation/validators';
import { UsersRepository } from '@app/users/users.repository';
import {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS,
  ACCESS_TOKEN_ISSUER,
  ACCESS_TOKEN_TYPE,
} from './jwt.constants';
import { JwtKeysService } from './jwt-keys.service';

interface AccessTokenClaims {
  sub?: unknown;
  type?: unknown;
  jti?: unknown;
  exp?: unknown;
}

/**
 * Verifies bearer access tokens: RS256 only, signed by the key its `kid` names (current or
 * retired), this issuer and audience, 30 s skew, `type: "access"`, and a user that still exists.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    keys: JwtKeysService,
    private readonly users: UsersRepository,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: (_request: unknown, rawJwtToken: string, done: (err: unknown, key?: string) => void) => {
        const key = keys.verificationKeyOf(rawJwtToken);
        // jsonwebtoken verifies with a KeyObject as well (the typings only name string | Buffer).
        if (key) done(null, key as unknown as string);
        else done(new Error('token names no known signing key'));
      },
      algorithms: ['RS256'],
      issuer: ACCESS_TOKEN_ISSUER,
      audience: ACCESS_TOKEN_AUDIENCE,
      jsonWebTokenOptions: { clockTolerance: ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS },
    });
  }

  async validate(claims: AccessTokenClaims): Promise<AuthUser> {
    const { sub, type, jti, exp } = claims;
    if (type !== ACCESS_TOKEN_TYPE || typeof sub !== 'string' || !UUID_PATTERN.test(sub)) {
      throw new UnauthorizedError('Invalid access token');
    }
    if (typeof jti !== 'string' || jti === '' || typeof exp !== 'number') {
      throw new UnauthorizedError('Invalid access token');
    }
    const user = await this.users.findIdentity(sub.toLowerCase());
    if (!user) throw new UnauthorizedError('The user of this access token no longer exists');
    return { id: user.id, email: user.email, tokenId: jti, tokenExpiresAt: exp };
  }
}
