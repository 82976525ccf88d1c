import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { generateRefreshToken, hashRefreshToken } from '@app/auth/refresh-token';
import { NotFoundError, RateLimitWindow } from '@app/core/errors/domain-error';
import type { DeletedDto } from '@app/core/http/envelope';
import { rateLimitHeaders } from '@app/core/rate-limit/rate-limiter';
import { MetricsService } from '@app/core/metrics/metrics.service';
import { RateLimiter, RateLimitExceededError, RateLimitBucketName } from '@app/core/rate-limit/rate-limiter';
import { renderCalendar } from './calendar-rules';
import { CalendarFeedsRepository } from './calendar-feeds.repository';
import type { CalendarFeedDto } from './dto/calendar-feed.dto';
import { isNotModified, nextLastModified, RequestConditions } from './http-conditions';

export const FEED_PATH = '/api/v1/calendar-feed';
/** 256 random bits, base64url: 43 characters. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface FeedRequest extends RequestConditions {
  token: string;
  /** Client IP (docs/api.md §1.12, TRUST_PROXY): the rate-limit key for unknown tokens. */
  clientIp: string;
}

export interface FeedResponse {
  status: 200 | 304;
  /** Empty for 304. */
  body: string;
  headers: Record<string, string>;
}

/** The secret calendar feed (docs/calendar-feed.md). */
@Injectable()
export class CalendarFeedService {
  constructor(
    private readonly feeds: CalendarFeedsRepository,
    private readonly rateLimiter: RateLimiter,
    private readonly metrics: MetricsService,
  ) {}

  /** Creates the feed or rotates its token; the raw token is returned once and stored only hashed. */
  async issue(userId: string, baseUrl: string): Promise<CalendarFeedDto> {
    // Same construction as refresh tokens: 256 random bits, stored as SHA-256.
    const token = generateRefreshToken();
    const feed = await this.feeds.issueToken(userId, hashRefreshToken(token), new Date());
    const url = `${baseUrl}${FEED_PATH}/${token}.ics`;
    return {
      id: feed.id,
      token,
      url,
      webcal_url: url.replace(/^https?:/, 'webcal:'),
      created_at: feed.createdAt.toISOString(),
    };
  }

  async revoke(userId: string): Promise<DeletedDto> {
    const id = await this.feeds.deleteForUser(userId);
    if (!id) throw new NotFoundError('Calendar feed');
    return { id, deleted: true };
  }

  /**
   * The calendar for a feed token. Unknown tokens count against the client IP's auth bucket
   * (guessing is throttled); known ones against a bucket of their own (calendar services poll
   * from shared addresses). Answers 304 when the client's copy is current.
   */
  async serve(request: FeedRequest): Promise<FeedResponse> {
    const hash = hashRefreshToken(request.token);
    const found = TOKEN_PATTERN.test(request.token) ? await this.feeds.findByTokenHash(hash) : null;
    const feed = found && sameDigest(found.tokenHash, hash) ? found : null;
    const window = feed
      ? await this.limit('general', `calendar-feed:${feed.id}`)
      : await this.limit('auth', `calendar-feed-miss:${request.clientIp}`);
    if (!feed) throw new NotFoundError('Calendar feed', { rateLimit: window });
    const limits = rateLimitHeaders(window);

    // Cheap path: the stored stamp still describes the data → the stored ETag is current, and a
    // client holding it gets 304 without anything being rendered.
    if (feed.contentHash && feed.contentChangedAt && feed.contentStamp) {
      const current = await this.feeds.contentStamp(feed.userId);
      const headers = { ...limits, ...validators(feed.contentHash, feed.contentChangedAt) };
      if (current === feed.contentStamp && isNotModified(request, headers.ETag, feed.contentChangedAt)) {
        return { status: 304, body: '', headers };
      }
    }
    const content = await this.feeds.content(feed.userId);
    const body = renderCalendar(content);
    const contentHash = createHash('sha256').update(body, 'utf8').digest('hex');
    const lastModified =
      feed.contentHash === contentHash && feed.contentStamp === content.stamp && feed.contentChangedAt
        ? feed.contentChangedAt
        : await this.feeds.recordContent(
            feed.id,
            contentHash,
            content.stamp,
            nextLastModified(new Date(), feed.contentChangedAt),
          );
    const headers = { ...limits, ...validators(contentHash, lastModified) };
    if (isNotModified(request, headers.ETag, lastModified)) return { status: 304, body: '', headers };
    return {
      status: 200,
      body,
      headers: {
        ...headers,
        'Content-Type': 'text/calendar; charset=utf-8',
        'Content-Disposition': 'inline; filename="perpetua-flow.ics"',
      },
    };
  }

  /** Counts one request: the window of docs/api.md §1.12 it was counted in, or a 429 carrying it. */
  private async limit(bucket: RateLimitBucketName, key: string): Promise<RateLimitWindow> {
    const { allowed, window, retryAfter } = await this.rateLimiter.consume(bucket, key);
    if (allowed) return window;
    this.metrics.rateLimitHits.inc({ bucket });
    throw new RateLimitExceededError(retryAfter, window);
  }
}

/** ETag (base64url of the content's SHA-256), Last-Modified and the feed's caching policy. */
function validators(
  contentHash: string,
  lastModified: Date,
): Record<'ETag' | 'Last-Modified' | 'Cache-Control', string> {
  return {
    ETag: `"${Buffer.from(contentHash, 'hex').toString('base64url')}"`,
    'Last-Modified': lastModified.toUTCString(),
    'Cache-Control': 'private, no-cache',
  };
}

/** Constant-time comparison of two hex SHA-256 digests. */
function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
