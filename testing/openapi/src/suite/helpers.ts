/** The id of a created or fetched thing, as the API answers it (`{ id }` or `{ data: { id } }`). */
export function idOf(result: any): any {
  return result?.id ?? result?.data?.id;
}

/** The first item of a list answer (`[...]` or `{ data: [...] }`). */
export function firstOf(result: any): any {
  const list = Array.isArray(result) ? result : result?.data;
  return Array.isArray(list) ? list[0] : undefined;
}

/** Every item an async iterator yields. */
export async function collect<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterator) items.push(item);
  return items;
}

/** An id no target has. */
export const unknownId = 987_654_321;

/** A name unique to one run, so a real target shared between runs does not collide. */
export const uniqueName = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;

/** The method names of a namespace object (own and prototype functions). */
export function methodNames(namespace: object): string[] {
  const names = new Set<string>();
  for (
    let current: object | null = namespace;
    current && current !== Object.prototype;
    current = Object.getPrototypeOf(current)
  ) {
    for (const name of Object.getOwnPropertyNames(current)) {
      if (name !== 'constructor' && typeof (namespace as Record<string, unknown>)[name] === 'function')
        names.add(name);
    }
  }
  return [...names].sort();
}
