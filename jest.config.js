/** @type {import('jest').Config} */
const base = {
    testEnvironment: "node",
    roots: ["<rootDir>/tests"],
    transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
};

module.exports = {
    // Starts the local Keystone + S3 (scripts/stack/start.sh) unless it already answers.
    globalSetup: "<rootDir>/tests/support/globalSetup.js",
    // Suites share one Keystone (uwsgi, 1 process x 1 thread): two workers keep it busy
    // without starving it.
    maxWorkers: 2,
    // Real services, real clients, a loaded 2-core machine: generous, and global (a
    // project-level testTimeout is ignored).
    testTimeout: 120000,
    projects: [
        // A file that leaves a child process, socket or timer open fails, naming it, instead
        // of a worker that "failed to exit gracefully" at the end (tests/support/leakCheckEnvironment.js).
        {
            ...base,
            displayName: "parallel",
            testEnvironment: "<rootDir>/tests/support/leakCheckEnvironment.js",
            testMatch: ["**/*.test.ts"],
            testPathIgnorePatterns: ["\\.serial\\.test\\.ts$"],
        },
        // Suites that stop Keystone or count its requests exactly: run alone, after the rest
        // (npm test runs this project with --runInBand).
        { ...base, displayName: "serial", testMatch: ["**/*.serial.test.ts"] },
    ],
};
