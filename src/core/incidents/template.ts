/** Values for incident message placeholders (`{{severity}}`, `{{time}}`, …). */
export type TemplateValues = Partial<Record<string, string>>;

/**
 * Fill `{{name}}` placeholders. A known placeholder without a value becomes `—`; anything that is
 * not a placeholder Charter knows is left as written (validation reports it).
 */
export function fillTemplate(template: string, values: TemplateValues, known: readonly string[]): string {
  const knownSet = new Set(known);
  return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, name: string) => {
    if (!knownSet.has(name)) return whole;
    const v = values[name];
    return v === undefined || v.trim() === "" ? "—" : v;
  });
}
