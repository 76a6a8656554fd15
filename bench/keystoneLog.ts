// Keystone's own uwsgi request log: a second, independent count of the requests Keystone
// served (every client on the machine, not only the bench).
import * as fs from "fs";
import * as path from "path";
import { STACK_DIR } from "../tests/support/stack";

const LOG = path.join(STACK_DIR, "log/keystone-uwsgi.log");
const REQUEST_LINE = /\] (GET|POST|PUT|PATCH|DELETE|HEAD) \//;

/** How many requests the log holds so far (0 when there is no log). */
export function keystoneLoggedRequests(): number {
    if (!fs.existsSync(LOG)) return 0;
    return fs
        .readFileSync(LOG, "utf8")
        .split("\n")
        .filter((l) => REQUEST_LINE.test(l)).length;
}
