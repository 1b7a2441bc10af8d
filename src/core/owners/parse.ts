import type { Owner, OwnersRule } from "../model/owners.js";
import type { Problem } from "../validate/problem.js";

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const TEAM = /^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const ROLE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** Split a line into whitespace-separated tokens, honouring `\ ` and `\#` escapes in the pattern. */
function tokens(line: string): { text: string; column: number }[] {
  const out: { text: string; column: number }[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    if (i >= line.length || line[i] === "#") break;
    const start = i;
    let text = "";
    while (i < line.length && !/\s/.test(line[i]!)) {
      if (line[i] === "\\" && i + 1 < line.length) {
        text += line[i + 1];
        i += 2;
      } else {
        text += line[i];
        i++;
      }
    }
    out.push({ text, column: start + 1 });
  }
  return out;
}

export function parseOwner(token: string): Owner | { error: string; hint: string } {
  if (token.startsWith("@")) {
    const name = token.slice(1);
    if (TEAM.test(name)) return { kind: "team", team: name };
    if (LOGIN.test(name)) return { kind: "user", login: name };
    return { error: `\`${token}\` is not a GitHub user or team`, hint: "write @login or @org/team-slug" };
  }
  if (token.includes("@")) return { error: `\`${token}\` looks like an e-mail address; OWNERS does not accept e-mail owners`, hint: "use @login, @org/team or a role id" };
  if (ROLE.test(token)) return { kind: "role", id: token };
  return { error: `\`${token}\` is not a role id, @user or @org/team`, hint: "role ids are lower-case words joined by dashes, e.g. sre-lead" };
}

/**
 * Parse governance/OWNERS (CODEOWNERS syntax). Owners are role ids (bare words),
 * @users or @org/teams. Problems are returned with line and column; parsing goes on.
 */
export function parseOwners(text: string, file = "OWNERS"): { rules: OwnersRule[]; problems: Problem[] } {
  const rules: OwnersRule[] = [];
  const problems: Problem[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const toks = tokens(raw);
    if (toks.length === 0) return;
    const [pattern, ...ownerTokens] = toks as [{ text: string; column: number }, ...{ text: string; column: number }[]];
    if (pattern.text.startsWith("!")) {
      problems.push({ file, line, column: pattern.column, message: "negated patterns (`!`) are not supported, as in GitHub's CODEOWNERS", hint: "list the paths that should have owners instead" });
      return;
    }
    if (/[[\]]/.test(pattern.text)) {
      problems.push({ file, line, column: pattern.column, message: "character ranges (`[ ]`) are not supported, as in GitHub's CODEOWNERS", hint: "write one line per alternative" });
      return;
    }
    const owners: Owner[] = [];
    for (const tok of ownerTokens) {
      const owner = parseOwner(tok.text);
      if ("error" in owner) problems.push({ file, line, column: tok.column, message: owner.error, hint: owner.hint });
      else owners.push(owner);
    }
    rules.push({ pattern: pattern.text, owners, line });
  });
  return { rules, problems };
}
