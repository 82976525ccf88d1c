/** Fixed claims of every access token (docs/api.md §3). */
export const ACCESS_TOKEN_ISSUER = 'perpetua-flow';
export const ACCESS_TOKEN_AUDIENCE = 'perpetua-flow-api';
export const ACCESS_TOKEN_TYPE = 'access';
/** Clock skew tolerated when verifying access tokens, in seconds. */
export const ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS = 30;
