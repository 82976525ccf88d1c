import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { BearerAuthGuard } from '@app/access-tokens/bearer-auth.guard';
import { AccessTokensHttpModule } from '@app/access-tokens/access-tokens-http.module';
import { AccountHttpModule } from '@app/account/account-http.module';
import { AchievementsHttpModule } from '@app/achievements/achievements-http.module';
import { AuthHttpModule } from '@app/auth/auth-http.module';
import { ActivityHttpModule } from '@app/activity/activity-http.module';
import { ActivityModule } from '@app/activity/activity.module';
import { BillingHttpModule } from '@app/billing/billing-http.module';
import { CalendarHttpModule } from '@app/calendar/calendar-http.module';
import { AiHttpModule } from '@app/ai/ai-http.module';
import { CoreModule, CoreModuleOptions } from '@app/core/core.module';
import { CreditsHttpModule } from '@app/credits/credits-http.module';
import { DeprecationHeadersGuard } from '@app/http/deprecated.decorator';
import { AllExceptionsFilter } from '@app/http/exception.filter';
import { RateLimitGuard } from '@app/http/rate-limit.guard';
import { IdempotencyInterceptor } from '@app/http/idempotency.interceptor';
import { createValidationPipe } from '@app/core/validation/validation.pipe';
import { NotesHttpModule } from '@app/notes/notes-http.module';
import { EventsHttpModule } from '@app/events/events-http.module';
import { FocusHttpModule } from '@app/focus/focus-http.module';
import { McpHttpModule } from '@app/mcp/mcp-http.module';
import { NotificationsHttpModule } from '@app/notifications/notifications-http.module';
import { QuickAddHttpModule } from '@app/quick-add/quick-add-http.module';
import { RecoveryHttpModule } from '@app/recovery/recovery-http.module';
import { RemindersHttpModule } from '@app/reminders/reminders-http.module';
import { SyncHttpModule } from '@app/sync/sync-http.module';
import { TasksHttpModule } from '@app/tasks/tasks-http.module';
import { TemplatesHttpModule } from '@app/tasks/templates-http.module';
import { UsersHttpModule } from '@app/users/users-http.module';
import { VoiceHttpModule } from '@app/voice/voice-http.module';
import { OpsModule } from './ops/ops.module';

/** The HTTP API: every feature's HTTP module over the shared core, with the docs/api.md §1.9 pipeline. */
@Module({})
export class ApiModule {
  static register(options: CoreModuleOptions): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        CoreModule.forRoot(options),
        ActivityModule,
        OpsModule,
        AuthHttpModule,
        AccessTokensHttpModule,
        UsersHttpModule,
        CreditsHttpModule,
        AchievementsHttpModule,
        BillingHttpModule,
        NotificationsHttpModule,
        NotesHttpModule,
        AiHttpModule,
        VoiceHttpModule,
        QuickAddHttpModule,
        TasksHttpModule,
        RemindersHttpModule,
        TemplatesHttpModule,
        RecoveryHttpModule,
        FocusHttpModule,
        ActivityHttpModule,
        SyncHttpModule,
        CalendarHttpModule,
        AccountHttpModule,
        McpHttpModule,
        EventsHttpModule,
      ],
      providers: [
        // Guards run in this order: deprecation headers, authentication (401, personal access token scopes 403),
        // rate limit (429).
        { provide: APP_GUARD, useClass: DeprecationHeadersGuard },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        // Bound to the write routes only, at boot (http/idempotent-routes.ts).
        IdempotencyInterceptor,
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
