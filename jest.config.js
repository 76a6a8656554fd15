/** @type {import('jest').Config} */
const base = {
    testEnvironment: "node",
    transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
    // In-process imports of the package by name test the sources on disk, never a stale dist/.
    moduleNameMapper: {
        "^pulumi-openstack-s3-access$": "<rootDir>/index.ts",
        "^pulumi-openstack-s3-access/ec2-credential-engine$": "<rootDir>/provider/ec2credential/implementation.ts",
    },
};

/** Suites that talk to the local OpenStack, and to provider hosts that load dist/. */
const integration = {
    ...base,
    roots: ["<rootDir>/tests"],
    testPathIgnorePatterns: ["<rootDir>/tests/unit/", "<rootDir>/tests/cli/"],
    // Builds dist/ when the sources changed (provider hosts and the write CLI run it), then
    // starts the local Keystone + S3 (scripts/stack/start.sh) unless it already answers.
    globalSetup: "<rootDir>/tests/support/globalSetup.js",
};

module.exports = {
    // Suites share one Keystone (uwsgi, 1 process x 1 thread): two workers keep it busy
    // without starving it.
    maxWorkers: 2,
    // Real services, real clients, a loaded 2-core machine: generous, and global (a
    // project-level testTimeout is ignored). Unit tests finish in milliseconds anyway.
    testTimeout: 120000,
    // A worker asked to exit gets this long before jest kills it and reports that it "failed to
    // exit gracefully". The default 500 ms is shorter than a loaded 2-core machine may take to
    // schedule it (seen only at load 10+, with every file passing the leak check below); 5 s is
    // the leak check's own grace, so the warning still means something was left open.
    workerGracefulExitTimeout: 5000,
    projects: [
        // No service, no network, no build: canned Keystone answers (undici MockAgent) and Pulumi mocks.
        // Transpile-only (isolatedModules: each file compiled alone, no type check): ts-jest's
        // type-checking program costs seconds per suite. `npx tsc -p tsconfig.json --noEmit`
        // type-checks tests/unit like everything else (tsconfig.json includes tests/**).
        {
            ...base,
            displayName: "unit",
            roots: ["<rootDir>/tests/unit"],
            testMatch: ["**/*.test.ts"],
            transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: { ...require("./tsconfig.json").compilerOptions, isolatedModules: true } }] },
        },
        // A file that leaves a child process, socket or timer open fails, naming it, instead
        // of a worker that "failed to exit gracefully" at the end (tests/support/leakCheckEnvironment.js).
        {
            ...integration,
            displayName: "parallel",
            testEnvironment: "<rootDir>/tests/support/leakCheckEnvironment.js",
            testMatch: ["**/*.test.ts"],
            testPathIgnorePatterns: [...integration.testPathIgnorePatterns, "\\.serial\\.test\\.ts$"],
        },
        // Suites that stop Keystone or count its requests exactly: run alone, after the rest
        // (npm test runs this project with --runInBand).
        { ...integration, displayName: "serial", testMatch: ["**/*.serial.test.ts"] },
        // The real `pulumi` CLI (scripts/pulumi/install.sh builds it) running user programs in
        // projects of their own: one at a time (npm test runs it with --runInBand), since each
        // run starts an engine, a language host and provider hosts on the 2 cores.
        {
            ...integration,
            displayName: "cli",
            testMatch: ["<rootDir>/tests/cli/**/*.test.ts"],
            testPathIgnorePatterns: ["<rootDir>/tests/unit/"],
        },
    ],
};
