// Earlier versions of this package, packed as npm would have shipped them, for the upgrade
// test. Built from git history once and kept in .tools/releases (git-ignored).
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "./stack";

/** 0.1.0, the first version (CHANGELOG "[0.1.0] - 2026-11-29"): the last commit before the next changes began. */
export const RELEASE_0_1_0 = { version: "0.1.0", commit: "43a9a26" };

/** The release's tarball (`npm pack` of its commit, built with this checkout's compiler). */
export function packedRelease(release = RELEASE_0_1_0): string {
    const out = path.join(REPO_ROOT, ".tools/releases", `pulumi-openstack-s3-access-${release.version}-${release.commit}.tgz`);
    if (fs.existsSync(out)) return out;
    const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    try {
        run("git", ["cat-file", "-e", `${release.commit}^{commit}`], REPO_ROOT);
    } catch {
        throw new Error(
            `commit ${release.commit} (release ${release.version}) is not in this clone: the upgrade test needs the full history (git fetch --unshallow)`,
        );
    }
    const src = fs.mkdtempSync(path.join(os.tmpdir(), `release-${release.version}-`));
    try {
        execFileSync("bash", ["-c", `git -C "${REPO_ROOT}" archive ${release.commit} | tar -x -C "${src}"`]);
        fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(src, "node_modules"));
        run(process.execPath, [path.join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], src);
        const tarball = run("npm", ["pack", "--ignore-scripts", "--silent"], src).trim().split("\n").pop()!;
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.copyFileSync(path.join(src, tarball), out);
        return out;
    } finally {
        fs.rmSync(src, { recursive: true, force: true });
    }
}

/** `npm pack` of this checkout (dist/ is built by the integration setup). */
export function packedCheckout(into: string): string {
    const name = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", into], { cwd: REPO_ROOT, encoding: "utf8" })
        .trim()
        .split("\n")
        .pop()!;
    return path.join(into, name);
}
