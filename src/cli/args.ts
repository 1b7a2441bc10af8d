import { UsageError } from "./command.js";

/** Minimal `--flag value` / `--flag=value` / `--switch` parsing; positional arguments are kept in order. */
export function parseArgs(
  args: string[],
  spec: { values?: readonly string[]; switches?: readonly string[]; multi?: readonly string[] },
): { positional: string[]; values: Record<string, string>; multi: Record<string, string[]>; switches: Set<string> } {
  const positional: string[] = [];
  const values: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  const switches = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith("--")) {
      positional.push(a);
      continue;
    }
    const [flag, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (spec.switches?.includes(flag)) {
      switches.add(flag);
    } else if (spec.values?.includes(flag) || spec.multi?.includes(flag)) {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`--${flag} needs a value`);
      if (spec.multi?.includes(flag)) (multi[flag] ??= []).push(v);
      else values[flag] = v;
    } else {
      throw new UsageError(`unknown option --${flag}`);
    }
  }
  return { positional, values, multi, switches };
}
