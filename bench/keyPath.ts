// One key's life (create, read, delete) behind a common shape, so the same measurement
// runs through the provider host, raw HTTP and the openstack CLI alike.

export interface KeyPath<K> {
    readonly label: string;
    create(): Promise<K>;
    read(key: K): Promise<void>;
    remove(key: K): Promise<void>;
    accessOf(key: K): string;
}

/**
 * Every access key the bench created and has not deleted yet, whichever path made it:
 * what is left here at the end is deleted out of band.
 */
export class Ledger {
    readonly live = new Set<string>();
    /** Every key ever created, to check afterwards that none of them survived. */
    readonly created = new Set<string>();

    track<K>(path: KeyPath<K>): KeyPath<K> {
        return {
            label: path.label,
            accessOf: (k) => path.accessOf(k),
            read: (k) => path.read(k),
            create: async () => {
                const key = await path.create();
                this.live.add(path.accessOf(key));
                this.created.add(path.accessOf(key));
                return key;
            },
            remove: async (key) => {
                await path.remove(key);
                this.live.delete(path.accessOf(key));
            },
        };
    }
}
