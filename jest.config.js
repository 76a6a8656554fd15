/** @type {import('jest').Config} */
module.exports = {
    testEnvironment: "node",
    roots: ["<rootDir>/tests"],
    testMatch: ["**/*.test.ts"],
    transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
    // Starts the local Keystone + S3 (scripts/stack/start.sh) unless it already answers.
    globalSetup: "<rootDir>/tests/support/globalSetup.js",
    testTimeout: 60000,
    // Suites share one Keystone (uwsgi, 1 process x 1 thread); two workers keep it busy
    // without starving it.
    maxWorkers: 2,
};
