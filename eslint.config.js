import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "dist-action/**", "node_modules/**", "coverage/**", "bench-results/**", "demo-output/**"] },
  js.configs.recommended,
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", Buffer: "readonly", setTimeout: "readonly", clearTimeout: "readonly", URL: "readonly" } },
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "off",
    },
  },
  {
    // The shipped app never imports dev-only code: the emulator, test support, the e2e stories
    // (the demo launcher loads its compiled copy from dist/dev/ at run time).
    files: ["src/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["**/test/**", "../test/*", "../../test/*"], message: "src/ is the shipped app: no imports from test/." }] }] },
  },
  {
    // The policy core is pure: no Probot, no Octokit, no I/O, no clock reads.
    files: ["src/core/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          { group: ["probot", "probot/*", "@octokit/*", "nock"], message: "src/core is pure: no GitHub client here." },
          { group: ["node:fs", "node:fs/*", "fs", "fs/*", "node:http", "node:https", "node:net", "node:child_process"], message: "src/core is pure: no I/O here." },
          { group: ["../github/*", "../handlers/*", "../load/*", "../cli/*", "../../github/*", "../../handlers/*", "../../load/*", "../../cli/*"], message: "src/core must not depend on adapters." },
        ],
      }],
      "no-restricted-syntax": ["error",
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: "src/core takes time as an input: no Date.now()." },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "src/core takes time as an input: no new Date()." },
        { selector: "CallExpression[callee.object.name='DateTime'][callee.property.name='now']", message: "src/core takes time as an input: no DateTime.now()." },
      ],
    },
  },
);
