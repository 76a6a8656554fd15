// typescript-eslint's recommended rules over the TypeScript sources; formatting is prettier's.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["dist/", "node_modules/", ".tools/", ".bench/", ".demo/", "coverage/", "tests/fixtures/", "**/*.js", "**/*.mjs"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    prettier,
    {
        rules: {
            // Pulumi's dynamic-provider types and the test harness's gRPC values are untyped at the edge.
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
            // The shim requires the implementation by package name on purpose (provider.ts).
            "@typescript-eslint/no-require-imports": "off",
            // Errors are rebuilt on purpose where the original may carry a secret that the new
            // message redacts: attaching it as `cause` would leak it again.
            "preserve-caught-error": "off",
        },
    },
);
