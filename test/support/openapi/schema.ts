/**
 * Turns OpenAPI 3.0 schema objects from GitHub's description into JSON Schema (draft 2019-09)
 * that Ajv can compile, lazily and once per component.
 *
 * - `$ref: #/components/schemas/x` becomes a reference to a schema registered under its own `$id`
 *   (one per mode), added to Ajv the first time something refers to it. Ajv compiles each
 *   component once and reuses it across operations, and recursive schemas stay finite.
 * - `nullable: true` becomes `type: [T, "null"]` (and `null` joins an `enum`); without a `type`
 *   it becomes `anyOf: [{type: "null"}, …]`.
 * - OpenAPI-only keywords (`example`, `discriminator`, `readOnly`, `x-…`) are dropped.
 * - Mode "request" treats every object schema that lists `properties` as closed
 *   (`unevaluatedProperties: false`) unless the schema says otherwise: GitHub ignores unknown
 *   body fields, so a field the app invents would silently do nothing. Combinator branches
 *   (`allOf`/`anyOf`/`oneOf`) are left open and the schema that holds them is closed instead, so
 *   properties contributed by any branch that matched count as known.
 * - Mode "webhook" closes objects like mode "request": a payload a test delivers is data the test
 *   invented, so a field GitHub's schema for that event does not list is a field GitHub never sends.
 * - Mode "response" leaves objects open (GitHub adds fields over time) but keeps `required` and types.
 */
import type { AnySchema } from "ajv";
import { loadSpec, type OpenApiSchema } from "./spec.js";

export type SchemaMode = "request" | "response" | "webhook";

type Json = unknown;

const DROP = new Set(["example", "examples", "discriminator", "readOnly", "writeOnly", "xml", "externalDocs", "deprecated", "nullable", "title", "description"]);
const COMBINATORS = ["allOf", "anyOf", "oneOf"] as const;

export interface SchemaRegistry {
  /** Called for each component the first time a schema of that mode refers to it. */
  addSchema(schema: AnySchema, key: string): void;
}

/** Request bodies and delivered webhook payloads are closed: an unknown field is an invented one. */
function closesObjects(mode: SchemaMode): boolean {
  return mode === "request" || mode === "webhook";
}

function componentId(mode: SchemaMode, name: string, open: boolean): string {
  return `https://openapi.charter.test/${mode}${open ? "-open" : ""}/${encodeURIComponent(name)}.json`;
}

export class SchemaConverter {
  private readonly added = new Set<string>();

  constructor(private readonly registry: SchemaRegistry) {}

  /** Converts a schema; components it refers to are registered with the registry. */
  convert(schema: OpenApiSchema, mode: SchemaMode): AnySchema {
    return this.node(schema, mode, false) as AnySchema;
  }

  private ref(ref: string, mode: SchemaMode, open: boolean): Json {
    const prefix = "#/components/schemas/";
    if (!ref.startsWith(prefix)) throw new Error(`Unsupported schema $ref ${ref}`);
    const name = ref.slice(prefix.length);
    // only the closing modes distinguish open (combinator branch) from closed
    const isOpen = closesObjects(mode) && open;
    const id = componentId(mode, name, isOpen);
    if (!this.added.has(id)) {
      this.added.add(id); // before converting: recursion ends here
      const target = loadSpec().components.schemas[name];
      if (!target) throw new Error(`Dangling schema $ref ${ref}`);
      const converted = this.node(target, mode, isOpen) as Record<string, Json>;
      this.registry.addSchema({ ...converted, $id: id }, id);
    }
    return { $ref: id };
  }

  /**
   * @param open in a closing mode: this node is a combinator branch, so it must not close itself
   *   (the parent closes over everything its branches evaluated).
   */
  private node(schema: Json, mode: SchemaMode, open: boolean): Json {
    if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return schema;
    const input = schema as Record<string, Json>;
    if (typeof input.$ref === "string") return this.ref(input.$ref, mode, open);

    const out: Record<string, Json> = {};
    for (const [key, value] of Object.entries(input)) {
      if (DROP.has(key) || key.startsWith("x-")) continue;
      switch (key) {
        case "properties": {
          const props: Record<string, Json> = {};
          for (const [name, sub] of Object.entries(value as Record<string, Json>)) props[name] = this.node(sub, mode, false);
          out.properties = props;
          break;
        }
        case "items":
        case "not":
          out[key] = this.node(value, mode, false);
          break;
        case "additionalProperties":
          out[key] = typeof value === "object" ? this.node(value, mode, false) : value;
          break;
        case "allOf":
        case "anyOf":
        case "oneOf":
          out[key] = (value as Json[]).map((branch) => this.node(branch, mode, true));
          break;
        case "format":
          // formats are checked in requests only (see validator.ts); responses keep theirs too,
          // but the response Ajv instance registers lenient formats.
          out[key] = value;
          break;
        case "exclusiveMinimum":
        case "exclusiveMaximum":
          // OpenAPI 3.0 booleans → draft 2019 numbers
          if (typeof value === "boolean") {
            const bound = key === "exclusiveMinimum" ? "minimum" : "maximum";
            if (value && typeof input[bound] === "number") out[key] = input[bound];
          } else out[key] = value;
          break;
        default:
          out[key] = value;
      }
    }
    if (out.exclusiveMinimum !== undefined && input.exclusiveMinimum === true) delete out.minimum;
    if (out.exclusiveMaximum !== undefined && input.exclusiveMaximum === true) delete out.maximum;

    const hasCombinator = COMBINATORS.some((k) => k in out);
    if (
      closesObjects(mode) &&
      !open &&
      (out.properties !== undefined || hasCombinator) &&
      out.additionalProperties === undefined &&
      out.patternProperties === undefined &&
      (out.properties !== undefined || this.branchesDeclareProperties(input))
    ) {
      out.unevaluatedProperties = false;
    }

    if (input.nullable === true) {
      if (typeof out.type === "string") {
        out.type = [out.type, "null"];
        if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      } else if (Array.isArray(out.type)) {
        if (!out.type.includes("null")) out.type = [...out.type, "null"];
      } else {
        return { anyOf: [{ type: "null" }, out] };
      }
    }
    return out;
  }

  /** Whether any combinator branch (following $refs) lists properties: only then close the parent. */
  private branchesDeclareProperties(input: Record<string, Json>, depth = 0): boolean {
    if (depth > 5) return false;
    for (const k of COMBINATORS) {
      const branches = input[k];
      if (!Array.isArray(branches)) continue;
      for (const branch of branches) {
        let b = branch as Record<string, Json> | null;
        if (b && typeof b.$ref === "string") {
          b = (loadSpec().components.schemas[b.$ref.slice("#/components/schemas/".length)] ?? null) as Record<string, Json> | null;
        }
        if (!b || typeof b !== "object") continue;
        if (b.properties !== undefined || this.branchesDeclareProperties(b, depth + 1)) return true;
      }
    }
    return false;
  }
}
