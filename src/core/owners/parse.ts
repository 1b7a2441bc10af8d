import type { Owner, OwnersRule } from "../model/owners.js";
import { isSpaceCode, skipSpace } from "../text/scan.js";
import type { Problem } from "../validate/problem.js";
import { patternProblem } from "./pattern.js";

type Token = { text: string; raw: string; column: number };

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const TEAM = /^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const ROLE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/**
 * Split a line into whitespace-separated tokens; `#` at the start of a token begins a comment. A
 * backslash escapes the next character (`\ ` keeps a space in a pattern): the pattern keeps its
 * escapes (the matcher reads them: `f\*o` is the name `f*o`), the owners lose them.
 */
function tokens(line: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < line.length) {
    i = skipSpace(line, i);
    if (i >= line.length || line[i] === "#") break;
    const start = i;
    let text = "";
    while (i < line.length && !isSpaceCode(line.charCodeAt(i))) {
      if (line[i] === "\\" && i + 1 < line.length) {
        text += line[i + 1];
        i += 2;
      } else {
        text += line[i];
        i++;
      }
    }
    out.push({ text, raw: line.slice(start, i), column: start + 1 });
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
    const [pattern, ...ownerTokens] = toks as [Token, ...Token[]];
    const refused = patternProblem(pattern.raw);
    if (refused) {
      problems.push({ file, line, column: pattern.column, ...refused });
      return;
    }
    const owners: Owner[] = [];
    for (const tok of ownerTokens) {
      const owner = parseOwner(tok.text);
      if ("error" in owner) problems.push({ file, line, column: tok.column, message: owner.error, hint: owner.hint });
      else owners.push(owner);
    }
    rules.push({ pattern: pattern.raw, owners, line });
  });
  return { rules, problems };
}
