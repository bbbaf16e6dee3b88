/** A page's search params as Next hands them over. */
export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** One plain, bounded value of a search param; anything else (repeated, huge) reads as absent. */
export function param(params: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' && value.length <= 128 ? value : undefined;
}

/** `path` with `name=value` added to its query. */
export function withParam(path: string, name: string, value: string): string {
  return `${path}${path.includes('?') ? '&' : '?'}${name}=${encodeURIComponent(value)}`;
}
