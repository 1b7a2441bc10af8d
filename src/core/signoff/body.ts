/**
 * Reading a pull request's description: ticked task-list items (confirmations, verification
 * steps), `Field: value` lines (the rollback sign-off form) and the declared rollback type.
 *
 * Only what a reviewer can see counts: HTML comments are removed first, and task-list items
 * inside fenced code blocks are not checkboxes (GitHub renders them as text).
 */

/** The description without HTML comments (`<!-- … -->`), which GitHub does not render. */
export function visibleText(body: string): string {
  return body.replace(/\r\n?/g, "\n").replace(/<!--[\s\S]*?(?:-->|$)/g, "");
}

/** Visible lines outside fenced code blocks (also read from review text: confirmations). */
export function proseLines(body: string): string[] {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of visibleText(body).split("\n")) {
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

const TASK = /^\s*(?:[-*+]|\d+[.)])\s+\[([ xX])\]\s+(.*)$/;

/** Every task-list item (`- [ ] text`, `- [x] text`) a reader sees as a checkbox. */
export function taskItems(body: string): TaskItem[] {
  const items: TaskItem[] = [];
  for (const line of proseLines(body)) {
    const m = TASK.exec(line);
    if (m) items.push({ text: m[2]!.trim(), ticked: m[1] !== " " });
  }
  return items;
}

/**
 * Whether `text` is a ticked item. With a role title, "Role title: text" is accepted as well
 * as the text alone.
 */
export function isTicked(body: string, text: string, roleTitle?: string): boolean {
  const wanted = new Set([normalizeText(text)]);
  if (roleTitle) wanted.add(normalizeText(`${roleTitle}: ${text}`));
  return taskItems(body).some((item) => item.ticked && wanted.has(normalizeText(item.text)));
}

/** A `Field: value` line (also `**Field:** value`, `**Field**: value`, as a list item). */
function fieldLine(line: string): { name: string; value: string } | undefined {
  if (TASK.test(line)) return undefined;
  const plain = line.replace(/\*\*/g, "").replace(/^\s*[-*+]\s+/, "");
  const m = /^\s*([^:]+?)\s*:\s*(.*)$/.exec(plain);
  if (!m) return undefined;
  return { name: normalizeText(m[1]!), value: m[2]!.trim() };
}

/** A value that is filled in: not empty and not a blank to fill (`____`, `P___`). */
export function isFilled(value: string): boolean {
  return value.replace(/[_\s*]/g, "") !== "" && !/_{3,}/.test(value);
}

/**
 * Whether the form field `name` is filled in: `Name: value`, or `Name:` followed (before a blank
 * line or the next field) by a ticked item or a line of text that is filled in.
 */
export function isFieldFilled(body: string, name: string, allFields: readonly string[] = [name]): boolean {
  const lines = visibleText(body).split("\n");
  const wanted = normalizeText(name);
  const fieldNames = new Set(allFields.map(normalizeText));
  for (let i = 0; i < lines.length; i++) {
    const f = fieldLine(lines[i]!);
    if (!f || f.name !== wanted) continue;
    if (f.value !== "") {
      if (isFilled(f.value)) return true;
      continue;
    }
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j]!;
      if (line.trim() === "") break;
      const next = fieldLine(line);
      if (next && fieldNames.has(next.name)) break;
      const task = TASK.exec(line);
      if (task) {
        if (task[1] !== " " && isFilled(task[2]!)) return true;
        continue;
      }
      if (isFilled(line.replace(/^\s*[-*+]\s+/, ""))) return true;
    }
  }
  return false;
}

/** The form fields that are not filled in, in form order. */
export function missingFormFields(body: string, form: readonly string[]): string[] {
  return form.filter((field) => !isFieldFilled(body, field, form));
}

export const ROLLBACK_MARKER = /<!--\s*charter:rollback\s+type=([^\s>]+?)\s*-->/gi;

/**
 * The rollback types a description declares, as written: a hidden marker
 * `<!-- charter:rollback type=<id> -->` and/or a visible line `Rollback type: <id or title>`
 * (also `**Rollback type:** Planned (bug found) (\`planned\`)`). The caller resolves them.
 */
export function rollbackDeclarations(body: string): string[] {
  const found: string[] = [];
  for (const m of body.matchAll(ROLLBACK_MARKER)) found.push(m[1]!.trim());
  for (const line of visibleText(body).split("\n")) {
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
  out.push(value.replace(/`/g, "").replace(/\s*\([^()]*\)\s*/g, " ").trim());
  return [...new Set(out.filter((x) => x !== ""))];
}
