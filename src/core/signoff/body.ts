/**
 * Reading a pull request's description: ticked task-list items (confirmations, verification
 * steps), `Field: value` lines (the rollback sign-off form) and the declared rollback type.
 *
 * Only what a reviewer can see counts: HTML comments are removed first, and task-list items
 * inside fenced code blocks are not checkboxes (GitHub renders them as text).
 *
 * Linear time: lines are read by one-pass scanners, never by a regular expression that can
 * backtrack. A description longer than GitHub allows is not read at all (nothing ticked, no field
 * filled, no rollback type); `descriptionUnread` gives the words for the check.
 */
import { isSpaceCode, skipSpace } from "../text/scan.js";
import { MAX_BODY_UNITS, overCap, tooLongToRead } from "../text/limits.js";

/** Why a description is not read (it is longer than GitHub allows), or undefined when it is read. */
export function descriptionUnread(body: string, maxUnits = MAX_BODY_UNITS): string | undefined {
  return overCap(body, maxUnits) ? tooLongToRead("the description") : undefined;
}

/** The description without HTML comments (`<!-- … -->`), which GitHub does not render; empty when over the cap. */
export function visibleText(body: string, maxUnits = MAX_BODY_UNITS): string {
  if (overCap(body, maxUnits)) return "";
  return body.replace(/\r\n?/g, "\n").replace(/<!--[\s\S]*?(?:-->|$)/g, "");
}

/** Visible lines outside fenced code blocks (also read from review text: confirmations). */
export function proseLines(body: string, maxUnits = MAX_BODY_UNITS): string[] {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of visibleText(body, maxUnits).split("\n")) {
    const m = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (m) {
      const marker = m[1]!;
      if (fence === undefined) fence = marker[0]!.repeat(marker.length);
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      continue;
    }
    if (fence === undefined) out.push(line);
  }
  return out;
}

/** Compare texts ignoring case, emphasis, code marks and runs of whitespace. */
export function normalizeText(text: string): string {
  return text.replace(/\*\*|`/g, "").replace(/\s+/g, " ").trim().toLowerCase();
}

export interface TaskItem {
  text: string;
  ticked: boolean;
}

/**
 * A task-list line: optional indentation, a list marker (`-`, `*`, `+`, `1.` or `1)`), whitespace,
 * a box (`[ ]`, `[x]`, `[X]`), whitespace, the text. One pass; undefined when the line is not one.
 */
export function taskLine(line: string): { mark: string; text: string } | undefined {
  let i = skipSpace(line, 0);
  const c = line[i];
  if (c === "-" || c === "*" || c === "+") i++;
  else {
    const digits = i;
    while (i < line.length && line.charCodeAt(i) >= 0x30 && line.charCodeAt(i) <= 0x39) i++;
    if (i === digits || (line[i] !== "." && line[i] !== ")")) return undefined;
    i++;
  }
  const box = skipSpace(line, i);
  if (box === i || line[box] !== "[" || line[box + 2] !== "]") return undefined;
  const mark = line[box + 1]!;
  if (mark !== " " && mark !== "x" && mark !== "X") return undefined;
  const text = skipSpace(line, box + 3);
  if (text === box + 3) return undefined;
  return { mark, text: line.slice(text) };
}

/** Every task-list item (`- [ ] text`, `- [x] text`) a reader sees as a checkbox. */
export function taskItems(body: string, maxUnits = MAX_BODY_UNITS): TaskItem[] {
  const items: TaskItem[] = [];
  for (const line of proseLines(body, maxUnits)) {
    const m = taskLine(line);
    if (m) items.push({ text: m.text.trim(), ticked: m.mark !== " " });
  }
  return items;
}

/**
 * Whether `text` is a ticked item. With a role title, "Role title: text" is accepted as well
 * as the text alone.
 */
export function isTicked(body: string, text: string, roleTitle?: string, maxUnits = MAX_BODY_UNITS): boolean {
  return isTickedIn(tickedTexts(body, maxUnits), text, roleTitle);
}

/** The normalized texts of a body's ticked items: read once, to ask isTickedIn of it many times. */
export function tickedTexts(body: string, maxUnits = MAX_BODY_UNITS): Set<string> {
  return new Set(taskItems(body, maxUnits).flatMap((item) => (item.ticked ? [normalizeText(item.text)] : [])));
}

/** isTicked of a body already read by tickedTexts. */
export function isTickedIn(ticked: ReadonlySet<string>, text: string, roleTitle?: string): boolean {
  return ticked.has(normalizeText(text)) || (roleTitle !== undefined && roleTitle !== "" && ticked.has(normalizeText(`${roleTitle}: ${text}`)));
}

/** The line without a leading list marker (`- `, `* `, `+ `). */
function withoutBullet(line: string): string {
  const i = skipSpace(line, 0);
  const c = line[i];
  if (c !== "-" && c !== "*" && c !== "+") return line;
  const after = skipSpace(line, i + 1);
  return after === i + 1 ? line : line.slice(after);
}

/** A `Field: value` line (also `**Field:** value`, `**Field**: value`, as a list item): the name before the first colon. */
function fieldLine(line: string): { name: string; value: string } | undefined {
  if (taskLine(line)) return undefined;
  const plain = withoutBullet(line.replaceAll("**", ""));
  const colon = plain.indexOf(":");
  if (colon < 0 || skipSpace(plain, 0) === colon) return undefined;
  return { name: normalizeText(plain.slice(0, colon)), value: plain.slice(colon + 1).trim() };
}

/** A value that is filled in: not empty and not a blank to fill (`____`, `P___`). */
export function isFilled(value: string): boolean {
  return /[^_\s*]/.test(value) && !/_{3,}/.test(value);
}

/**
 * The form fields (normalized names) that are filled in: `Name: value`, or `Name:` followed
 * (before a blank line or the next field) by a ticked item or a line of text that is filled in.
 * One pass over the lines, whatever the number of fields.
 */
function filledFields(lines: readonly string[], fieldNames: ReadonlySet<string>): Set<string> {
  const filled = new Set<string>();
  let open: string | undefined; // a field whose answer is on the lines below it
  for (const line of lines) {
    const f = fieldLine(line);
    if (f && fieldNames.has(f.name)) {
      open = f.value === "" ? f.name : undefined;
      if (f.value !== "" && isFilled(f.value)) filled.add(f.name);
      continue;
    }
    if (open === undefined) continue;
    if (line.trim() === "") {
      open = undefined;
      continue;
    }
    const task = taskLine(line);
    if (task) {
      if (task.mark !== " " && isFilled(task.text)) filled.add(open);
    } else if (isFilled(withoutBullet(line))) filled.add(open);
  }
  return filled;
}

/** Whether the form field `name` is filled in (see {@link filledFields}); the other fields of the form end its answer. */
export function isFieldFilled(body: string, name: string, allFields: readonly string[] = [name], maxUnits = MAX_BODY_UNITS): boolean {
  const wanted = normalizeText(name);
  return filledFields(visibleText(body, maxUnits).split("\n"), new Set([wanted, ...allFields.map(normalizeText)])).has(wanted);
}

/** The form fields that are not filled in, in form order. */
export function missingFormFields(body: string, form: readonly string[], maxUnits = MAX_BODY_UNITS): string[] {
  if (overCap(body, maxUnits)) return [...form];
  const filled = filledFields(visibleText(body, maxUnits).split("\n"), new Set(form.map(normalizeText)));
  return form.filter((field) => !filled.has(normalizeText(field)));
}

export const ROLLBACK_MARKER = /<!--\s*charter:rollback\s+type=([^\s>]+?)\s*-->/gi;

/**
 * The rollback types a description declares, as written: a hidden marker
 * `<!-- charter:rollback type=<id> -->` and/or a visible line `Rollback type: <id or title>`
 * (also `**Rollback type:** Planned (bug found) (\`planned\`)`). The caller resolves them.
 */
export function rollbackDeclarations(body: string, maxUnits = MAX_BODY_UNITS): string[] {
  if (overCap(body, maxUnits)) return [];
  const found: string[] = [];
  for (const m of body.matchAll(ROLLBACK_MARKER)) found.push(m[1]!.trim());
  for (const line of visibleText(body, maxUnits).split("\n")) {
    const f = fieldLine(line);
    if (f && f.name === "rollback type" && isFilled(f.value)) found.push(f.value.trim());
  }
  return found;
}

/** Ways to read a declared value: as written, then each `code` span, then each (parenthesised) part. */
export function declarationCandidates(value: string): string[] {
  const out = [value.replace(/`/g, "").trim()];
  for (const m of value.matchAll(/`([^`]+)`/g)) out.push(m[1]!.trim());
  for (const m of value.matchAll(/\(([^()]+)\)/g)) out.push(m[1]!.replace(/`/g, "").trim());
  out.push(withoutParentheses(value.replace(/`/g, "")).trim());
  return [...new Set(out.filter((x) => x !== ""))];
}

/** Each `(…)` holding no parenthesis, with the whitespace around it, replaced by one space. One pass. */
function withoutParentheses(text: string): string {
  let out = "";
  let from = 0;
  let open = text.indexOf("(");
  while (open >= 0) {
    let close = open + 1;
    while (close < text.length && text[close] !== "(" && text[close] !== ")") close++;
    if (text[close] !== ")") {
      open = close < text.length ? close : -1;
      continue;
    }
    let start = open;
    while (start > from && isSpaceCode(text.charCodeAt(start - 1))) start--;
    out += `${text.slice(from, start)} `;
    from = skipSpace(text, close + 1);
    open = text.indexOf("(", from);
  }
  return out + text.slice(from);
}
