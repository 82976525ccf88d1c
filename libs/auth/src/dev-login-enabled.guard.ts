import { CanActivate, Injectable } from '@nestjs/common';
import { AppConfig } from '@app/core/config/app-config';
import { NotFoundError } from '@app/core/errors/domain-error';

/** `POST /auth/dev/login` exists only with `AUTH_DEV_LOGIN=true`; a guard so it 404s before validation. */
@Injectable()
export class DevLoginEnabledGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(): boolean {
    if (!this.config.AUTH_DEV_LOGIN) throw new NotFoundError('Route');
    return true;
  }
}
