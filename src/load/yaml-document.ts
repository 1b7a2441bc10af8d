import { isMap, isNode, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from "yaml";
import { YAML_READ, YAML_TO_JS } from "../core/model/yaml-reading.js";

/** A parsed YAML file that can say where any path points. */
export interface PositionedDocument {
  value: unknown;
  syntaxErrors: { line: number; column: number; message: string }[];
  /** 1-based line/column of the value (or key) at `path`; the nearest existing ancestor if it is absent. */
  locate(path: readonly (string | number)[], at?: "key" | "value"): { line: number; column: number };
  /** The yaml library's document, when the text was parsed here. */
  document?: Document;
}

export function parseYaml(text: string): PositionedDocument {
  const doc: Document = parseDocument(text, YAML_READ);
  // Line starts from the text itself: yaml's LineCounter misses the lines inside a multi-line
  // token the parser rejects (e.g. a block scalar after a syntax error), which shifts every later
  // position (found by test/validate/property.test.ts).
  const lineStarts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  const pos = (offset: number) => {
    const at = Math.max(0, Math.min(offset, text.length));
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - lineStarts[lo]! + 1 };
  };
  const syntaxErrors = doc.errors.map((e) => ({ ...pos(e.pos[0]), message: e.message.split("\n")[0] ?? e.message }));
  let value: unknown = undefined;
  if (syntaxErrors.length === 0) {
    try {
      value = doc.toJS(YAML_TO_JS);
    } catch (error) {
      syntaxErrors.push({ line: 1, column: 1, message: (error as Error).message });
    }
  }
  return {
    value,
    syntaxErrors,
    document: doc,
    locate(path, at = "value") {
      let node: unknown = doc.contents;
      let best: { line: number; column: number } = node && isNode(node) && node.range ? pos(node.range[0]) : { line: 1, column: 1 };
      for (let i = 0; i < path.length; i++) {
        const seg = path[i]!;
        const last = i === path.length - 1;
        if (isMap(node)) {
          const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
          if (!pair) return best;
          const key = pair.key as Node;
          if (last && at === "key" && key.range) return pos(key.range[0]);
          const v = pair.value as Node | null;
          if (v && isNode(v) && v.range) best = pos(v.range[0]);
          else if (key.range) best = pos(key.range[0]);
          node = v;
        } else if (isSeq(node) && typeof seg === "number") {
          const item = node.items[seg] as Node | undefined;
          if (!item) return best;
          if (isNode(item) && item.range) best = pos(item.range[0]);
          node = item;
        } else {
          return best;
        }
      }
      return best;
    },
  };
}
