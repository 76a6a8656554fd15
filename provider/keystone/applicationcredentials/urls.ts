/** Paths of the application credentials API, under the Keystone v3 URL (gophercloud's urls.go). */
export const applicationCredentialURL = (userId: string, id: string) =>
    `/users/${encodeURIComponent(userId)}/application_credentials/${encodeURIComponent(id)}`;
