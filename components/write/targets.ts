import { CLIENTS, ClientConfigs, ClientName } from "../clients";
import { FileTarget } from "./fileKinds";
import { Locations } from "./locations";

/** Every file the chosen clients need, in the table's order. */
export function fileTargets(configs: ClientConfigs, where: Locations, clients: ReadonlySet<ClientName>): FileTarget[] {
    return (Object.keys(CLIENTS) as ClientName[]).filter((client) => clients.has(client)).flatMap((client) => CLIENTS[client].files(configs, where));
}
