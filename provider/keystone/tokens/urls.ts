/** authUrl is normalized to end in /v3 without a trailing slash (see auth/options.ts). */
export const tokensUrl = (authUrl: string) => `${authUrl}/auth/tokens`;
