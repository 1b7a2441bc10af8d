/**
 * The report's two charts as one SVG image (`charter report --svg <file>`), for places that do not
 * render Mermaid: mean minutes to acknowledge and to resolve per severity, and pages and
 * after-hours hours per person. Plain SVG 1.1, no script, every text escaped.
 */
import type { Report } from "./build.js";

const W = 900;
const PANEL_H = 300;

function esc(text: string): string {
  let out = "";
  for (const ch of text.slice(0, 60)) out += ch === "&" ? "&amp;" : ch === "<" ? "&lt;" : ch === ">" ? "&gt;" : ch === '"' ? "&quot;" : ch;
  return out;
}

const round = (v: number) => String(Math.round(v * 10) / 10);

/** One grouped bar panel: two series per category, each scaled to the panel's largest value. */
function panel(y0: number, title: string, unit: string, categories: string[], a: { name: string; values: number[]; color: string }, b: { name: string; values: number[]; color: string }): string[] {
  const out: string[] = [`<text x="20" y="${y0 + 24}" font-size="16" font-weight="bold">${esc(title)}</text>`];
  const left = 60;
  const top = y0 + 60;
  const height = PANEL_H - 110;
  const width = W - left - 20;
  out.push(`<rect x="${W - 300}" y="${y0 + 34}" width="12" height="12" fill="${a.color}"/><text x="${W - 282}" y="${y0 + 45}" font-size="12">${esc(a.name)}</text>`);
  out.push(`<rect x="${W - 160}" y="${y0 + 34}" width="12" height="12" fill="${b.color}"/><text x="${W - 142}" y="${y0 + 45}" font-size="12">${esc(b.name)}</text>`);
  out.push(`<line x1="${left}" y1="${top + height}" x2="${left + width}" y2="${top + height}" stroke="#444"/>`);
  out.push(`<text x="${left - 8}" y="${top + height}" font-size="11" text-anchor="end">0</text>`);
  if (categories.length === 0) {
    out.push(`<text x="${left + 10}" y="${top + height / 2}" font-size="13">No data in this period.</text>`);
    return out;
  }
  const max = Math.max(1, ...a.values, ...b.values);
  out.push(`<text x="${left - 8}" y="${top + 10}" font-size="11" text-anchor="end">${round(max)}</text><text x="${left - 8}" y="${top + 24}" font-size="11" text-anchor="end">${esc(unit)}</text>`);
  const slot = width / categories.length;
  const bar = Math.min(40, slot / 3);
  categories.forEach((c, i) => {
    const x = left + i * slot + slot / 2;
    for (const [k, s] of [a, b].entries()) {
      const v = s.values[i] ?? 0;
      const h = (v / max) * height;
      const bx = x - bar + k * bar;
      out.push(`<rect x="${round(bx)}" y="${round(top + height - h)}" width="${round(bar - 2)}" height="${round(h)}" fill="${s.color}"><title>${esc(c)}: ${esc(s.name)} ${round(v)}</title></rect>`);
      out.push(`<text x="${round(bx + bar / 2)}" y="${round(top + height - h - 4)}" font-size="10" text-anchor="middle">${round(v)}</text>`);
    }
    out.push(`<text x="${round(x)}" y="${top + height + 16}" font-size="12" text-anchor="middle">${esc(c)}</text>`);
  });
  return out;
}

export function reportSvg(r: Report): string {
  const body = [
    `<text x="20" y="24" font-size="18" font-weight="bold">${esc(`Charter report${r.repo ? `: ${r.repo}` : ""}`)}</text>`,
    `<text x="20" y="44" font-size="12">${esc(`${r.since} to ${r.until} (UTC)`)}</text>`,
    ...panel(50, "Time to acknowledge and to resolve, by severity (mean)", "minutes", r.severities.map((s) => s.severity), { name: "MTTA", values: r.severities.map((s) => s.mtta.mean ?? 0), color: "#1f77b4" }, { name: "MTTR", values: r.severities.map((s) => s.mttr.mean ?? 0), color: "#ff7f0e" }),
    ...panel(50 + PANEL_H, "On-call load, per person", "", r.people.map((p) => p.login), { name: "pages", values: r.people.map((p) => p.pages), color: "#2ca02c" }, { name: "after-hours hours", values: r.people.map((p) => p.afterHoursHours), color: "#d62728" }),
  ];
  return [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${50 + 2 * PANEL_H}" viewBox="0 0 ${W} ${50 + 2 * PANEL_H}" font-family="sans-serif">`, `<rect width="100%" height="100%" fill="white"/>`, ...body, "</svg>"].join("\n") + "\n";
}
