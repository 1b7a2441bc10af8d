/**
 * OWNERS patterns follow GitHub's CODEOWNERS semantics (gitignore's pattern format with GitHub's
 * documented exceptions): hardening issue #10, items 16–18. Tables of pattern × path → owned, from
 * GitHub's "About code owners" example file, gitignore's pattern format, and the escape,
 * directory and `**` cases the issue found wrong; then the validator's refusals.
 */
import { describe, expect, it } from "vitest";
import type { OwnersRule } from "../../src/core/model/owners.js";
import { matchesPattern, owningRule } from "../../src/core/owners/match.js";
import { parseOwners } from "../../src/core/owners/parse.js";

/** pattern → { path: owned? } */
const TABLE: Record<string, Record<string, boolean>> = {
  // a plain name: the file or directory of that name at any depth, and everything inside it
  foo: { foo: true, "foo.txt": false, "foo/bar": true, "bar/foo": true, "bar/foo.txt": false, "bar/baz": false, "bar/foo/baz": true, "xfoo/bar": false },
  "/foo": { foo: true, "fool.txt": false, "foo/bar": true, "foo/bar/baz": true, "bar/foo": false, "bar/foo/baz": false },
  // a trailing slash: directories only
  "foo/": { foo: false, "foo/bar": true, "foo/bar/baz": true, "bar/foo": false, "bar/foo/baz": true, "bar/foo/baz/qux": true },
  "/foo/": { foo: false, "foo/bar": true, "foo/bar/baz": true, "bar/foo/baz": false },
  // a slash in the middle anchors at the root
  "foo/bar": { "foo/bar": true, "foo/bart": false, "foo/bar/baz": true, "baz/foo/bar": false, "baz/foo/bar/qux": false },
  "/foo/bar": { "foo/bar": true, "foo/bar/baz": true, "baz/foo/bar": false },
  "foo/bar/": { "foo/bar": false, "foo/bar/baz": true, "foo/bar/baz/qux": true, "baz/foo/bar/qux": false },
  // `*`: a lone `*` owns everything; a wildcard last segment also owns what is inside a matching directory (#10 item 17)
  "*": { foo: true, "foo/bar": true, "bar/foo/baz": true, xfoo: true, ".github/workflows/ci.yml": true },
  "f*": { foo: true, "foo/bar": true, "foo/bar/baz": true, "bar/foo": true, "bar/foo/baz": true, "bar/baz": false, xfoo: false },
  "/f*": { foo: true, "foo/bar": true, "foo/bar/baz": true, "bar/foo": false, "bar/foo/baz": false, xfoo: false },
  "f*/": { foo: false, "foo/bar": true, "bar/foo": false, "bar/foo/baz": true, "bar/baz": false },
  "/f*/": { foo: false, "foo/bar": true, "bar/foo": false, "bar/foo/baz": false },
  "*.js": { "a.js": true, "src/a.js": true, "src/a.jsx": false, "lib.js/x": true },
  // GitHub's exception: a last segment of just `*` matches one level, not what is inside
  "/*": { foo: true, bar: true, "foo/bar": false, "foo/bar/baz": false },
  "/*/": { foo: false, "foo/bar": true, "bar/foo/baz": true },
  "foo/*": { foo: false, "foo/bar": true, "foo/bar/baz": false, "bar/foo": false, "bar/foo/baz": false },
  "foo/*.txt": { "foo/bar.txt": true, "foo/bar/baz.txt": false, "qux/foo/bar.txt": false },
  "foo/*/baz": { "foo/bar": false, "foo/baz": false, "foo/bar/baz": true, "foo/bar/baz/qux": true, "foo/a/b/baz": false },
  "f?o": { foo: true, fo: false, fooo: false, "f/o": false, "f😀o": true },
  // `**`
  "**/foo/bar": { "foo/bar": true, "qux/foo/bar": true, "qux/foo/bar/baz": true, "foo/baz/bar": false, "qux/foo/baz/bar": false },
  "**/*bar*": { bar: true, "foo/bar": true, "foo/rebar": true, "foo/barrio": true, "foo/qux/bar": true, "foo/baz": false },
  "foo/bar/**": { "foo/bar": false, "foo/bar/baz": true, "foo/bar/baz/qux": true, "qux/foo/bar/baz": false },
  "foo/**/bar": { "foo/bar": true, "foo/bar/baz": true, "foo/qux/bar/baz": true, "foo/qux/quux/bar/baz": true, "qux/foo/bar": false, "foo/barx": false },
  // a trailing `/**/`: any depth, one level included (#10 item 18)
  "foo/**/": { foo: false, "foo/bar": true, "foo/bar/baz": true, "qux/foo/bar": false },
  "foo/**/bar/b*": { "foo/bar": false, "foo/bar/baz": true, "foo/bar/qux": false, "foo/qux/bar/baz": true, "foo/qux/bar/qux": false },
  "**": { a: true, "a/b/c": true },
  "/**": { a: true, "a/b/c": true },
  "**/": { a: false, "a/b": true, "a/b/c": true },
  "a/**b": { "a/xb": true, "a/b": true, "a/x/b": false },
  "***/logs": { logs: true, "a/b/logs/x": true },
  // backslash escapes: the next character is literal (#10 item 16)
  "f\\*o": { foo: false, "f*o": true, "a/f*o/b": true },
  "\\*": { "*": true, a: false, "a/b": false, "x/*": true },
  "f\\?o": { foo: false, "f?o": true },
  "my\\ file.txt": { "my file.txt": true, "myfile.txt": false },
  "\\!important": { "!important": true, important: false },
  "a\\\\b": { "a\\b": true, ab: false },
  "\\[x\\]": { "[x]": true, x: false },
  // case-sensitive, as on GitHub
  "/Docs/": { "Docs/a.md": true, "docs/a.md": false },
};

describe("OWNERS patterns match as GitHub's CODEOWNERS does", () => {
  for (const [pattern, paths] of Object.entries(TABLE)) {
    it(`\`${pattern}\``, () => {
      const got = Object.fromEntries(Object.keys(paths).map((p) => [p, matchesPattern(pattern, p)]));
      expect(got).toEqual(paths);
    });
  }

  it("GitHub's example CODEOWNERS file (About code owners): the last matching line wins, an empty line leaves a path unowned", () => {
    const text = [
      "# This is a comment.",
      "*       global-owner",
      "*.js    js-owner #This is an inline comment.",
      "*.go    go-owner",
      "*.txt   @octo-org/octocats",
      "/build/logs/ @doctocat",
      "docs/*  docs-owner",
      "apps/   @octocat",
      "/docs/  @doctocat",
      "/scripts/ @doctocat @octocat",
      "**/logs @octocat",
      "/apps/ @octocat",
      "/apps/github",
      "/apps/ @octocat",
      "/apps/github @doctocat",
    ].join("\n");
    const { rules, problems } = parseOwners(text);
    expect(problems).toEqual([]);
    const owner = (path: string) => {
      const rule = owningRule(rules, path);
      return rule ? `${rule.line}: ${rule.owners.map((o) => (o.kind === "role" ? o.id : o.kind === "user" ? `@${o.login}` : `@${o.team}`)).join(" ")}` : "unowned";
    };
    expect(owner("README.md")).toBe("2: global-owner");
    expect(owner("src/app.js")).toBe("3: js-owner");
    expect(owner("cmd/main.go")).toBe("4: go-owner");
    expect(owner("notes/todo.txt")).toBe("5: @octo-org/octocats");
    // `/build/logs/` at the root and subdirectories; `**/logs` (a later line) wins for them
    expect(owner("build/logs/today.log")).toBe("11: @octocat");
    expect(owner("deeply/nested/logs/x.log")).toBe("11: @octocat");
    // `docs/*` matches docs/getting-started.md but not docs/build-app/troubleshooting.md; `/docs/` is later and wins for both
    expect(owner("docs/getting-started.md")).toBe("9: @doctocat");
    expect(owner("docs/build-app/troubleshooting.md")).toBe("9: @doctocat");
    expect(owner("web/apps/main.ts")).toBe("8: @octocat");
    expect(owner("scripts/deploy.sh")).toBe("10: @doctocat @octocat");
    expect(owner("apps/web/index.ts")).toBe("14: @octocat");
    expect(owner("apps/github/hooks.ts")).toBe("15: @doctocat");
  });

  it("`docs/*` alone: the first level of docs/ only (GitHub's example)", () => {
    const rules: OwnersRule[] = [{ pattern: "docs/*", owners: [{ kind: "role", id: "docs" }], line: 1 }];
    expect(owningRule(rules, "docs/getting-started.md")?.line).toBe(1);
    expect(owningRule(rules, "docs/build-app/troubleshooting.md")).toBeUndefined();
  });

  it("escapes are kept in the pattern as written (messages and `charter explain` show the line as written)", () => {
    const { rules, problems } = parseOwners("f\\*o  sre-lead\nmy\\ dir/  @alice\n\\*  database-owner");
    expect(problems).toEqual([]);
    expect(rules.map((r) => r.pattern)).toEqual(["f\\*o", "my\\ dir/", "\\*"]);
    expect(owningRule(rules, "foo")).toBeUndefined();
    expect(owningRule(rules, "f*o")?.line).toBe(1);
    expect(owningRule(rules, "my dir/x")?.line).toBe(2);
    expect(owningRule(rules, "README.md")).toBeUndefined();
    expect(owningRule(rules, "*")?.line).toBe(3);
  });
});

describe("the pattern table of docs/governance.md (OWNERS) is what the matcher does", () => {
  const DOCS: [string, string[], string[]][] = [
    ["*", ["README.md", "a/b/c.ts"], []],
    ["*.sql", ["x.sql", "db/y.sql", "x.sql/inside.txt"], ["schema.sqlite"]],
    ["Dockerfile", ["Dockerfile", "web/Dockerfile", "Dockerfile/x"], ["Dockerfile.dev"]],
    ["/infra/", ["infra/main.tf", "infra/a/b.tf"], ["infra", "web/infra/x"]],
    ["infra/", ["infra/main.tf", "web/infra/x"], ["infra"]],
    ["/db/migrations", ["db/migrations", "db/migrations/001.sql"], ["x/db/migrations"]],
    ["/deploy*", ["deploy.sh", "deploy-prod/main.tf"], ["web/deploy.sh"]],
    ["/docs/*", ["docs/a.md"], ["docs/build/notes.md"]],
    ["/docs/**", ["docs/a.md", "docs/a/b/c.md"], ["docs"]],
    ["/services/**/", ["services/api.yml", "services/a/b.yml"], ["services"]],
    ["**/logs", ["logs", "a/logs", "a/logs/x.log"], ["catalogs"]],
    ["/apps/**/config.yml", ["apps/config.yml", "apps/web/config.yml", "apps/a/b/config.yml"], ["config.yml"]],
    ["f\\*o", ["f*o"], ["foo"]],
    ["\\*", ["*"], ["a", "a/b"]],
    ["my\\ notes.md", ["my notes.md"], ["mynotes.md"]],
  ];
  it.each(DOCS)("`%s`", (pattern, owns, not) => {
    for (const p of owns) expect(matchesPattern(pattern, p), `${pattern} owns ${p}`).toBe(true);
    for (const p of not) expect(matchesPattern(pattern, p), `${pattern} does not own ${p}`).toBe(false);
  });
});

describe("patterns GitHub's CODEOWNERS does not support are refused, with line, column and a fix", () => {
  const refused = (line: string) => parseOwners(`/docs/ docs-owner\n${line}\n`).problems.map((p) => ({ line: p.line, column: p.column, message: p.message, hint: p.hint }));

  it.each([
    ["!docs/internal.md docs-owner", "negated patterns (`!`) are not supported, as in GitHub's CODEOWNERS", "list the paths that should have owners instead"],
    ["*.[ch] c-owner", "character ranges (`[ ]`) are not supported, as in GitHub's CODEOWNERS", "write one line per alternative, or `\\[` for a literal bracket"],
    ["\\#notes.md docs-owner", "a leading `#` cannot be escaped (`\\#`), as in GitHub's CODEOWNERS", "match the `#` with `?`, e.g. `?notes.md` for `#notes.md`"],
    ["docs\\", "a pattern cannot end with a lone backslash", "write `\\\\` for a literal backslash"],
  ])("%s", (line, message, hint) => {
    expect(refused(line)).toEqual([{ line: 2, column: 1, message, hint }]);
  });

  it("a refused line owns nothing (the file is invalid: the check fails closed with the problem)", () => {
    const { rules } = parseOwners("*.[ch] c-owner\n");
    expect(rules).toEqual([]);
  });
});
