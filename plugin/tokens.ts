/** The plugin's package name and type tokens: the names in every URN and program that uses it. */
export const PACKAGE = "openstack-s3-access";

export const TOKENS = {
    ec2Credential: `${PACKAGE}:index:Ec2Credential`,
    // The same token as the TypeScript component's (components/s3Access.ts), so both name it alike in state.
    s3Access: `${PACKAGE}:index:S3Access`,
    listEc2Credentials: `${PACKAGE}:index:listEc2Credentials`,
} as const;

/** A resource's type token from its URN (urn:pulumi:<stack>::<project>::<parent type>$<type>::<name>). */
export const typeOf = (urn: string): string => (urn.split("::")[2] ?? "").split("$").pop() ?? "";

/** Stack, project and name from a URN: who manages a key (its record in Keystone). */
export function managerOf(urn: string): { stack: string; project: string; resource: string } {
    const [, , ...rest] = urn.split(":");
    const [stack, project, , ...name] = rest.join(":").split("::");
    return { stack, project, resource: name.join("::") };
}
