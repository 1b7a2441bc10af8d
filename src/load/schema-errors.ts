import type { ErrorObject } from "ajv";
import { didYouMean } from "../core/validate/suggest.js";
import type { Problem } from "../core/validate/problem.js";

type Schema = Record<string, unknown>;

function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function describeType(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the text ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value)}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

const TYPE_WORDS: Record<string, string> = {
  object: "a mapping (key: value)",
  array: "a list",
  string: "text",
  number: "a number",
  integer: "a whole number",
  boolean: "true or false",
};

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

function describeAlternative(s: Schema): string {
  if ("const" in s) return `\`${String(s.const)}\``;
  if (s.enum) return (s.enum as unknown[]).map((e) => `\`${String(e)}\``).join(", ");
  const t = s.type as string | undefined;
  return (t && TYPE_WORDS[t]) || "another form";
}

/** Turn one ajv error into a Problem a team lead can act on. */
function explain(file: string, e: ErrorObject, data: unknown): Problem | undefined {
  const path = pointerToPath(e.instancePath);
  const parent = (e.parentSchema ?? {}) as Schema;
  const value = valueAt(data, path);
  const where = path.length ? `\`${path.join(".")}\`` : "the file";
  switch (e.keyword) {
    case "additionalProperties": {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys((parent.properties as Schema | undefined) ?? {}).filter((k) => k !== "$schema");
      return {
        file,
        path: [...path, key],
        at: "key",
        message: `unknown key \`${key}\` in ${where}`,
        hint: didYouMean(key, known) ?? (known.length ? `expected one of: ${known.join(", ")}` : undefined),
      };
    }
    case "required": {
      const key = (e.params as { missingProperty: string }).missingProperty;
      const prop = ((parent.properties as Record<string, Schema> | undefined) ?? {})[key];
      return {
        file,
        path,
        at: path.length ? "key" : "value",
        message: `${where} is missing \`${key}\``,
        hint: prop?.description ? `add \`${key}:\`: ${String(prop.description).replace(/\.$/, "")}` : `add \`${key}:\``,
      };
    }
    case "type": {
      const expected = String((e.params as { type: string }).type);
      return {
        file,
        path,
        message: `${where} should be ${expected.split(",").map((t) => TYPE_WORDS[t] ?? t).join(" or ")}, found ${describeType(value)}`,
        // A number or true/false where text is expected (`ack_within: 0`, `time: 9`): say what the text looks like.
        ...(expected === "string" && parent["x-message"] ? { hint: `expected ${String(parent["x-message"])}; quote it if it is meant literally` } : {}),
      };
    }
    case "pattern": {
      const message = (parent["x-message"] as string | undefined) ?? `must match ${String((e.params as { pattern: string }).pattern)}`;
      return { file, path, message: `${where}: ${describeType(value)} is not valid: ${message}` };
    }
    case "const":
    case "enum": {
      const allowed = e.keyword === "const" ? [(e.params as { allowedValue: unknown }).allowedValue] : ((e.params as { allowedValues: unknown[] }).allowedValues ?? []);
      return {
        file,
        path,
        message: `${where}: ${describeType(value)} is not allowed; expected ${allowed.map((a) => `\`${String(a)}\``).join(", ")}`,
        hint: typeof value === "string" ? didYouMean(value, allowed.map(String)) : undefined,
      };
    }
    case "minItems":
      return { file, path, message: `${where} needs at least ${(e.params as { limit: number }).limit} item(s)` };
    case "minLength":
      return { file, path, message: `${where} must not be empty` };
    case "minimum":
    case "maximum":
      return { file, path, message: `${where} must be ${e.keyword === "minimum" ? "at least" : "at most"} ${(e.params as { limit: number }).limit}` };
    default:
      return { file, path, message: `${where} ${e.message ?? "is not valid"}` };
  }
}

/**
 * Translate ajv errors into Problems. For `anyOf` (values that may take several forms), keep only
 * the errors of the alternative that matched the value's type, or one summary line if none did.
 */
export function schemaProblems(file: string, errors: ErrorObject[], data: unknown): Problem[] {
  const anyOfs = errors.filter((e) => e.keyword === "anyOf");
  const dropped = new Set<ErrorObject>();
  const extra: Problem[] = [];
  for (const any of anyOfs) {
    const prefix = any.schemaPath + "/";
    const branches = new Map<number, ErrorObject[]>();
    for (const e of errors) {
      if (e === any || !e.schemaPath.startsWith(prefix)) continue;
      const n = Number(e.schemaPath.slice(prefix.length).split("/")[0]);
      if (!branches.has(n)) branches.set(n, []);
      branches.get(n)!.push(e);
      dropped.add(e);
    }
    dropped.add(any);
    const typeMatched = [...branches.values()].filter(
      (errs) => !errs.some((e) => e.instancePath === any.instancePath && (e.keyword === "type" || e.keyword === "const" || e.keyword === "enum")),
    );
    if (typeMatched.length > 0) {
      const best = typeMatched.sort((a, b) => a.length - b.length)[0]!;
      for (const e of best) dropped.delete(e);
    } else {
      const alternatives = ((any.schema as Schema[] | undefined) ?? []).map(describeAlternative);
      const path = pointerToPath(any.instancePath);
      extra.push({
        file,
        path,
        message: `\`${path.join(".") || "value"}\`: ${describeType(valueAt(data, path))} is not valid; expected ${alternatives.join(" or ")}`,
      });
    }
  }
  // A bad key in a mapping of named things: ajv reports the inner failure (without the key) and
  // then a propertyNames error carrying the key. Report one line, at the key.
  for (const names of errors.filter((e) => e.keyword === "propertyNames" && !dropped.has(e))) {
    const propertyName = (names.params as { propertyName: string }).propertyName;
    const inner = errors.filter((e) => e !== names && e.instancePath === names.instancePath && e.schemaPath.startsWith(names.schemaPath + "/"));
    inner.forEach((e) => dropped.add(e));
    dropped.add(names);
    const message = inner.map((e) => (e.parentSchema as Schema | undefined)?.["x-message"] as string | undefined).find(Boolean) ?? "not a valid name here";
    extra.push({ file, path: [...pointerToPath(names.instancePath), propertyName], at: "key", message: `\`${propertyName}\` is not a valid name: ${message}` });
  }
  const problems: Problem[] = [...extra];
  for (const e of errors) {
    if (dropped.has(e)) continue;
    const p = explain(file, e, data);
    if (p) problems.push(p);
  }
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${(p.path ?? []).join("/")}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
