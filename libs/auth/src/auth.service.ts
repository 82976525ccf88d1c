import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { AppConfig } from '@app/core/config/app-config';
import type { UserEntity } from '@app/core/database/entities';
import type { UserTier } from '@app/core/database/enums';
import type { Transaction } from '@app/core/events/transaction';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { PaymentServiceUnavailableError } from '@app/core/errors/domain-error';
import { grantKickstartCredits } from '@app/credits/kickstart-grant';
import { toUserResponse, UserResponseDto } from '@app/users/dto/user-response.dto';
import { LoginMethod, UserCreated, UserLoggedIn } from '@app/users/user.events';
import { NewUser, UserChanges, UsersRepository } from '@app/users/users.repository';
import { GoogleAuthFailedError } from './auth.errors';
import { GoogleIdTokenVerifier } from './google-id-token.verifier';
import { PRO_ACTIVATION, ProActivationPort } from './pro-activation.port';
import { ClientInfo, TokenPair, TokenService } from './token.service';

export interface LoginResult extends TokenPair {
  user: UserResponseDto;
}

export interface DevLoginRequest {
  email: string;
  name?: string;
  tier?: UserTier;
}

const NAME_MAX_LENGTH = 100;
const UNIQUE_VIOLATION = '23505';
/** `google_id` of accounts created by dev login: they have no Google `sub` yet. */
const DEV_GOOGLE_ID_PREFIX = 'dev:';

@Injectable()
export class AuthService {
  constructor(
    private readonly config: AppConfig,
    private readonly uow: UnitOfWork,
    private readonly users: UsersRepository,
    private readonly tokens: TokenService,
    private readonly google: GoogleIdTokenVerifier,
    @Optional() @Inject(PRO_ACTIVATION) private readonly proActivation?: ProActivationPort,
  ) {}

  /**
   * Google sign-in (docs/api.md §3): the account is found by `sub`, else by email — linked to this `sub`
   * only when it has no Google `sub` yet (a dev-login account); one linked to another Google
   * account is never relinked — else created. Existing accounts only get their avatar refreshed.
   */
  async loginWithGoogle(idToken: string, client: ClientInfo): Promise<LoginResult> {
    const identity = await this.google.verify(idToken);
    return this.login('google', client, async (tx, now) => {
      const bySub = await this.users.findByGoogleId(tx.manager, identity.sub);
      const existing = bySub ?? (await this.users.findByEmail(tx.manager, identity.email));
      if (!existing) {
        const name = identity.name ? truncate(identity.name.trim(), NAME_MAX_LENGTH) : defaultName(identity.email);
        const newUser = { googleId: identity.sub, email: identity.email, name, avatarUrl: identity.picture };
        return this.createUser(tx, 'google', newUser, now);
      }
      const changes: UserChanges = {};
      if (existing.googleId !== identity.sub) {
        if (!existing.googleId.startsWith(DEV_GOOGLE_ID_PREFIX)) {
          throw new GoogleAuthFailedError('This email belongs to an account linked to another Google account');
        }
        changes.googleId = identity.sub;
      }
      if (identity.picture && identity.picture !== existing.avatarUrl) changes.avatarUrl = identity.picture;
      return Object.keys(changes).length > 0 ? this.users.update(tx.manager, existing, changes, now) : existing;
    });
  }

  /** Development login (`AUTH_DEV_LOGIN=true`): finds the user by email or creates it. */
  loginAsDeveloper(request: DevLoginRequest, client: ClientInfo): Promise<LoginResult> {
    return this.login('dev', client, async (tx, now) => {
      const newUser = {
        googleId: `${DEV_GOOGLE_ID_PREFIX}${request.email.toLowerCase()}`,
        email: request.email,
        name: request.name ?? defaultName(request.email),
        avatarUrl: null,
      };
      const user =
        (await this.users.findByEmail(tx.manager, request.email)) ?? (await this.createUser(tx, 'dev', newUser, now));
      if (request.tier !== 'pro' || user.tier === 'pro') return user;
      await this.activatePro(tx, user.id, now);
      return (await this.users.findById(user.id, tx.manager)) ?? user;
    });
  }

  refresh(refreshToken: string, client: ClientInfo): Promise<TokenPair> {
    return this.tokens.refresh(refreshToken, client);
  }

  logout(refreshToken: string): Promise<void> {
    return this.tokens.revoke(refreshToken);
  }

  /**
   * One login transaction: resolve the user, emit `user.logged_in`, start the session. Two
   * concurrent first logins of one account collide on a unique index; the retry finds the user.
   */
  private async login(
    method: LoginMethod,
    client: ClientInfo,
    resolve: (tx: Transaction, now: Date) => Promise<UserEntity>,
  ): Promise<LoginResult> {
    const attempt = (): Promise<LoginResult> =>
      this.uow.run(async (tx) => {
        const now = new Date();
        const user = await resolve(tx, now);
        await tx.emit(UserLoggedIn, { method }, { userId: user.id, source: 'user', occurredAt: now });
        const tokens = await this.tokens.startSession(tx.manager, user, client, now);
        return { ...tokens, user: toUserResponse(user) };
      });
    try {
      return await attempt();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return attempt();
    }
  }

  /** A new account with its achievement state and kickstart credits, in the login transaction. */
  private async createUser(tx: Transaction, method: LoginMethod, newUser: NewUser, now: Date): Promise<UserEntity> {
    const user = await this.users.create(tx.manager, newUser, now);
    await tx.emit(UserCreated, { method }, { userId: user.id, source: 'user', occurredAt: now });
    await grantKickstartCredits(tx, user.id, this.config.KICKSTART_CREDITS, now);
    return user;
  }

  private async activatePro(tx: Transaction, userId: string, now: Date): Promise<void> {
    if (!this.proActivation) throw new PaymentServiceUnavailableError('Pro activation is not available');
    await this.proActivation.activateFromDevLogin(tx, {
      userId,
      checkoutSubscriptionId: `dev_${userId}`,
      paymentId: `dev_${randomUUID()}`,
      now,
    });
  }
}

function defaultName(email: string): string {
  const localPart = email.slice(0, email.lastIndexOf('@')).trim();
  return truncate(localPart || email, NAME_MAX_LENGTH);
}

/** Cuts to `max` code points (the unit PostgreSQL counts). */
function truncate(value: string, max: number): string {
  return Array.from(value).slice(0, max).join('');
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION;
}
