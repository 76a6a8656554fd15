/** The token API's URL (gophercloud's urls.go), under a Keystone v3 URL. */
export const tokensURL = (authUrl: string) => `${authUrl}/auth/tokens`;
