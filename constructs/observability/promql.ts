/** Small PromQL writers, so rules never concatenate label matchers by hand. */

export type Matcher = { readonly equals: string } | { readonly notIn: readonly string[] } | { readonly matches: string };

/** `{a="x",b!~"y|z"}`: label matchers in the order given; an empty set is `{}`. */
export function selector(matchers: Readonly<Record<string, string | Matcher>>): string {
  const parts = Object.entries(matchers).map(([label, matcher]) => {
    if (typeof matcher === 'string') return `${label}=${quote(matcher)}`;
    if ('equals' in matcher) return `${label}=${quote(matcher.equals)}`;
    if ('notIn' in matcher) return `${label}!~${quote(matcher.notIn.map(escapeRegex).join('|'))}`;
    return `${label}=~${quote(matcher.matches)}`;
  });
  return `{${parts.join(',')}}`;
}

/** A regex that matches exactly one of the values. */
export function oneOf(values: readonly string[]): string {
  return values.map(escapeRegex).join('|');
}

/** A PromQL string literal. */
export function quote(value: string): string {
  return JSON.stringify(value);
}

/** Escapes the RE2 metacharacters of a literal value. */
function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `label_replace(expr, to, "$1", from, "(.*)")`: copies label `from` into `to` (PromQL has no rename; an
 * aggregation afterwards drops `from`).
 */
export function copyLabel(expr: string, from: string, to: string): string {
  return `label_replace(${expr}, ${quote(to)}, "$1", ${quote(from)}, "(.*)")`;
}
