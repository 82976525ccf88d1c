import { Module } from '@nestjs/common';
import { RefreshTokenRetention } from './refresh-token-retention';

/** The refresh tokens' part of `maintenance_cleanup`, for the worker, which loads no other part of auth. */
@Module({ providers: [RefreshTokenRetention] })
export class RefreshTokenRetentionModule {}
