import { z } from "zod";
import { YAML_FILES, type YamlFileName } from "../core/model/files.js";

/** The published JSON Schema of a governance file, generated from its zod schema (one source of truth). */
export function jsonSchemaFor(file: YamlFileName): Record<string, unknown> {
  const { schema, jsonSchema } = YAML_FILES[file];
  const generated = z.toJSONSchema(schema, { target: "draft-7", io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return { $id: `https://charter.dev/schema/${jsonSchema}`, ...generated };
}
