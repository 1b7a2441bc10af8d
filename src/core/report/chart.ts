/**
 * Mermaid `xychart-beta` charts (GitHub renders ```mermaid blocks): one bar series and an optional
 * line series over named categories. Labels are reduced to characters Mermaid cannot misread.
 */
export interface XyChart {
  title: string;
  yAxis: string;
  categories: string[];
  bar: { name: string; values: number[] };
  line?: { name: string; values: number[] };
}

/** A category or title as Mermaid reads it inside double quotes: no quotes, brackets or separators. */
export function chartText(text: string, max = 100): string {
  let out = "";
  for (const ch of text.slice(0, max)) out += `"[]{}<>;#\`\\\n\r`.includes(ch) ? " " : ch;
  return out.trim() || "?";
}

const num = (v: number) => String(Math.round(v * 10) / 10);

export function mermaidXyChart(c: XyChart): string {
  const top = Math.max(1, ...c.bar.values, ...(c.line?.values ?? []));
  return [
    "```mermaid",
    "xychart-beta",
    `    title "${chartText(c.title)}"`,
    `    x-axis [${c.categories.map((x) => `"${chartText(x, 40)}"`).join(", ")}]`,
    `    y-axis "${chartText(c.yAxis)}" 0 --> ${Math.ceil((top * 11) / 10)}`,
    `    bar [${c.bar.values.map(num).join(", ")}]`,
    ...(c.line ? [`    line [${c.line.values.map(num).join(", ")}]`] : []),
    "```",
  ].join("\n");
}
